/**
 * Hashing worker: gets the whole plan at start (workerData), claims batches from the shared counter
 * until none is left, posts each batch's results, then `done`. Runs the same synchronous code as the
 * sequential path, so both paths give identical digests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { claimBatches, type WorkerMessage, type WorkerPlan } from './pool.js';

const post = (m: WorkerMessage): void => parentPort!.postMessage(m);

await claimBatches(workerData as WorkerPlan, (batch, results) => post({ batch, results }));
post({ done: true });
