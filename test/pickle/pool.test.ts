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
    expect(poolSize(200, 4)).toBeGreaterThan(1);
    const pooled = await scan({ targets: [target], concurrency: 4, now: new Date(0) });
    const single = await scan({ targets: [target], concurrency: 1, now: new Date(0) });
    expect(pooled.findings.length).toBeGreaterThan(200);
    expect(pooled.findings).toEqual(single.findings);
    expect(pooled.inconclusive).toEqual(single.inconclusive);
    expect(pooled.targets).toEqual(single.targets);
  });
  it('does not start workers for a handful of files', () => {
    expect(poolSize(3, 4)).toBe(0);
  });
  it.each([
    // files, concurrency, bytes, workers?
    [2000, undefined, 24e6, false], // small pickles: a worker's start-up costs more than it saves
    [2000, 4, 24e6, true], // asked for threads
    [20, undefined, 2e9, true], // big checkpoints
    [6000, undefined, 60e6, true],
  ] as const)('%i files, concurrency %s, %i bytes: workers %s', (files, concurrency, bytes, workers) => {
    expect(poolSize(files, concurrency, bytes) > 1).toBe(workers);
  });
});
