/**
 * s3:// end to end through the real @aws-sdk/client-s3 against s3rver on a random port
 * (AWS_ENDPOINT_URL_S3), directly and through a proxy that adds versioning and faults. Parity runs on
 * a representative sample of each fixture folder (paritySample); MLVET_TEST_FULL=1 sends every file.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';
import { cli, comparable, fastEnv, paritySample, stageFiles, stallEnv, startS3, walkFiles, withEnv, type S3Server } from './helpers.js';
import { startS3Proxy, type S3Proxy } from './s3-proxy.js';

const DIRS = ['pickle', 'formats', 'hub/pinning-repo'];
/** a sample of every n-th file of each folder (see paritySample) */
const EVERY: Record<string, number> = { pickle: 8, formats: 3, 'hub/pinning-repo': 1 };
/** fixture folder → a scratch copy of its sample: the local side of the parity scans */
const staged: Record<string, string> = {};
/**
 * no fault is injected here: a longer per-attempt deadline than fastEnv's 2.5 s costs nothing when the
 * server answers, and at load 20 the 2.5 s one left whole parity scans inconclusive (seen: no findings)
 */
const PARITY_ENV = { MLVET_HTTP_TIMEOUT_MS: '15000' };
const FAULTS = ['500', 'reset', 'stall', 'short'] as const;
const EVIL = Buffer.from('cposix\nsystem\n(Vid\ntR.', 'latin1');
let s3: S3Server;
let versioned: S3Proxy;
let faulty: S3Proxy;
let restore: () => void;
/** the s3rver endpoint and credentials, no disk cache, short timeouts; `endpoint` swaps in a proxy */
const env = (endpoint?: string): Record<string, string> => ({ ...fastEnv(), ...s3.env, ...(endpoint ? { AWS_ENDPOINT_URL_S3: endpoint } : {}) });

beforeAll(async () => {
  s3 = await startS3(['models', 'audit']);
  // eight uploads in flight: one at a time, the fixture upload alone took a good part of this file's time
  for (const d of DIRS) staged[d] = stageFiles(join(FIXTURES, d), paritySample(join(FIXTURES, d), EVERY[d]!));
  const uploads = DIRS.flatMap((d) => walkFiles(staged[d]!).map((p) => [d, p] as const));
  const upload = async (): Promise<void> => {
    for (let u = uploads.shift(); u; u = uploads.shift()) await s3.put('models', `${u[0]}/${u[1]}`, readFileSync(join(staged[u[0]]!, u[1])));
  };
  await Promise.all(Array.from({ length: 8 }, upload));
  await s3.put('audit', 'base/model.bin', EVIL);
  for (const k of FAULTS) await s3.put('audit', `faults/${k}.bin`, EVIL);
  versioned = await startS3Proxy(s3.endpoint, { versioned: true });
  faulty = await startS3Proxy(s3.endpoint);
  restore = withEnv({ ...fastEnv(), ...s3.env });
}, 120_000);
afterAll(async () => {
  restore();
  await versioned.close();
  await faulty.close();
  await s3.close();
  for (const d of Object.values(staged)) rmSync(d, { recursive: true, force: true });
});

describe('s3:// parity with local scans', () => {
  it.each(DIRS)('fixtures/%s gives the same findings from S3 as from disk', async (d) => {
    // at once: the local scan runs on worker threads, the remote one on this thread
    const [local, remote] = await Promise.all([scan({ targets: [staged[d]!] }), scan({ targets: [`s3://models/${d}/`], env: { ...env(), ...PARITY_ENV } })]);
    expect(comparable(remote)).toEqual(comparable(local));
    expect(remote.targets[0]).toMatchObject({ kind: 's3', files: local.targets[0]!.files });
    expect(remote.targets[0]!.bytesRead).toBeGreaterThan(0);
  });
});

describe('s3:// pinning', () => {
  it('one key in a bucket without versioning: overwritable, weak digest', async () => {
    const r = await scan({ targets: ['s3://audit/base/model.bin'] });
    expect(r.findings.map((f) => [f.ruleId, f.location.path]).sort()).toEqual([
      ['pickle/code-execution', 'model.bin'],
      ['pinning/s3-overwritable-object', 'model.bin'],
      ['pinning/weak-digest', 'model.bin'],
    ]);
  });
  it('a versioned bucket read without versionId names the version to pin (CLI)', async () => {
    const r = await cli(['scan', 's3://audit/base/model.bin', '--format', 'json'], env(versioned.endpoint));
    const f = (r.report.findings as Array<{ ruleId: string; evidence: Record<string, unknown> }>).find((x) => x.ruleId === 'pinning/s3-unversioned-read');
    expect(f?.evidence).toMatchObject({ versioning: 'Enabled', versionId: 'v1', pinTo: 's3://audit/base/model.bin?versionId=v1' });
    expect(r.code).toBe(1);
  });
  it('?versionId= is pinned', async () => {
    const r = await cli(['scan', 's3://audit/base/model.bin?versionId=v1', '--format', 'json'], env(versioned.endpoint));
    expect(r.report.findings, r.stderr).toBeDefined();
    const ids = (r.report.findings as Array<{ ruleId: string }>).map((x) => x.ruleId);
    expect(ids).toContain('pickle/code-execution');
    expect(ids).not.toContain('pinning/s3-unversioned-read');
    expect(ids).not.toContain('pinning/s3-overwritable-object');
  });
  it.each([
    ['no such bucket', 's3://nope-bucket/x', 3],
    ['no such prefix', 's3://audit/none/', 3],
    ['bad bucket name', 's3://A_B/x', 3],
  ])('%s → exit %i', async (_n, target, code) => {
    const r = await cli(['scan', target], env());
    expect(r.code, r.stdout + r.stderr).toBe(code);
  });
});

describe('s3:// faults: retried, then inconclusive naming the object', () => {
  it('each fault on every ranged GET → exit 2', async () => {
    faulty.faults.set(FAULTS.map((k) => ({ kind: k, match: new RegExp(`^GET /audit/faults/${k}\\.bin`) })));
    const runs = await Promise.all(FAULTS.map((k) => cli(['scan', `s3://audit/faults/${k}.bin`, '--format', 'json'], { ...env(faulty.endpoint), ...stallEnv(k) })));
    faulty.faults.set([]);
    runs.forEach((r, i) => {
      expect(r.code, FAULTS[i]).toBe(2);
      const inc = (r.report.inconclusive as Array<{ path: string; code: string; message: string }>)[0]!;
      expect(inc).toMatchObject({ path: `${FAULTS[i]!}.bin`, code: 'REMOTE_ERROR' });
      expect(inc.message).toContain(`s3://audit/faults/${FAULTS[i]!}.bin`);
    });
  });
  it('one fault of each kind is retried and the scan completes', async () => {
    faulty.faults.set(FAULTS.map((k) => ({ kind: k, match: new RegExp(`^GET /audit/faults/${k}\\.bin`), times: 1 })));
    const runs = await Promise.all(FAULTS.map((k) => cli(['scan', `s3://audit/faults/${k}.bin`, '--format', 'json'], { ...env(faulty.endpoint), ...stallEnv(k) })));
    faulty.faults.set([]);
    runs.forEach((r, i) => {
      expect(r.code, FAULTS[i]).toBe(1);
      expect(r.report.inconclusive, FAULTS[i]).toEqual([]);
    });
  });
});
