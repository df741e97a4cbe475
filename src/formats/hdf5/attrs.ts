/**
 * Root-group attributes of an HDF5 file (Keras' legacy `.h5`: `model_config`, `training_config`,
 * `keras_version`, `backend`), read through h5wasm over a SparseImage. h5wasm (4 MB of wasm) runs on
 * this thread's one HDF5 worker (client.ts), loaded there on first use only.
 */
import { MlvetError } from '../../errors.js';
import type { RandomAccessReader } from '../../artifact/types.js';
import { workerScript } from '../../package.js';
import { H5Client } from './client.js';
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

export function readOnce(lib: H5, path: string, wanted: readonly string[], maxValue: number): RootAttrs {
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
  return new MlvetError(
    /truncated file/.test(text) ? 'TRUNCATED' : 'PARSE_ERROR',
    `HDF5: ${msg.slice(0, 300)}`,
  );
}

/** h5wasm, loaded once; the throwing handler turns HDF5's error stack into an exception, not stderr. */
export function openH5(): Promise<H5> {
  h5 ??= import('h5wasm').then(
    async (m) => ((await m.default.ready).activate_throwing_error_handler(), m.default),
  );
  return h5;
}

/** Put a sparse image into h5wasm's in-memory file system; returns its path. */
export async function mountImage(lib: H5, img: SparseImage, size: number): Promise<string> {
  const FS = (await lib.ready).FS;
  const path = `/mlvet-${process.pid}-${++seq}.h5`;
  FS.writeFile(path, new Uint8Array(0));
  const node = FS.lookupPath(path, {}).node as unknown as { contents: object; usedBytes: number };
  node.contents = img.contents();
  node.usedBytes = size;
  return path;
}

/** Drop a mounted image, so h5wasm's in-memory file system does not grow from file to file. */
export async function unmountImage(lib: H5, path: string): Promise<void> {
  (await lib.ready).FS.unlink(path);
}

let client: H5Client | undefined;

/** HDF5 workers this thread has started: 1 for any number of files, plus one per time-out. */
export function hdf5WorkerStarts(): number {
  return client?.starts ?? 0;
}

/** This thread's HDF5 worker client; undefined when the worker script is not built. */
function hdf5Client(): H5Client | undefined {
  if (client) return client;
  const script = workerScript(import.meta.url, './worker.js');
  return script === undefined ? undefined : (client = new H5Client(script));
}

/**
 * Read the wanted root attributes; only a pass that needed no unloaded byte is trusted. The passes run
 * on the HDF5 worker within `timeoutMs` of worker time: a malformed file that sends the HDF5 library
 * into an endless loop ends as LIMIT_EXCEEDED (inconclusive), never as a hang.
 */
export async function readRootAttrs(
  reader: RandomAccessReader,
  wanted: readonly string[],
  lim: { maxLoaded: number; maxValue: number; timeoutMs?: number },
): Promise<RootAttrs> {
  const hc = hdf5Client();
  if (!hc) throw new MlvetError('UNSUPPORTED', 'HDF5 reader worker is not built');
  const img = new SparseImage(reader, lim.maxLoaded);
  await img.load(0);
  const session = hc.session(lim.timeoutMs ?? 30_000);
  const sent = new Set<number>();
  const body = (fresh: boolean) => {
    // a fresh worker (the last one timed out or died) holds nothing of this file: send it all again
    if (fresh) sent.clear();
    const chunks = [...img.chunks].filter(([c]) => !sent.has(c));
    for (const [c] of chunks) sent.add(c);
    return { size: reader.size, chunks, wanted: [...wanted], maxValue: lim.maxValue };
  };
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const reply = await hc.round(session, body);
      if (reply.misses.length === 0) {
        if (reply.result) return { ...reply.result, loadedBytes: img.loadedBytes };
        throw hdf5Error(new Error(reply.error ?? 'unreadable'));
      }
      for (const c of reply.misses) img.misses.add(c);
      await img.loadMisses();
    }
    throw new MlvetError('LIMIT_EXCEEDED', `HDF5 metadata still incomplete after ${MAX_ROUNDS} read rounds`);
  } finally {
    hc.end(session);
  }
}
