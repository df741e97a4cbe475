/**
 * Layer arguments Keras reads as a file (or, through `tf.io.gfile`, a URL) when the layer is built at
 * load: `StringLookup` / `IntegerLookup` / `TextVectorization` (and their `IndexLookup` base, and
 * keras_hub tokenizers) take a `vocabulary` that is a list or a path (CVE-2025-12058: read even under
 * `safe_mode=True`), keras_hub's `BytePairTokenizer` a `merges` path, `SentencePieceTokenizer` a
 * `proto` path, and `TFSMLayer` loads the SavedModel at `filepath`. A list is data; a string is a read.
 */

export interface FileArg {
  layer: string;
  className: string;
  field: string;
  /** the path or URL as written (cut to 256 characters) */
  value: string;
  /** where the read goes: a URL, an absolute path, a path that climbs out with `..`, or a relative one */
  reach: 'remote' | 'absolute' | 'traversal' | 'relative';
  remote: boolean;
}

/** fields any layer reads as a path when they hold a string */
const PATH_FIELDS = ['vocabulary', 'merges', 'proto'] as const;
/** fields only some classes read as a path (elsewhere `filepath` is not a layer argument) */
const CLASS_PATH_FIELDS: Readonly<Record<string, readonly string[]>> = { TFSMLayer: ['filepath'] };
const MAX_VALUE = 256;

/** `gs://`, `s3://`, `https://`, `hdfs://`, `file://`: tf.io.gfile opens all of them */
const URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const ABSOLUTE = /^(\/|~|\\\\|[a-z]:[\\/])/i;
const TRAVERSAL = /(^|[\\/])\.\.([\\/]|$)/;

export function reachOf(value: string): FileArg['reach'] {
  if (URL.test(value)) return 'remote';
  if (ABSOLUTE.test(value)) return 'absolute';
  return TRAVERSAL.test(value) ? 'traversal' : 'relative';
}

/** The file arguments of one serialized layer (`class_name` + its `config`). */
export function fileArgs(className: string, config: Record<string, unknown>, layer: string): FileArg[] {
  const out: FileArg[] = [];
  for (const field of [...PATH_FIELDS, ...(CLASS_PATH_FIELDS[className] ?? [])]) {
    const v = config[field];
    if (typeof v !== 'string' || v.trim() === '') continue;
    const value = v.slice(0, MAX_VALUE);
    const reach = reachOf(v.trim());
    out.push({ layer, className, field, value, reach, remote: reach === 'remote' });
  }
  return out;
}
