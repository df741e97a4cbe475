/**
 * What each scanned file is in an ML-BOM: a `machine-learning-model` (the serialization formats a
 * model is shipped in), `data` (tables a dataset is made of, and every validated dataset), or a plain
 * `file`. Local files get a sha256, streamed (1 MiB at a time, so memory stays flat on a 10 GB
 * checkpoint), only for regular files inside their target: a symlink, a device or a path that
 * resolves out of the target is not read, and the BOM says why no hash is there.
 */
import { closeSync, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, relative, resolve } from 'node:path';
import type { Report } from '../../model/report.js';

export type Kind = 'machine-learning-model' | 'data' | 'file';

const MODEL_FORMATS = new Set(['pickle', 'torch-legacy', 'onnx', 'tf-savedmodel', 'tf-graphdef', 'numpy', 'hdf5', 'gguf', 'safetensors', 'joblib-zlib']);
const MODEL_SCANNERS = new Set(['pickle', 'torch', 'keras', 'onnx', 'safetensors', 'gguf', 'numpy', 'hdf5', 'joblib']);
const MODEL_EXT = /\.(pt|pth|bin|ckpt|pkl|pickle|joblib|keras|h5|hdf5|onnx|safetensors|gguf|ggml|npy|npz|nemo|mar|pb|tflite|mlmodel|model)$/i;
const DATA_EXT = /\.(csv|tsv|jsonl|ndjson|parquet|arrow|feather|ipc|avro|orc)(\.(gz|zst|bz2|xz))?$/i;

export function kindOf(command: string, path: string, format: string | undefined, scanners: readonly string[]): Kind {
  if (command === 'validate' || command === 'profile' || DATA_EXT.test(path)) return 'data';
  if (format !== undefined && MODEL_FORMATS.has(format)) return 'machine-learning-model';
  if (scanners.some((s) => MODEL_SCANNERS.has(s)) && format !== 'json' && format !== 'python' && format !== 'jinja') return 'machine-learning-model';
  return MODEL_EXT.test(path) ? 'machine-learning-model' : 'file';
}

export interface FileEntry {
  target: string;
  path: string;
  format?: string;
  scanners: string[];
}

/** The top-level files of the report, one per (target, path), in report order; members are counted. */
export function fileEntries(report: Report): Array<FileEntry & { members: number }> {
  const single = report.targets.length === 1 ? report.targets[0]!.uri : undefined;
  const out = new Map<string, FileEntry & { members: number }>();
  const add = (target: string | undefined, path: string, member: boolean, format?: string, scanners: string[] = []): void => {
    const t = target ?? single ?? '';
    const key = `${t}\u0000${path}`;
    const e = out.get(key) ?? { target: t, path, scanners: [], members: 0 };
    if (member) e.members++;
    else {
      if (format !== undefined && e.format === undefined) e.format = format;
      e.scanners = [...new Set([...e.scanners, ...scanners])];
    }
    out.set(key, e);
  };
  for (const f of report.files ?? []) add(f.target, f.path, f.member !== undefined, f.format, f.scanners);
  for (const f of [...report.findings, ...report.suppressed]) if (!out.has(`${f.location.target ?? single ?? ''}\u0000${f.location.path}`)) add(f.location.target, f.location.path, false);
  return [...out.values()];
}

const isRemote = (uri: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(uri);
/** a file past this size is not hashed at render time (the manifest's digest is used when there is one) */
export const MAX_HASH_BYTES = 16 * 1024 ** 3;

export type Digest = { sha256: string } | { unavailable: string };

/** sha256 of a local file of a local target, or why there is none. */
export function localDigest(cwd: string, target: string, path: string): Digest {
  if (isRemote(target)) return { unavailable: 'remote file: not downloaded to hash' };
  const root = resolve(cwd, target);
  const file = path === target || path === basename(root) || path === '' ? root : resolve(root, path);
  const inside = file === root || !relative(root, file).startsWith('..');
  if (!inside) return { unavailable: 'path resolves outside its target' };
  let fd: number | undefined;
  try {
    if (!lstatSync(file).isFile()) return { unavailable: 'not a regular file (symlink, directory or device)' };
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_HASH_BYTES) return { unavailable: `larger than ${MAX_HASH_BYTES} bytes` };
    const h = createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      pos += n;
    }
    return { sha256: h.digest('hex') };
  } catch (e) {
    return { unavailable: `could not read: ${(e as NodeJS.ErrnoException).code ?? 'error'}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
