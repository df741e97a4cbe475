/**
 * Scan many local files on worker threads, so one process uses every core (architecture: "Scale").
 * Each worker runs the same dispatcher on its own files; results come back in input order, so the
 * report does not depend on which worker was faster. Remote artifacts stay on the main thread, where
 * their block caches and connection pools live.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../package.js';
import type { DispatchOptions, FileScanResult } from './dispatch.js';

export interface PoolJob {
  path: string;
  localPath: string;
  size: number;
}

/** Fewer files than this are not worth a worker's start-up (~0.3 s to load the scanners). */
export const POOL_MIN_FILES = 16;

/**
 * Unless `concurrency` asks for threads, workers start only for work that outlasts their start-up:
 * each loads the scanners (~0.3 s of CPU), about what scanning 1,000 small pickles or 50 MB of dense
 * pickle costs on the main thread. Measured on 2,000 small pickles (24 MB), the pool took more CPU
 * and more wall time than one thread (issue 16).
 */
export const POOL_MIN_BYTES = 64 << 20;
export const POOL_MIN_FILES_ALONE = 5000;

const workerFile = (): string | undefined => workerScript(import.meta.url, './pool-worker.js');

/** Threads for `files` local files of `bytes` in all (0: scan on this thread). */
export function poolSize(files: number, concurrency: number | undefined, bytes = Number.POSITIVE_INFINITY): number {
  if (files < POOL_MIN_FILES || !workerFile()) return 0;
  if (concurrency === undefined && bytes < POOL_MIN_BYTES && files < POOL_MIN_FILES_ALONE) return 0;
  return Math.max(0, Math.min(availableParallelism(), concurrency ?? 4, 4, Math.ceil(files / POOL_MIN_FILES)));
}

export async function scanInPool(jobs: PoolJob[], opts: DispatchOptions, threads: number): Promise<FileScanResult[]> {
  const script = workerFile()!;
  const out = new Array<FileScanResult>(jobs.length);
  let next = 0;
  const runWorker = (): Promise<void> =>
    new Promise((resolve) => {
      const w = new Worker(script, { workerData: { budgets: opts.budgets } });
      let current = -1;
      const feed = (): void => {
        if (next >= jobs.length) {
          void w.terminate().then(() => resolve());
          return;
        }
        current = next++;
        w.postMessage({ index: current, job: jobs[current] });
      };
      w.on('message', (m: { index: number; result: FileScanResult }) => {
        out[m.index] = m.result;
        opts.onDone?.(jobs[m.index]!.path);
        feed();
      });
      w.on('error', (e: Error) => {
        // a crashed worker makes its file inconclusive, never clean; the rest go to a new worker
        if (current >= 0 && !out[current]) {
          const job = jobs[current]!;
          out[current] = { facts: [], inconclusive: [{ path: job.path, code: 'IO_ERROR', message: `scanner worker failed: ${e.message}` }], formats: [] };
        }
        void runWorker().then(resolve);
      });
      feed();
    });
  await Promise.all(Array.from({ length: threads }, runWorker));
  return out;
}
