/** scan() refuses options that would scan nothing and call it clean. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';

const TARGET = join(FIXTURES, 'demo', 'bert-mini');

describe('scan() options', () => {
  it.each([[Number.NaN], [0], [-1], [1.5], [Number.POSITIVE_INFINITY]])('concurrency %s is a usage error', async (concurrency) => {
    await expect(scan({ targets: [TARGET], concurrency })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('concurrency 1 scans every file', async () => {
    const report = await scan({ targets: [TARGET], concurrency: 1 });
    expect(report.targets[0]!.files).toBeGreaterThan(1);
    expect(report.files?.length).toBeGreaterThan(1);
  });
});
