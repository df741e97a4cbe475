/**
 * Worker-thread scanning must not change the report: same findings, same order, same inconclusive
 * entries as scanning on the main thread.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArtifactFile } from '../../src/artifact/types.js';
import { DEFAULT_BUDGETS } from '../../src/model/budgets.js';
import { scan } from '../../src/scan.js';
import { makePlan, poolSize, scanInPool } from '../../src/scanners/pool.js';
import { localArtifact } from '../../src/sources/local.js';
import { FIXTURES } from '../helpers/cli.js';

describe('scan pool', () => {
  it('uses workers for many local files and gives the same report as one thread', async () => {
    const target = join(FIXTURES, 'pickle', 'malicious');
    expect(poolSize(200, 4)).toBeGreaterThanOrEqual(1);
    const pooled = await scan({ targets: [target], concurrency: 4, now: new Date(0) });
    const single = await scan({ targets: [target], concurrency: 1, now: new Date(0) });
    expect(pooled.findings.length).toBeGreaterThan(200);
    expect(pooled.findings).toEqual(single.findings);
    expect(pooled.inconclusive).toEqual(single.inconclusive);
    expect(pooled.targets).toEqual(single.targets);
  });
  it('reports progress once per file from this thread and the workers alike', async () => {
    const target = join(FIXTURES, 'pickle', 'malicious');
    const seen: string[] = [];
    let last = { done: 0, total: -1 };
    const report = await scan({ targets: [target], concurrency: 2, onProgress: (done, total, path) => (seen.push(path), (last = { done, total })) });
    expect(seen.length).toBe(report.targets[0]!.files);
    expect(new Set(seen).size).toBe(seen.length);
    expect(last).toEqual({ done: seen.length, total: seen.length });
  });
  it('does not start workers for a handful of files', () => {
    expect(poolSize(3, 4)).toBe(0);
  });
  it.each([
    // files, concurrency, bytes, workers?
    [100, undefined, 1e6, false], // a pre-commit hook's worth: scanned before a worker would answer
    [2000, undefined, 24e6, false], // small pickles: two threads share the machine worse than one uses it
    [2000, 1, 24e6, false], // one thread asked for
    [2000, 4, 24e6, true], // asked for threads
    [20, undefined, 2e9, true], // big checkpoints
    [1, undefined, 2e9, false], // one file is one batch: a worker would only wait
    [6000, undefined, 60e6, true],
  ] as const)('%i files, concurrency %s, %i bytes: workers %s', (files, concurrency, bytes, workers) => {
    expect(poolSize(files, concurrency, bytes) > 0).toBe(workers);
  });
});

describe('scan pool: a worker that dies', () => {
  it('makes the file it was on inconclusive, never clean, and this thread scans the rest of its batch', async () => {
    const target = join(FIXTURES, 'pickle', 'malicious');
    const files: ArtifactFile[] = [];
    for await (const f of localArtifact(target).files()) files.push(f);
    const plan = makePlan(files.map((f) => ({ path: f.path, localPath: f.localPath!, size: f.size })));
    // a worker that claims the first batch, says it is on that batch's second file, and exits mid-file
    const dir = mkdtempSync(join(tmpdir(), 'mlvet-pool-'));
    const script = join(dir, 'dies.mjs');
    const said = join(dir, 'job');
    // (this thread may have claimed the first batches by then: the worker writes down the job it died on)
    writeFileSync(script, `import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
parentPort.once('message', ({ plan }) => {
  const b = Atomics.add(plan.claim, 0, 1);
  const job = plan.order[plan.bounds[b] + 1];
  Atomics.store(workerData.current, 2 * workerData.slot, b);
  Atomics.store(workerData.current, 2 * workerData.slot + 1, job);
  writeFileSync(${JSON.stringify(said)}, String(job));
  process.exit(7);
});
`);
    expect(plan.bounds.length).toBeGreaterThan(3); // batches enough that the worker gets one
    const results = await scanInPool(files, { budgets: DEFAULT_BUDGETS }, 1, script);
    const single = await scan({ targets: [target], concurrency: 1, now: new Date(0) });
    const dead = files[Number(readFileSync(said, 'utf8'))]!.path;
    expect(results.length).toBe(files.length);
    const failed = results.flatMap((r) => r.inconclusive.filter((i) => /scanner worker failed/.test(i.message)).map((i) => i.path));
    expect(failed).toEqual([dead]);
    expect(results.find((r) => r.inconclusive.some((i) => i.path === dead))!.facts).toEqual([]);
    // every other file was scanned (by this thread, the dead worker's batch included): the same formats as one thread's scan
    const formats = (paths: Array<{ path: string; format: string }>): string[] => paths.filter((f) => f.path !== dead).map((f) => `${f.path} ${f.format}`).sort();
    expect(formats(results.flatMap((r) => r.formats))).toEqual(formats(single.files ?? []));
    expect(results.filter((r) => r.formats.length > 0).length).toBe(files.length - 1);
  });
});
