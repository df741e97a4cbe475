/**
 * `scan()`: targets in, one Report out. The CLI is a thin layer over this.
 */
import type { Artifact, ArtifactFile } from './artifact/types.js';
import { budgetsFrom } from './config/config.js';
import { isMlvetError, MlvetError } from './errors.js';
import { failedTarget } from './findings/report.js';
import type { Budgets } from './model/budgets.js';
import { policyFor, type TargetFacts, type WithPolicy } from './findings/policy.js';
import type { Fact, InconclusiveEntry } from './model/facts.js';
import type { Report, TargetSummary } from './model/report.js';
import { scanFile, type FileScanResult } from './scanners/dispatch.js';
import { poolSize, scanInPool } from './scanners/pool.js';
import { inShard, type Shard } from './scanners/shard.js';
import { openTarget } from './sources/index.js';
import type { SourceOptions } from './sources/source.js';

export interface ScanOptions extends WithPolicy {
  /** local paths, `hf://…`, `s3://…`, `https://…` */
  targets: string[];
  offline?: boolean;
  /** environment for remote sources (endpoints, credentials source names); default process.env */
  env?: NodeJS.ProcessEnv;
  /** files in flight at once (remote targets benefit) */
  concurrency?: number;
  /** scan only shard K of N of each target's files (by hash of the path) */
  shard?: Shard;
  /** called after each file is scanned (progress display), with the bytes of the files done so far */
  onProgress?: (done: number, total: number, path: string, bytes?: { done: number; total: number }) => void;
  /** report only: facts collected per file are passed here too (tests, tooling) */
  onFacts?: (facts: Fact[]) => void;
  now?: Date;
  /** opens a target instead of the source registry (the audit hands over objects it already listed) */
  open?: (target: string, so: SourceOptions) => Promise<Artifact>;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

/**
 * Scan targets for unsafe serialization and unpinned sources.
 *
 * @example
 * const report = await scan({ targets: ['models/'] });
 * if (report.findings.some((f) => f.severity === 'critical')) process.exit(1);
 */
export async function scan(opts: ScanOptions): Promise<Report> {
  // a concurrency that is not a whole number would start no worker: nothing scanned, reported clean
  if (opts.concurrency !== undefined && !(Number.isInteger(opts.concurrency) && opts.concurrency >= 1)) {
    throw new MlvetError('USAGE', `concurrency must be a whole number of at least 1, not ${String(opts.concurrency)}`);
  }
  const policy = policyFor(opts);
  const cwd = opts.cwd ?? process.cwd();
  const budgets = budgetsFrom(policy.config);
  const facts: TargetFacts[] = [];
  const inconclusive: InconclusiveEntry[] = [];
  const targets: TargetSummary[] = [];
  const files: NonNullable<Report['files']> = [];
  for (const target of opts.targets) {
    let one: TargetScan;
    try {
      one = await scanTarget(target, opts, { cwd, budgets });
    } catch (e) {
      // the target could not be opened or listed (credentials, an API 5xx, DNS): the report still says so
      if (!isMlvetError(e)) throw e;
      const f = failedTarget(target, e);
      one = { facts: { target, facts: [] }, summary: f.summary, inconclusive: [f.inconclusive], files: [] };
    }
    facts.push(one.facts);
    targets.push(one.summary);
    // loops, not push(...spread): 120,000+ arguments overflow the call stack
    for (const i of one.inconclusive) inconclusive.push(i);
    for (const f of one.files) files.push(f);
  }
  return policy.report({ command: 'scan', targets, facts, inconclusive, files, ...(opts.now ? { now: opts.now } : {}) });
}

interface TargetScan {
  facts: TargetFacts;
  summary: TargetSummary;
  inconclusive: InconclusiveEntry[];
  files: NonNullable<Report['files']>;
}

async function scanTarget(target: string, opts: ScanOptions, ctx: { cwd: string; budgets: Budgets }): Promise<TargetScan> {
  const artifact = await (opts.open ?? openTarget)(target, { cwd: ctx.cwd, offline: opts.offline, ...(opts.env ? { env: opts.env } : {}) });
  try {
    const all: ArtifactFile[] = await collect(artifact.files());
    const list = opts.shard ? all.filter((f) => inShard(f.path, opts.shard!)) : all;
    let done = 0;
    const sizes = new Map(list.map((f) => [f.path, f.size]));
    const bytes = { done: 0, total: list.reduce((n, f) => n + f.size, 0) };
    const tick = (path: string): void => opts.onProgress?.(++done, list.length, path, { done: (bytes.done += sizes.get(path) ?? 0), total: bytes.total });
    const dispatch = { budgets: ctx.budgets, ...(opts.onProgress ? { onDone: tick } : {}) };
    // worker threads beside this one, which scans too
    const workers = list.every((f) => f.localPath) ? poolSize(list.length, opts.concurrency, bytes.total) : 0;
    const results: FileScanResult[] =
      workers > 0
        ? await scanInPool(list, { ...dispatch, onDone: tick }, workers)
        : await mapLimit(list, opts.concurrency ?? 4, async (f) => {
            const r = await scanFile(f, dispatch);
            tick(f.path);
            return r;
          });
    const targetFacts = [...artifact.facts, ...results.flatMap((r) => r.facts)];
    opts.onFacts?.(targetFacts);
    const out: TargetScan = {
      facts: { target, facts: targetFacts },
      summary: {
        uri: target,
        kind: artifact.info.kind,
        ...(artifact.info.resolvedRevision ? { resolvedRevision: artifact.info.resolvedRevision } : {}),
        files: list.length,
        bytesRead: workers > 0 ? results.reduce((n, r) => n + (r.bytesRead ?? 0), 0) : artifact.bytesRead(),
        bytesTotal: list.reduce((n, f) => n + f.size, 0),
      },
      inconclusive: [],
      files: [],
    };
    for (const r of results) {
      for (const i of r.inconclusive) out.inconclusive.push({ target, ...i });
      for (const f of r.formats) out.files.push({ target, ...f });
    }
    return out;
  } finally {
    await artifact.close();
  }
}


async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
