/**
 * Hash many files across all cores. Jobs are sorted largest first and handed out in batches to
 * worker threads as each becomes idle, so one big checkpoint and ten thousand small files both keep
 * every core busy. Small workloads, one core, or a missing worker build use the sequential path.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../../package.js';
import { prepareAlg } from './algs.js';
import { hashFileSync, type HashJob, type HashResult } from './file.js';

export interface HashOptions {
  /** worker threads; default: available cores. 1 = sequential in this thread */
  threads?: number;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
}

export interface SizedJob extends HashJob {
  /** size from the directory walk, used only to schedule */
  sizeHint: number;
}

const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_FILES = 64;
/** below this, starting workers costs more than it saves */
const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
const PARALLEL_MIN_FILES = 200;

const workerFile = (): string | undefined => workerScript(import.meta.url, './worker.js');

export async function hashFiles(jobs: SizedJob[], opts: HashOptions = {}): Promise<HashResult[]> {
  const total = jobs.reduce((n, j) => n + j.sizeHint, 0);
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), jobs.length));
  const file = threads > 1 && (total >= PARALLEL_MIN_BYTES || jobs.length >= PARALLEL_MIN_FILES) ? workerFile() : undefined;
  if (!file) return hashSequential(jobs, total, opts);
  return hashParallel(jobs, total, threads, file, opts);
}

export async function hashSequential(jobs: SizedJob[], total: number, opts: HashOptions = {}): Promise<HashResult[]> {
  for (const alg of new Set(jobs.map((j) => j.alg))) await prepareAlg(alg);
  let done = 0;
  return jobs.map((j) => {
    const r = hashFileSync(j);
    done += j.sizeHint;
    opts.onProgress?.(done, total);
    return r;
  });
}

function makeBatches(jobs: SizedJob[]): number[][] {
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b]!.sizeHint - jobs[a]!.sizeHint);
  const batches: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  for (const i of order) {
    cur.push(i);
    bytes += jobs[i]!.sizeHint;
    if (bytes >= BATCH_BYTES || cur.length >= BATCH_FILES) {
      batches.push(cur);
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length) batches.push(cur);
  return batches;
}

/**
 * Workers take batches as they go idle; this thread takes part too (one worker fewer to start on a
 * 2-core machine), yielding between its batches so worker replies are handled promptly.
 */
async function hashParallel(jobs: SizedJob[], total: number, threads: number, file: string, opts: HashOptions): Promise<HashResult[]> {
  const results = new Array<HashResult>(jobs.length);
  const batches = makeBatches(jobs);
  let next = 0;
  let done = 0;
  const record = (id: number, rs: HashResult[]): void => {
    batches[id]!.forEach((jobIndex, k) => {
      results[jobIndex] = rs[k]!;
      done += jobs[jobIndex]!.sizeHint;
    });
    opts.onProgress?.(done, total);
  };
  const workers = Array.from({ length: Math.min(threads - 1, batches.length - 1) }, () => new Worker(file));
  const viaWorker = (w: Worker): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const send = (): void => {
        if (next >= batches.length) return resolve();
        const id = next++;
        w.postMessage({ id, jobs: batches[id]!.map((i) => stripHint(jobs[i]!)) });
      };
      w.on('message', (msg: { id: number; results: HashResult[] }) => {
        record(msg.id, msg.results);
        send();
      });
      w.on('error', reject);
      send();
    });
  const here = async (): Promise<void> => {
    for (const alg of new Set(jobs.map((j) => j.alg))) await prepareAlg(alg);
    while (next < batches.length) {
      const id = next++;
      record(id, batches[id]!.map((i) => hashFileSync(jobs[i]!)));
      await new Promise<void>((r) => setImmediate(r));
    }
  };
  try {
    await Promise.all([...workers.map(viaWorker), here()]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

function stripHint(j: SizedJob): HashJob {
  return j.shardSize === undefined ? { abs: j.abs, alg: j.alg } : { abs: j.abs, alg: j.alg, shardSize: j.shardSize };
}
