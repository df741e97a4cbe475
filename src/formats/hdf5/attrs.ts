/**
 * Root-group attributes of an HDF5 file (Keras' legacy `.h5`: `model_config`, `training_config`,
 * `keras_version`, `backend`), read through h5wasm over a SparseImage. h5wasm (4 MB of wasm) is
 * loaded on first use only.
 */
import { MlvetError } from '../../errors.js';
import type { RandomAccessReader } from '../../artifact/types.js';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../../package.js';
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
  return new MlvetError(/truncated file/.test(text) ? 'TRUNCATED' : 'PARSE_ERROR', `HDF5: ${msg.slice(0, 300)}`);
}

/** h5wasm, loaded once; the throwing handler turns HDF5's error stack into an exception, not stderr. */
export function openH5(): Promise<H5> {
  h5 ??= import('h5wasm').then(async (m) => ((await m.default.ready).activate_throwing_error_handler(), m.default));
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


interface Reply {
  result?: RootAttrs;
  error?: string;
  misses: number[];
}

/**
 * Read the wanted root attributes; only a pass that needed no unloaded byte is trusted. Each pass runs
 * on a worker thread with a time limit: a malformed file that sends the HDF5 library into an endless
 * loop ends as LIMIT_EXCEEDED (inconclusive), never as a hang.
 */
export async function readRootAttrs(
  reader: RandomAccessReader,
  wanted: readonly string[],
  lim: { maxLoaded: number; maxValue: number; timeoutMs?: number },
): Promise<RootAttrs> {
  const script = workerScript(import.meta.url, './worker.js');
  if (!script) throw new MlvetError('UNSUPPORTED', 'HDF5 reader worker is not built');
  const img = new SparseImage(reader, lim.maxLoaded);
  await img.load(0);
  const worker = new Worker(script);
  const sent = new Set<number>();
  const deadline = Date.now() + (lim.timeoutMs ?? 30_000);
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const chunks = [...img.chunks].filter(([c]) => !sent.has(c));
      for (const [c] of chunks) sent.add(c);
      const reply = await ask(worker, { size: reader.size, chunks, wanted: [...wanted], maxValue: lim.maxValue }, deadline - Date.now());
      if (reply.misses.length === 0) {
        if (reply.result) return { ...reply.result, loadedBytes: img.loadedBytes };
        throw hdf5Error(new Error(reply.error ?? 'unreadable'));
      }
      for (const c of reply.misses) img.misses.add(c);
      await img.loadMisses();
    }
    throw new MlvetError('LIMIT_EXCEEDED', `HDF5 metadata still incomplete after ${MAX_ROUNDS} read rounds`);
  } finally {
    await worker.terminate();
  }
}

function ask(worker: Worker, msg: unknown, ms: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new MlvetError('LIMIT_EXCEEDED', `HDF5 library did not finish within ${Math.round((ms > 0 ? ms : 0) / 1000)} s (malformed file?)`));
    }, Math.max(0, ms));
    const onMsg = (r: Reply): void => {
      cleanup();
      resolve(r);
    };
    const onErr = (e: Error): void => {
      cleanup();
      reject(new MlvetError('PARSE_ERROR', `HDF5 reader failed: ${e.message}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      worker.off('message', onMsg);
      worker.off('error', onErr);
    };
    worker.on('message', onMsg);
    worker.on('error', onErr);
    worker.postMessage(msg);
  });
}
