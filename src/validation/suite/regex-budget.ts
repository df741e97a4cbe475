/**
 * Budgeted matching for patterns only a backtracking engine can run. One worker thread is shared by
 * every such pattern; each test blocks on a shared word for at most what is left of the
 * expectation's budget (the evaluators are synchronous, and Atomics.wait keeps them so). An overrun
 * terminates the worker (the next pattern gets a fresh one) and throws LIMIT_EXCEEDED, which ends the
 * run inconclusive (exit 2) with the expectation named.
 */
import { Worker } from 'node:worker_threads';
import { MlvetError } from '../../errors.js';
import { workerScript } from '../../package.js';

/** Per expectation, over all its values; MLVET_REGEX_BUDGET_MS overrides it. */
export const DEFAULT_REGEX_BUDGET_MS = 5000;
/** a worker that has not started in this long is an environment problem, not the pattern's */
const START_TIMEOUT_MS = 30_000;

interface Thread {
  worker: Worker;
  words: Int32Array;
}
let thread: Thread | undefined;

export function regexBudgetMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.MLVET_REGEX_BUDGET_MS);
  return Number.isFinite(v) && v > 0 ? Math.min(v, 3_600_000) : DEFAULT_REGEX_BUDGET_MS;
}

function start(): Thread | undefined {
  const script = workerScript(import.meta.url, './regex-worker.js');
  if (!script) return undefined;
  const words = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(script, { workerData: words.buffer });
  worker.unref();
  if (Atomics.wait(words, 0, 0, START_TIMEOUT_MS) === 'timed-out' && Atomics.load(words, 0) === 0) {
    void worker.terminate();
    throw new MlvetError('IO_ERROR', 'the regex worker thread did not start');
  }
  return { worker, words };
}

export interface BudgetedRegex {
  test(value: string): boolean;
}

/**
 * A matcher for `source`/`flags` (already valid JS) that runs on the worker within `budgetMs` in
 * total; `name` says which expectation and pattern in the error. Without a built worker (sources
 * run before `tsc`) it matches in-thread, unbounded.
 */
export function budgetedRegex(source: string, flags: string, name: string, budgetMs = regexBudgetMs()): BudgetedRegex {
  const local = new RegExp(source, flags);
  let spent = 0;
  return {
    test(value: string): boolean {
      thread ??= start();
      if (!thread) return local.test(value);
      const t = thread;
      const left = budgetMs - spent;
      const t0 = performance.now();
      Atomics.store(t.words, 0, 0);
      t.worker.postMessage({ source, flags, value });
      const r = left > 0 ? Atomics.wait(t.words, 0, 0, left) : 'timed-out';
      spent += performance.now() - t0;
      if (r === 'timed-out' && Atomics.load(t.words, 0) === 0) {
        thread = undefined;
        void t.worker.terminate();
        throw new MlvetError('LIMIT_EXCEEDED', `${name}: the regex needs backtracking and exceeded its time budget of ${budgetMs} ms`, { budgetMs });
      }
      const answer = Atomics.load(t.words, 1);
      // the pattern compiled here, so a failure there is the thread's, not the input's
      if (answer === 2) throw new MlvetError('IO_ERROR', `${name}: the regex worker could not run the pattern`);
      return answer === 1;
    },
  };
}
