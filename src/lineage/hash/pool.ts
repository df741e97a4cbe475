/**
 * Hash many files across all cores. Jobs are sorted largest first and cut into batches; the whole
 * list goes to each worker once, and every thread (this one too) claims the next batch from a shared
 * counter, so no thread waits for another to hand it work. Workers post each batch's digests back as
 * they finish it. `HashFeed` starts the workers while a walk still lists files and hands them early
 * batches. Small workloads, one core, or a missing worker build use the sequential path, which reads
 * a large file ahead on the thread pool when a second core is allowed.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../../package.js';
import { planBatches } from '../../model/batches.js';
import { prepareAlg } from './algs.js';
import { hashFileSync, type HashJob, type HashResult } from './file.js';

export interface HashOptions {
  /** worker threads; default: available cores. 1 = sequential in this thread, no read-ahead */
  threads?: number;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
}

export interface SizedJob extends HashJob {
  /** size from the directory walk, used only to schedule */
  sizeHint: number;
}

/** The plan a worker claims batches from: jobs, the batches as ranges of `order`, the claim counter. */
export interface WorkerPlan {
  jobs: HashJob[];
  /** job indexes, largest first */
  order: Int32Array;
  /** batch b is order[bounds[b]] … order[bounds[b + 1] - 1] */
  bounds: Int32Array;
  /** one Int32: the next unclaimed batch */
  claim: Int32Array;
}

/** workerData: the worker's slot in `inFlight`, the count of early batches handed to it and not yet hashed. */
export interface WorkerStart {
  slot: number;
  inFlight: Int32Array;
}

/** To a worker: batches handed out while the walk still runs (`first` is the index of their first job), then the plan. */
export type ToWorker = { first: number; jobs: HashJob[] } | { plan: WorkerPlan };
/** From a worker: each early batch's and each claimed batch's results, then `done` (after the plan). */
export type WorkerMessage = { first: number; results: HashResult[] } | { batch: number; results: HashResult[] } | { done: true };

const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_FILES = 64;
/** below this, starting workers costs more than it saves */
const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
const PARALLEL_MIN_FILES = 200;
/** early batches handed to one worker and not yet hashed, at most */
const EARLY_IN_FLIGHT = 2;

const workerFile = (): string | undefined => workerScript(import.meta.url, './worker.js');

const coresOf = (opts: HashOptions): number => Math.max(1, opts.threads ?? availableParallelism());
const worthWorkers = (files: number, bytes: number): boolean => bytes >= PARALLEL_MIN_BYTES || files >= PARALLEL_MIN_FILES;

export async function hashFiles(jobs: SizedJob[], opts: HashOptions = {}): Promise<HashResult[]> {
  const total = jobs.reduce((n, j) => n + j.sizeHint, 0);
  const cores = coresOf(opts);
  const threads = Math.min(cores, jobs.length);
  const file = threads > 1 && worthWorkers(jobs.length, total) ? workerFile() : undefined;
  const plan = file ? makePlan(jobs) : undefined;
  // one worker fewer than batches: this thread takes one too
  const workers = plan ? Math.min(threads - 1, plan.bounds.length - 2) : 0;
  if (!file || !plan || workers < 1) return hashSequential(jobs, total, opts);
  const run = new ParallelRun(jobs, file, workers, opts);
  run.total = total;
  return run.finish(0, plan);
}

export async function prepareAlgs(jobs: readonly HashJob[]): Promise<void> {
  for (const alg of new Set(jobs.map((j) => j.alg))) await prepareAlg(alg);
}

export async function hashSequential(jobs: SizedJob[], total: number, opts: HashOptions = {}): Promise<HashResult[]> {
  await prepareAlgs(jobs);
  let done = 0;
  const out: HashResult[] = [];
  for (const j of jobs) {
    out.push(hashFileSync(j));
    done += j.sizeHint;
    opts.onProgress?.(done, total);
  }
  return out;
}

