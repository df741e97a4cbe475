/** scan() refuses options that would scan nothing and call it clean. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/findings/report.js';
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

describe('scan() with a target that cannot be opened', () => {
  it.each([
    ['a missing local path', '/nonexistent/mlvet-target', 'NOT_FOUND', 3],
    ['an hf:// target while offline', 'hf://org/repo@main', 'OFFLINE', 3],
    ['an unsupported scheme', 'gs://bucket/model.bin', 'USAGE', 3],
  ])('%s: one inconclusive entry for it, the other targets still scanned, exit %i', async (_name, bad, code, exit) => {
    const report = await scan({ targets: [bad, TARGET], offline: true });
    expect(report.inconclusive.filter((i) => i.target === bad)).toEqual([{ target: bad, path: '', code, message: expect.stringContaining(bad) as string, scanner: 'source' }]);
    expect(report.targets.map((t) => [t.uri, t.kind])).toEqual([[bad, 'unknown'], [TARGET, 'local']]);
    expect(report.findings.some((f) => f.location.target === TARGET)).toBe(true);
    // a finding is never hidden: the demo's malicious file still fails the run
    expect(exitCodeFor(report, 'medium')).toBe(1);
    expect(exitCodeFor(report, 'none')).toBe(exit);
  });
});
