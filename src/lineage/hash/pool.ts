/**
 * Hash many files across all cores. Jobs are sorted largest first and cut into batches; the whole
 * list goes to each worker once, at start, and every thread (this one too) claims the next batch
 * from a shared counter, so no thread waits for another to hand it work. Workers post each batch's
 * digests back as they finish it. Small workloads, one core, or a missing worker build use the
 * sequential path, which reads a large file ahead on the thread pool when a second core is allowed.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../../package.js';
import { prepareAlg } from './algs.js';
import { hashFileAhead, hashFileSync, type HashJob, type HashResult } from './file.js';

export interface HashOptions {
  /** worker threads; default: available cores. 1 = sequential in this thread, no read-ahead */
  threads?: number;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
}

export interface SizedJob extends HashJob {
  /** size from the directory walk, used only to schedule */
  sizeHint: number;
}

/** What a hashing worker gets at start (workerData): jobs, the batches as ranges of `order`, the claim counter. */
export interface WorkerPlan {
  jobs: HashJob[];
  /** job indexes, largest first */
  order: Int32Array;
  /** batch b is order[bounds[b]] … order[bounds[b + 1] - 1] */
  bounds: Int32Array;
  /** one Int32: the next unclaimed batch */
  claim: Int32Array;
}

/** A worker's messages: one per batch, then `done`. */
export type WorkerMessage = { batch: number; results: HashResult[] } | { done: true };

const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_FILES = 64;
/** below this, starting workers costs more than it saves */
const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
const PARALLEL_MIN_FILES = 200;
/** below this, a file is read synchronously: read-ahead's thread-pool round trips cost more than they hide */
const AHEAD_MIN_BYTES = 16 * 1024 * 1024;

const workerFile = (): string | undefined => workerScript(import.meta.url, './worker.js');

export async function hashFiles(jobs: SizedJob[], opts: HashOptions = {}): Promise<HashResult[]> {
  const total = jobs.reduce((n, j) => n + j.sizeHint, 0);
  const cores = Math.max(1, opts.threads ?? availableParallelism());
  const threads = Math.min(cores, jobs.length);
  const file = threads > 1 && (total >= PARALLEL_MIN_BYTES || jobs.length >= PARALLEL_MIN_FILES) ? workerFile() : undefined;
  if (!file) return hashSequential(jobs, total, opts, cores > 1);
  return hashParallel(jobs, total, threads, file, opts);
}

export async function prepareAlgs(jobs: readonly HashJob[]): Promise<void> {
  for (const alg of new Set(jobs.map((j) => j.alg))) await prepareAlg(alg);
}

export async function hashSequential(jobs: SizedJob[], total: number, opts: HashOptions = {}, readAhead = false): Promise<HashResult[]> {
  await prepareAlgs(jobs);
  let done = 0;
  const out: HashResult[] = [];
  for (const j of jobs) {
    out.push(readAhead && j.sizeHint >= AHEAD_MIN_BYTES ? await hashFileAhead(j) : hashFileSync(j));
    done += j.sizeHint;
    opts.onProgress?.(done, total);
  }
  return out;
}

/** Largest first, cut where a batch reaches BATCH_BYTES or BATCH_FILES. */
function makePlan(jobs: SizedJob[]): WorkerPlan {
  const order = Int32Array.from(jobs.keys()).sort((a, b) => jobs[b]!.sizeHint - jobs[a]!.sizeHint);
  const bounds = [0];
  let files = 0;
  let bytes = 0;
  order.forEach((jobIndex, k) => {
    files++;
    bytes += jobs[jobIndex]!.sizeHint;
    if (bytes >= BATCH_BYTES || files >= BATCH_FILES || k === order.length - 1) {
      bounds.push(k + 1);
      files = 0;
      bytes = 0;
    }
  });
  return { jobs: jobs.map(stripHint), order, bounds: Int32Array.from(bounds), claim: new Int32Array(new SharedArrayBuffer(4)) };
}

/** Hash the batches this thread claims until none is left; `each` gets every batch's results. */
export async function claimBatches(plan: WorkerPlan, each: (batch: number, results: HashResult[]) => void, between?: () => Promise<void>): Promise<void> {
  await prepareAlgs(plan.jobs);
  const batches = plan.bounds.length - 1;
  for (let b = Atomics.add(plan.claim, 0, 1); b < batches; b = Atomics.add(plan.claim, 0, 1)) {
    const results: HashResult[] = [];
    for (let k = plan.bounds[b]!; k < plan.bounds[b + 1]!; k++) results.push(hashFileSync(plan.jobs[plan.order[k]!]!));
    each(b, results);
    await between?.();
  }
}

/**
 * This thread takes part (one worker fewer to start on a 2-core machine), yielding between its
 * batches so worker results (and progress) are handled as they come.
 */
async function hashParallel(jobs: SizedJob[], total: number, threads: number, file: string, opts: HashOptions): Promise<HashResult[]> {
  const results = new Array<HashResult | undefined>(jobs.length);
  const plan = makePlan(jobs);
  let done = 0;
  const record = (batch: number, rs: HashResult[]): void => {
    for (let k = plan.bounds[batch]!, r = 0; k < plan.bounds[batch + 1]!; k++, r++) {
      const jobIndex = plan.order[k]!;
      results[jobIndex] = rs[r]!;
      done += jobs[jobIndex]!.sizeHint;
    }
    opts.onProgress?.(done, total);
  };
  const workers = Array.from({ length: Math.min(threads - 1, plan.bounds.length - 2) }, () => new Worker(file, { workerData: plan }));
  const finished = (w: Worker): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      w.on('message', (msg: WorkerMessage) => ('done' in msg ? resolve() : record(msg.batch, msg.results)));
      w.on('error', reject);
      w.on('exit', (code) => reject(new Error(`hashing worker exited (code ${code}) before it finished`)));
    });
  try {
    await Promise.all([...workers.map(finished), claimBatches(plan, record, () => new Promise<void>((r) => setImmediate(r)))]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const missing = results.findIndex((r) => r === undefined);
  if (missing >= 0) throw new Error(`no hash result for ${jobs[missing]!.abs}`);
  return results as HashResult[];
}

function stripHint(j: SizedJob): HashJob {
  return j.shardSize === undefined ? { abs: j.abs, alg: j.alg } : { abs: j.abs, alg: j.alg, shardSize: j.shardSize };
}
