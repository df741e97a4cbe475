/**
 * Hashing worker: hashes the early batches it is handed (then lowers its shared in-flight count),
 * and, given the plan, claims batches from the shared counter until none is left, posting each
 * batch's results, then `done`. Runs the same synchronous code as the sequential path, so both paths
 * give identical digests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { hashFileSync } from './file.js';
import { claimBatches, prepareAlgs, type ToWorker, type WorkerMessage, type WorkerStart } from './pool.js';

const { slot, inFlight } = workerData as WorkerStart;
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);

async function handle(m: ToWorker): Promise<void> {
  if ('plan' in m) {
    await claimBatches(m.plan, (batch, results) => post({ batch, results }));
    return post({ done: true });
  }
  await prepareAlgs(m.jobs);
  const results = m.jobs.map((j) => hashFileSync(j));
  Atomics.sub(inFlight, slot, 1);
  post({ first: m.first, results });
}

// one message at a time, in order: `done` must follow every early batch's results (preparing an
// algorithm can await, and the next message would otherwise start meanwhile)
let queue = Promise.resolve();
parentPort!.on('message', (m: ToWorker) => {
  queue = queue.then(() => handle(m));
});
