/**
 * Worker-thread scanning must not change the report: same findings, same order, same inconclusive
 * entries as scanning on the main thread.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { poolSize } from '../../src/scanners/pool.js';
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
