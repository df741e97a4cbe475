/**
 * `scan --shard K/N` splits files deterministically, and `report merge` of all shards equals the
 * unsharded report (what a Kubernetes Indexed Job or CI matrix relies on).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';

const target = join(FIXTURES, 'pickle', 'malicious');

describe('sharded scans', () => {
  it('3 shards cover every file once and merge into the full report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlvet-shard-'));
    const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
      findings: unknown[];
      inconclusive: unknown[];
      summary: unknown;
      targets: Array<{ files: number }>;
    };
    // the four runs are independent, so they overlap (each run is in-process; nothing is shared)
    const scans = [...[1, 2, 3].map((k) => ['--shard', `${k}/3`, '-o', join(dir, `s${k}.json`)]), ['-o', join(dir, 'all.json')]];
    await Promise.all(scans.map((flags) => runCli(['scan', target, ...flags, '-f', 'json', '-q'])));
    const files = [1, 2, 3].map((k) => read(`s${k}.json`).targets[0]!.files);
    expect(files.every((n) => n > 0)).toBe(true);
    const merged = await runCli(['report', 'merge', ...[1, 2, 3].map((k) => join(dir, `s${k}.json`)), '-f', 'json', '-o', join(dir, 'm.json'), '-q']);
    expect(merged.code).toBe(1);
    const all = read('all.json');
    const m = read('m.json');
    expect(files.reduce((a, b) => a + b, 0)).toBe(all.targets[0]!.files);
    expect(m.findings).toEqual(all.findings);
    expect(m.inconclusive).toEqual(all.inconclusive);
    expect(m.summary).toEqual(all.summary);
  });
  it.each(['0/3', '4/3', 'x', '1/0'])('--shard %s is a usage error', async (spec) => {
    expect((await runCli(['scan', target, '--shard', spec])).code).toBe(3);
  });
  it('merging something that is not a report is a usage error', async () => {
    expect((await runCli(['report', 'merge', join(FIXTURES, 'demo', 'bert-mini', 'config.json')])).code).toBe(3);
  });
});
