/**
 * Worker-thread side of the scan pool: given the plan, claims batches from the shared counter and
 * scans each file with the normal dispatcher, posting each batch's results, then `done`. Before each
 * file it writes the batch and the job into shared memory, so a crash names the file it died on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FileReader, readSmallFile } from '../artifact/file-reader.js';
import { scanFile } from './dispatch.js';
import { claimBatches, localJobFile, type PoolMessage, type PoolWorkerStart, type ScanPlan } from './pool.js';

const { budgets, slot, current } = workerData as PoolWorkerStart;
const post = (m: PoolMessage): void => parentPort!.postMessage(m);

const open = (path: string) => () => Promise.resolve(FileReader.open(path));
const readAll = (path: string, size: number) => (max: number) => Promise.resolve(size > max ? undefined : readSmallFile(path, size).bytes);

parentPort!.once('message', (m: { plan: ScanPlan }) => {
  const { plan } = m;
  void claimBatches(
    plan,
    (k, batch) => {
      Atomics.store(current, 2 * slot, batch);
      Atomics.store(current, 2 * slot + 1, k);
      return scanFile(localJobFile(plan.jobs[k]!, open, readAll), { budgets });
    },
    (batch, results) => {
      post({ batch, results });
      Atomics.store(current, 2 * slot, -1);
      Atomics.store(current, 2 * slot + 1, -1);
    },
  ).then(() => post({ done: true }));
});
