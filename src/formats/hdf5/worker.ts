/**
 * Worker side of the HDF5 attribute read: h5wasm runs here, over sparse images of the chunks the
 * scanning thread has loaded, because the HDF5 C library can loop forever on a malformed file inside
 * one synchronous call, and only a worker can be stopped from outside. One worker serves many files
 * (client.ts), one image per session, unlinked when the session ends.
 */
import { parentPort } from 'node:worker_threads';
import type { RandomAccessReader } from '../../artifact/types.js';
import { mountImage, openH5, readOnce, unmountImage } from './attrs.js';
import { SparseImage } from './lazy.js';
import type { RoundReply, RoundRequest, WorkerRequest } from './protocol.js';

const port = parentPort!;
const sessions = new Map<number, { img: SparseImage; path: string }>();

async function round(m: RoundRequest): Promise<RoundReply> {
  const lib = await openH5();
  let s = sessions.get(m.sid);
  if (!s) {
    // the worker never reads the file itself: chunks arrive by message, misses go back
    const sizeOnly = { size: m.size } as unknown as RandomAccessReader;
    const img = new SparseImage(sizeOnly, Number.MAX_SAFE_INTEGER);
    s = { img, path: await mountImage(lib, img, m.size) };
    sessions.set(m.sid, s);
  }
  for (const [c, data] of m.chunks) s.img.chunks.set(c, data);
  s.img.misses.clear();
  const names = (await lib.ready).FS.readdir('/') as string[];
  const mounted = names.filter((n) => n.startsWith('mlvet-')).length;
  try {
    return {
      rid: m.rid,
      result: readOnce(lib, s.path, m.wanted, m.maxValue),
      misses: [...s.img.misses],
      mounted,
    };
  } catch (e) {
    return {
      rid: m.rid,
      error: e instanceof Error ? e.message : String(e),
      misses: [...s.img.misses],
      mounted,
    };
  }
}

async function end(sid: number): Promise<void> {
  const s = sessions.get(sid);
  if (!s) return;
  sessions.delete(sid);
  await unmountImage(await openH5(), s.path);
}

port.on('message', (m: WorkerRequest) => {
  if ('end' in m) {
    end(m.sid).catch(() => undefined);
    return;
  }
  // Any failure (h5wasm not loading, say) fails this round only, as an answer, not a dead worker.
  round(m)
    .catch((e: unknown): RoundReply => ({
      rid: m.rid,
      error: e instanceof Error ? e.message : String(e),
      misses: [],
    }))
    .then((r) => port.postMessage(r))
    .catch(() => undefined);
});
