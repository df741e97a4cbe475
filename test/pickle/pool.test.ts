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
});
