/**
 * Worker side of the HDF5 attribute read: h5wasm runs here, over a sparse image of the chunks the main
 * thread has loaded, because the HDF5 C library can loop forever on a malformed file inside one
 * synchronous call, and only a worker can be stopped from outside.
 */
import { parentPort } from 'node:worker_threads';
import type { RandomAccessReader } from '../../artifact/types.js';
import { mountImage, openH5, readOnce } from './attrs.js';
import { SparseImage } from './lazy.js';

interface Round {
  size: number;
  chunks: Array<[number, Uint8Array]>;
  wanted: string[];
  maxValue: number;
}

let img: SparseImage | undefined;
let path: string | undefined;

parentPort!.on('message', (m: Round) => {
  void (async () => {
    const lib = await openH5();
    if (!img) {
      // the worker never reads the file itself: chunks arrive by message, misses go back
      const sizeOnly = { size: m.size } as unknown as RandomAccessReader;
      img = new SparseImage(sizeOnly, Number.MAX_SAFE_INTEGER);
      path = await mountImage(lib, img, m.size);
    }
    for (const [c, data] of m.chunks) img.chunks.set(c, data);
    img.misses.clear();
    try {
      const result = readOnce(lib, path!, m.wanted, m.maxValue);
      parentPort!.postMessage({ result, misses: [...img.misses] });
    } catch (e) {
      parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e), misses: [...img.misses] });
    }
  })();
});
