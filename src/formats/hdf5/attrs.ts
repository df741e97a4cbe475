/**
 * Root-group attributes of an HDF5 file (Keras' legacy `.h5`: `model_config`, `training_config`,
 * `keras_version`, `backend`), read through h5wasm over a SparseImage. h5wasm (4 MB of wasm) is
 * loaded on first use only.
 */
import { MlvetError } from '../../errors.js';
import type { RandomAccessReader } from '../../artifact/types.js';
import { SparseImage } from './lazy.js';

type H5 = typeof import('h5wasm').default;
let h5: Promise<H5> | undefined;
let seq = 0;

const MAX_ROUNDS = 24;

export interface RootAttrs {
  /** attribute name → text value (strings, or bytes decoded as UTF-8); other types are left out */
  text: Record<string, string>;
  names: string[];
  /** bytes of the file h5wasm needed */
  loadedBytes: number;
}

function asText(v: unknown, max: number): string | undefined {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'string') return v.length > max ? undefined : v;
  if (v instanceof Uint8Array) return v.length > max ? undefined : new TextDecoder('utf-8').decode(v);
  return undefined;
}

function readOnce(lib: H5, path: string, wanted: readonly string[], maxValue: number): RootAttrs {
  const f = new lib.File(path, 'r');
  try {
    const attrs = f.attrs;
    const names = Object.keys(attrs);
    const text: Record<string, string> = {};
    for (const n of wanted) {
      if (!names.includes(n)) continue;
      const t = asText(attrs[n]!.value, maxValue);
      if (t !== undefined) text[n] = t;
    }
    return { text, names, loadedBytes: 0 };
  } finally {
    f.close();
  }
}

/** The innermost cause of an HDF5 error stack ("truncated file: eof = …"), with a code. */
function hdf5Error(e: unknown): MlvetError {
  const text = e instanceof Error ? e.message : String(e);
  const causes = [...text.matchAll(/\): ([^\n]+)/g)].map((m) => m[1]!);
  const msg = causes.at(-1) ?? text.split('\n')[0] ?? 'unreadable';
  return new MlvetError(/truncated file/.test(text) ? 'TRUNCATED' : 'PARSE_ERROR', `HDF5: ${msg.slice(0, 300)}`);
}

/** Read the wanted root attributes; only a pass that needed no unloaded byte is trusted. */
export async function readRootAttrs(reader: RandomAccessReader, wanted: readonly string[], lim: { maxLoaded: number; maxValue: number }): Promise<RootAttrs> {
  // the throwing handler turns HDF5's error stack into a JS exception instead of printing it to stderr
  h5 ??= import('h5wasm').then(async (m) => ((await m.default.ready).activate_throwing_error_handler(), m.default));
  const lib = await h5;
  const FS = (await lib.ready).FS;
  const img = new SparseImage(reader, lim.maxLoaded);
  await img.load(0);
  const path = `/mlvet-${process.pid}-${++seq}.h5`;
  FS.writeFile(path, new Uint8Array(0));
  const node = FS.lookupPath(path, {}).node as unknown as { contents: object; usedBytes: number };
  node.contents = img.contents();
  node.usedBytes = reader.size;
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let result: RootAttrs | undefined;
      let error: unknown;
      try {
        result = readOnce(lib, path, wanted, lim.maxValue);
      } catch (e) {
        error = e;
      }
      if (img.misses.size === 0) {
        if (result) return { ...result, loadedBytes: img.loadedBytes };
        throw hdf5Error(error);
      }
      await img.loadMisses();
    }
    throw new MlvetError('LIMIT_EXCEEDED', `HDF5 metadata still incomplete after ${MAX_ROUNDS} read rounds`);
  } finally {
    FS.unlink(path);
  }
}
