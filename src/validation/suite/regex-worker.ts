/**
 * The thread the backtracking (JS RegExp) patterns run on. The main thread blocks on a shared word
 * with a timeout, so a pattern that backtracks for ever costs one budget and a terminated worker,
 * never the run. Messages: `{ source, flags, value }`; the answer is written to the shared words.
 */
import { parentPort, workerData } from 'node:worker_threads';

interface Job {
  source: string;
  flags: string;
  value: string;
}

const words = new Int32Array(workerData as SharedArrayBuffer);
const compiled = new Map<string, RegExp>();

function regexOf(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let re = compiled.get(key);
  if (!re) {
    if (compiled.size > 256) compiled.clear();
    re = new RegExp(source, flags);
    compiled.set(key, re);
  }
  return re;
}

parentPort?.on('message', (job: Job) => {
  let answer = 2;
  try {
    answer = regexOf(job.source, job.flags).test(job.value) ? 1 : 0;
  } catch {
    answer = 2;
  }
  Atomics.store(words, 1, answer);
  Atomics.store(words, 0, 1);
  Atomics.notify(words, 0);
});
// say "ready" so start-up time is not charged to the first value's budget
Atomics.store(words, 0, 1);
Atomics.notify(words, 0);
