/**
 * Scan many local files on every core (architecture: "Scale"). This thread scans too: the jobs are cut
 * into batches (largest files first), the whole plan goes to each worker once, and every thread claims
 * the next batch from a shared counter, so no thread waits for another to hand it work and a worker
 * that is still starting simply claims fewer batches. Workers post each batch's results; results come
 * back in input order, so the report does not depend on which thread was faster. Remote artifacts
 * stay on the main thread, where their block caches and connection pools live.
 *
 * A worker that fails (a crash, an out-of-memory exit) makes the file it was scanning inconclusive,
 * never clean; the rest of its batch is scanned here.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ArtifactFile } from '../artifact/types.js';
import { planBatches } from '../model/batches.js';
import { workerScript } from '../package.js';
import { scanFile, type DispatchOptions, type FileScanResult } from './dispatch.js';

export interface PoolJob {
  path: string;
  localPath: string;
  size: number;
}

/** What a worker is handed once: the jobs, the batches as ranges of `order`, the claim counter. */
export interface ScanPlan {
  jobs: PoolJob[];
  /** job indexes, largest first */
  order: Int32Array;
  /** batch b is order[bounds[b]] … order[bounds[b + 1] - 1] */
  bounds: Int32Array;
  /** one Int32: the next unclaimed batch */
  claim: Int32Array;
}

/**
 * workerData: budgets, and the worker's slot in `current`, shared memory where it writes the batch it
 * claimed (`current[2 * slot]`) and the job it is scanning (`current[2 * slot + 1]`), -1 for none: a
 * worker that dies mid-file cannot say so in a message.
 */
export interface PoolWorkerStart {
  budgets: DispatchOptions['budgets'];
  slot: number;
  current: Int32Array;
}

export type PoolMessage = { batch: number; results: FileScanResult[] } | { done: true };

/** A batch ends at this many files or bytes: small enough to balance the threads, large enough that a message per batch costs nothing. */
const BATCH_FILES = 16;
const BATCH_BYTES = 4 << 20;

/**
 * Without `concurrency`, workers start only for work that outlasts their start-up and the cost of
 * sharing the machine. A worker of the bundle answers its first file ~50–100 ms after it is created,
 * and on the 2-core VM this was measured on, two threads (or two processes) of allocation-heavy
 * scanning each ran ~1.4× slower than one alone. 2,000 small pickles (24 MB): 0.22–0.27 s with one
 * worker beside this thread against 0.13–0.20 s on this thread alone; eight 12 MB dense pickles:
 * 1.27–1.36 s against 1.44–1.57 s (issue 16).
 */
export const POOL_MIN_BYTES = 64 << 20;
export const POOL_MIN_FILES_ALONE = 5000;
/** Fewer small files than this never start a worker, even when threads are asked for. */
export const POOL_MIN_FILES = 16;
const workerFile = (): string | undefined => workerScript(import.meta.url, './pool-worker.js');

/** Largest first, cut where a batch reaches BATCH_BYTES or BATCH_FILES. */
export function makePlan(jobs: PoolJob[]): ScanPlan {
  const { order, bounds } = planBatches(jobs.map((j) => j.size), BATCH_FILES, BATCH_BYTES);
  return { jobs, order, bounds, claim: new Int32Array(new SharedArrayBuffer(4)) };
}

const batchesOf = (files: number, bytes: number): number => Math.max(Math.ceil(files / BATCH_FILES), Math.min(files, Math.ceil(bytes / BATCH_BYTES)));

/**
 * Worker threads to start beside this one for `files` local files of `bytes` in all (0: scan on this
 * thread alone). `concurrency` is the threads in all, this one included (1: none started).
 */
export function poolSize(files: number, concurrency: number | undefined, bytes = Number.POSITIVE_INFINITY): number {
  if (files < 2 || !workerFile()) return 0;
  const big = Number.isFinite(bytes) && bytes >= POOL_MIN_BYTES;
  // a handful of small files is scanned before a worker would answer, threads asked for or not
  if (!big && files < POOL_MIN_FILES) return 0;
  if (concurrency === undefined && !big && files < POOL_MIN_FILES_ALONE) return 0;
  const threads = Math.min(availableParallelism(), concurrency ?? 4, 4, batchesOf(files, Number.isFinite(bytes) ? bytes : files * BATCH_BYTES));
  return Math.max(0, threads - 1);
}

