/**
 * Hashing worker: receives batches of jobs, answers with their results in order. Runs the same
 * synchronous code as the sequential path, so both paths give identical digests.
 */
import { parentPort } from 'node:worker_threads';
import { prepareAlg } from './algs.js';
import { hashFileSync, type HashJob } from './file.js';

interface Batch {
  id: number;
  jobs: HashJob[];
}

parentPort?.on('message', (msg: Batch) => {
  void (async () => {
    for (const alg of new Set(msg.jobs.map((j) => j.alg))) await prepareAlg(alg);
    const results = msg.jobs.map((j) => hashFileSync(j));
    parentPort!.postMessage({ id: msg.id, results });
  })();
});
