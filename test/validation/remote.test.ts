/**
 * `validate`/`profile` on `hf://datasets/org/name@rev`: the Parquet shards come over the Hub API (the
 * local test Hub server, through the real @huggingface/hub client) and give the same result as the
 * same shards on disk.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profile } from '../../src/validation/profile.js';
import { validate } from '../../src/validation/validate.js';
import { FIXTURES } from '../helpers/cli.js';
import { startHubServer, type HubServer } from '../sources/hub-server.js';
import { fastEnv, hubFilesFromDir, withEnv } from '../sources/helpers.js';

const SHA = 'da7a5e7da7a5e7da7a5e7da7a5e7da7a5e7da7a5';
const LOCAL = join(FIXTURES, 'datasets', 'hf-layout');
let hub: HubServer;
let restore: () => void;

beforeAll(async () => {
  hub = await startHubServer({ repos: [{ type: 'dataset', id: 'org/shards', refs: { main: SHA }, commits: { [SHA]: hubFilesFromDir(LOCAL) } }] });
  restore = withEnv({ ...fastEnv(), HF_ENDPOINT: hub.url });
}, 60_000);
afterAll(async () => {
  restore?.();
  await hub?.close();
});

describe('remote datasets', () => {
  it('profiles hf://datasets shards like the local copy', async () => {
    const remote = await profile({ dataset: `hf://datasets/org/shards@${SHA}` });
    const local = await profile({ dataset: LOCAL });
    expect(remote.baseline.rows).toBeGreaterThan(0);
    expect(remote.baseline.rows).toBe(local.baseline.rows);
    expect(remote.baseline.columns.map((c) => c.name)).toEqual(local.baseline.columns.map((c) => c.name));
  });
  it('validates hf://datasets shards against a baseline with the same findings as locally', async () => {
    const base = await profile({ dataset: LOCAL });
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync(join((await import('node:os')).tmpdir(), 'mlvet-rv-'));
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(base.baseline));
    const remote = await validate({ dataset: `hf://datasets/org/shards@${SHA}`, baseline: join(dir, 'baseline.json') });
    const local = await validate({ dataset: LOCAL, baseline: join(dir, 'baseline.json') });
    expect(remote.report.findings.map((f) => f.ruleId)).toEqual(local.report.findings.map((f) => f.ruleId));
    expect(remote.report.inconclusive).toEqual([]);
  });
  it('--offline refuses a remote dataset', async () => {
    await expect(validate({ dataset: `hf://datasets/org/shards@${SHA}`, offline: true })).rejects.toMatchObject({ code: 'OFFLINE' });
  });
});