/** A local file for the dispatcher: read whole when small, else opened (worker threads have no artifact). */
export function localJobFile(job: PoolJob, open: (path: string) => ArtifactFile['open'], readAll: (path: string, size: number) => ArtifactFile['readAll']): ArtifactFile {
  return { path: job.path, size: job.size, localPath: job.localPath, open: open(job.localPath), readAll: readAll(job.localPath, job.size) };
}

/** Claim batches from `plan` until none is left; `scanOne` scans job k, `each` gets every batch's results. */
export async function claimBatches(
  plan: ScanPlan,
  scanOne: (job: number, batch: number) => Promise<FileScanResult>,
  each: (batch: number, results: FileScanResult[]) => void,
  between?: () => Promise<void>,
): Promise<void> {
  const batches = plan.bounds.length - 1;
  for (let b = Atomics.add(plan.claim, 0, 1); b < batches; b = Atomics.add(plan.claim, 0, 1)) {
    const results: FileScanResult[] = [];
    for (let k = plan.bounds[b]!; k < plan.bounds[b + 1]!; k++) results.push(await scanOne(plan.order[k]!, b));
    each(b, results);
    await between?.();
  }
}

const failedResult = (job: PoolJob, why: string): FileScanResult => ({
  facts: [],
  inconclusive: [{ path: job.path, code: 'IO_ERROR', message: `scanner worker failed: ${why}` }],
  formats: [],
});

/**
 * Scan `files` (all local) with `workers` worker threads beside this one. `files[i]` is scanned here
 * as the artifact gave it, or in a worker from `jobs[i]`. `script` is the worker (pool-worker.js; the
 * tests hand a failing one).
 */
export async function scanInPool(files: ArtifactFile[], opts: DispatchOptions, workers: number, script = workerFile()!): Promise<FileScanResult[]> {
  const jobs: PoolJob[] = files.map((f) => ({ path: f.path, localPath: f.localPath!, size: f.size }));
  const plan = makePlan(jobs);
  const out = new Array<FileScanResult | undefined>(jobs.length);
  const current = new Int32Array(new SharedArrayBuffer(8 * workers)).fill(-1);
  /** jobs of a failed worker's batch it did not get to: scanned here at the end */
  const leftovers: number[] = [];
  const record = (batch: number, results: FileScanResult[]): void => {
    for (let k = plan.bounds[batch]!, r = 0; k < plan.bounds[batch + 1]!; k++, r++) {
      const i = plan.order[k]!;
      out[i] = results[r]!;
      opts.onDone?.(jobs[i]!.path);
    }
  };
  const started = Array.from({ length: workers }, (_, slot) => {
    const w = new Worker(script, { workerData: { budgets: opts.budgets, slot, current } satisfies PoolWorkerStart });
    const finished = new Promise<void>((resolve) => {
      let settled = false;
      const fail = (why: string): void => {
        if (settled) return;
        settled = true;
        const claimed = Atomics.load(current, 2 * slot);
        const k = Atomics.load(current, 2 * slot + 1);
        if (k >= 0 && !out[k]) out[k] = failedResult(jobs[k]!, why);
        if (claimed >= 0) for (let j = plan.bounds[claimed]!; j < plan.bounds[claimed + 1]!; j++) if (!out[plan.order[j]!]) leftovers.push(plan.order[j]!);
        void w.terminate().then(() => resolve());
      };
      w.on('message', (m: PoolMessage) => {
        if ('batch' in m) return record(m.batch, m.results);
        settled = true;
        void w.terminate().then(() => resolve());
      });
      w.on('error', (e: Error) => fail(e.message));
      w.on('exit', (code) => fail(`exited with code ${code}`));
    });
    w.postMessage({ plan });
    return finished;
  });
  const here = claimBatches(
    plan,
    (i) => scanFile(files[i]!, opts),
    (b, rs) => record(b, rs),
    () => new Promise<void>((r) => setImmediate(r)),
  );
  await Promise.all([here, ...started]);
  for (const i of leftovers) {
    if (out[i]) continue;
    out[i] = await scanFile(files[i]!, opts);
    opts.onDone?.(jobs[i]!.path);
  }
  const missing = out.findIndex((r) => r === undefined);
  if (missing >= 0) throw new Error(`no scan result for ${jobs[missing]!.path}`);
  return out as FileScanResult[];
}