/** Largest first, cut where a batch reaches BATCH_BYTES or BATCH_FILES. */
function makePlan(jobs: SizedJob[]): WorkerPlan {
  const { order, bounds } = planBatches(jobs.map((j) => j.sizeHint), BATCH_FILES, BATCH_BYTES);
  return { jobs: jobs.map(stripHint), order, bounds, claim: new Int32Array(new SharedArrayBuffer(4)) };
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
 * Workers and the results they post. Early batches (`handEarly`, while the walk runs: the walk is
 * synchronous, so a worker's count of unfinished ones is shared memory, not a message) hash jobs in
 * walk order; `finish(from)` plans the jobs from `from` on, largest first, and this thread claims
 * batches too (one worker fewer to start on a 2-core machine), yielding between them so worker
 * results and progress are handled as they come.
 */
class ParallelRun {
  private readonly workers: Worker[];
  private readonly inFlight: Int32Array;
  private readonly finished: Array<Promise<void>>;
  private readonly results: Array<HashResult | undefined> = [];
  private plan?: { plan: WorkerPlan; from: number };
  private done = 0;
  /** known once the walk is over */
  total?: number;

  constructor(
    private readonly jobs: readonly SizedJob[],
    file: string,
    n: number,
    private readonly opts: HashOptions,
  ) {
    this.inFlight = new Int32Array(new SharedArrayBuffer(4 * n));
    this.workers = Array.from({ length: n }, (_, slot) => new Worker(file, { workerData: { slot, inFlight: this.inFlight } satisfies WorkerStart }));
    this.finished = this.workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.on('message', (m: WorkerMessage) => {
            if ('done' in m) return resolve();
            if ('first' in m) m.results.forEach((r, k) => this.record(m.first + k, r));
            else this.recordBatch(m.batch, m.results);
            this.progress();
          });
          w.on('error', reject);
          w.on('exit', (code) => reject(new Error(`hashing worker exited (code ${code}) before it finished`)));
        }),
    );
    // a worker that fails during the walk is reported by finish(), not as an unhandled rejection
    for (const p of this.finished) p.catch(() => undefined);
  }

  /** Hand jobs [first, end) to a worker with room; false when every worker has EARLY_IN_FLIGHT batches waiting. */
  handEarly(first: number, end: number): boolean {
    const slot = this.inFlight.findIndex((_, i) => Atomics.load(this.inFlight, i) < EARLY_IN_FLIGHT);
    if (slot < 0) return false;
    Atomics.add(this.inFlight, slot, 1);
    this.workers[slot]!.postMessage({ first, jobs: this.jobs.slice(first, end).map(stripHint) } satisfies ToWorker);
    return true;
  }

  /** Hash jobs from `from` on (`plan`: theirs, when already made), with every early batch's results. */
  async finish(from: number, plan = makePlan(this.jobs.slice(from))): Promise<HashResult[]> {
    const rest = plan.jobs;
    this.plan = { plan, from };
    try {
      for (const w of this.workers) w.postMessage({ plan } satisfies ToWorker);
      const here = rest.length ? claimBatches(plan, (b, rs) => (this.recordBatch(b, rs), this.progress()), () => new Promise<void>((r) => setImmediate(r))) : Promise.resolve();
      await Promise.all([...this.finished, here]);
    } finally {
      await this.close();
    }
    const missing = this.jobs.findIndex((_, i) => this.results[i] === undefined);
    if (missing >= 0) throw new Error(`no hash result for ${this.jobs[missing]!.abs}`);
    return this.results as HashResult[];
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private record(jobIndex: number, r: HashResult): void {
    this.results[jobIndex] = r;
    this.done += this.jobs[jobIndex]!.sizeHint;
  }

  private recordBatch(batch: number, rs: HashResult[]): void {
    const { plan, from } = this.plan!;
    for (let k = plan.bounds[batch]!, r = 0; k < plan.bounds[batch + 1]!; k++, r++) this.record(from + plan.order[k]!, rs[r]!);
  }

  private progress(): void {
    if (this.total !== undefined) this.opts.onProgress?.(this.done, this.total);
  }
}

/**
 * Hashing fed by a walk as it lists files: once the listing has PARALLEL_MIN_FILES files, workers
 * start (booting while the walk goes on) and take early batches in walk order; `finish()` hashes the
 * rest across every thread. Fewer files go to `hashFiles` when the walk is over. Results come in the
 * order jobs were added, as from `hashFiles`.
 *
 * @example
 * const feed = new HashFeed(opts);
 * const walked = walkTree(root, { ignore, symlinks: 'reject', onFile: (f) => feed.add({ abs: f.abs, alg: 'sha256', sizeHint: f.size }) });
 * const results = walked.problems.length ? (await feed.cancel(), []) : await feed.finish();
 */
export class HashFeed {
  private readonly jobs: SizedJob[] = [];
  private bytes = 0;
  /** jobs before this were handed out early */
  private fed = 0;
  private run?: ParallelRun;
  private cores: number;

  constructor(private readonly opts: HashOptions = {}) {
    this.cores = coresOf(opts);
  }

  add(job: SizedJob): void {
    this.jobs.push(job);
    this.bytes += job.sizeHint;
    if (!this.run) {
      // by file count only: a few large files gain nothing from starting during a walk that short
      // (finish → hashFiles)
      if (this.cores === 1 || this.jobs.length < PARALLEL_MIN_FILES) return;
      const file = workerFile();
      // no worker build: asked once, then this feed is sequential
      if (!file) return void (this.cores = 1);
      this.run = new ParallelRun(this.jobs, file, this.cores - 1, this.opts);
    }
    this.handOut();
  }

  /** Cut early batches where one would be full (BATCH_FILES or BATCH_BYTES), while a worker has room. */
  private handOut(): void {
    let bytes = 0;
    for (let k = this.fed; k < this.jobs.length; k++) {
      bytes += this.jobs[k]!.sizeHint;
      if (k + 1 - this.fed < BATCH_FILES && bytes < BATCH_BYTES) continue;
      if (!this.run!.handEarly(this.fed, k + 1)) return;
      this.fed = k + 1;
      bytes = 0;
    }
  }

  /** Every job is added: hash the rest; results in the order jobs were added. */
  async finish(): Promise<HashResult[]> {
    if (!this.run) return hashFiles(this.jobs, this.opts);
    this.run.total = this.bytes;
    return this.run.finish(this.fed);
  }

  /** The walk failed: stop the workers. */
  async cancel(): Promise<void> {
    await this.run?.close();
  }
}

function stripHint(j: SizedJob): HashJob {
  return j.shardSize === undefined ? { abs: j.abs, alg: j.alg } : { abs: j.abs, alg: j.alg, shardSize: j.shardSize };
}
