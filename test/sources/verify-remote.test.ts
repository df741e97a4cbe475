/**
 * `verify` against remote targets: a directory signed here, served by the fixture Hub (LFS files with
 * sha256 oids) and by s3rver (plain, and through a proxy serving full-object SHA-256 checksums). Digests
 * the store claims are compared without downloading (`remote-claimed`); `--deep` hashes here (`local`).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, loadPrivateKey } from '../../src/lineage/keys.js';
import { addManifestCheck } from '../../src/lineage/scan-hook.js';
import { sign } from '../../src/lineage/sign.js';
import { verify, type VerifyOutcome } from '../../src/lineage/verify-report.js';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';
import { bufferBlob } from './blobs.js';
import { cli, fastEnv, hubFilesFromDir, startS3, walkFiles, withEnv, type S3Server } from './helpers.js';
import { startHubServer, type HubFile, type HubServer } from './hub-server.js';
import { startS3Proxy, type S3Proxy } from './s3-proxy.js';

const SHA = {
  clean: 'feed000000000000000000000000000000000001',
  lfsChanged: 'feed000000000000000000000000000000000002',
  smallChanged: 'feed000000000000000000000000000000000003',
  missing: 'feed000000000000000000000000000000000004',
  extra: 'feed000000000000000000000000000000000005',
  resized: 'feed000000000000000000000000000000000006',
};
const LFS = ['model.safetensors', 'weights/pytorch_model.bin'];
let tmp: string;
let dir: string;
let manifest: string;
let pub: string;
let otherPub: string;
let total: number;
let hub: HubServer;
let s3: S3Server;
let sums: S3Proxy;
let restore: () => void;
const sha256b64 = new Map<string, string>();

/** Deterministic bytes that do not compress to nothing. */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return b;
}

const flip = (b: Buffer, at: number): Buffer => {
  const c = Buffer.from(b);
  c[at] = c[at]! ^ 0xff;
  return c;
};

function commit(files: HubFile[], edit: (m: Map<string, HubFile>) => void): HubFile[] {
  const m = new Map(files.map((f) => [f.path, f]));
  edit(m);
  return [...m.values()];
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'mlvet-verify-remote-'));
  dir = join(tmp, 'model');
  mkdirSync(join(dir, 'weights'), { recursive: true });
  mkdirSync(join(dir, 'tokenizer'), { recursive: true });
  writeFileSync(join(dir, 'model.safetensors'), bytes(3 << 20, 1));
  writeFileSync(join(dir, 'weights', 'pytorch_model.bin'), bytes(2 << 20, 2));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ architectures: ['Toy'], hidden: 64 }));
  writeFileSync(join(dir, 'tokenizer', 'vocab.txt'), 'a\nb\nc\n');
  total = walkFiles(dir).reduce((n, p) => n + readFileSync(join(dir, p)).length, 0);
  const g = generateKey('ed25519');
  writeFileSync(join(tmp, 'k.key'), g.privatePem, { mode: 0o600 });
  writeFileSync((pub = join(tmp, 'k.pub')), g.publicPem);
  writeFileSync((otherPub = join(tmp, 'other.pub')), generateKey('ed25519').publicPem);
  manifest = join(tmp, 'model.sigstore.json');
  writeFileSync(manifest, (await sign({ targets: [dir], key: loadPrivateKey({ file: join(tmp, 'k.key') }), out: manifest })).bundle);

  const files = [...hubFilesFromDir(dir), { path: '.gitattributes', blob: bufferBlob(Buffer.from('*.bin filter=lfs\n')) }];
  const swap = (p: string, b: Buffer, lfs: boolean) => (m: Map<string, HubFile>) => void m.set(p, { path: p, blob: bufferBlob(b), lfs });
  hub = await startHubServer({
    repos: [
      {
        id: 'acme/toy',
        commits: {
          [SHA.clean]: files,
          [SHA.lfsChanged]: commit(files, swap('model.safetensors', flip(readFileSync(join(dir, 'model.safetensors')), 4096), true)),
          [SHA.smallChanged]: commit(files, swap('config.json', flip(readFileSync(join(dir, 'config.json')), 3), false)),
          [SHA.missing]: commit(files, (m) => void m.delete('weights/pytorch_model.bin')),
          [SHA.extra]: commit(files, swap('weights/adapter.bin', bytes(1000, 3), true)),
          [SHA.resized]: commit(files, swap('model.safetensors', bytes((3 << 20) + 1, 1), true)),
        },
        refs: { main: SHA.clean },
      },
      { id: 'acme/untouched', commits: { [SHA.clean]: files }, refs: { main: SHA.clean } },
    ],
  });
  s3 = await startS3(['models']);
  const put = async (key: string, body: Buffer): Promise<void> => {
    sha256b64.set(`/models/${key}`, createHash('sha256').update(body).digest('base64'));
    await s3.put('models', key, body);
  };
  for (const p of walkFiles(dir)) {
    const body = readFileSync(join(dir, p));
    await put(`clean/${p}`, body);
    if (p !== 'weights/pytorch_model.bin') await put(`missing/${p}`, body);
    await put(`changed/${p}`, p === 'model.safetensors' ? flip(body, 10) : body);
  }
  sums = await startS3Proxy(s3.endpoint, { checksum: (path) => sha256b64.get(path) });
  restore = withEnv({ ...fastEnv(), ...s3.env, HF_ENDPOINT: hub.url, HF_TOKEN: undefined, HF_HOME: join(FIXTURES, 'no-such-hf-home') });
});

afterAll(async () => {
  restore();
  await Promise.all([hub.close(), sums.close()]);
  await s3.close();
  rmSync(tmp, { recursive: true, force: true });
});

const codes = (o: VerifyOutcome): string[] => o.result.problems.map((p) => `${p.code} ${p.path ?? p.source ?? ''}`).sort();
const trustOf = (o: VerifyOutcome): Record<string, string> => Object.fromEntries((o.result.remote?.files ?? []).map((f) => [f.path, f.trust]));
const run = (target: string, extra: { deep?: boolean; fetchMaxBytes?: number } = {}): Promise<VerifyOutcome> => verify({ target, manifest, trustedKeys: [pub], ...extra });

describe('verify hf://org/repo@<commit>', () => {
  it('clean: LFS files are remote-claimed and not downloaded; small non-LFS files are fetched and hashed', async () => {
    const before = new Map(hub.served);
    const o = await run(`hf://acme/toy@${SHA.clean}`);
    expect(o.exitCode('low')).toBe(0);
    expect(o.result.status).toBe('verified');
    expect(trustOf(o)).toEqual({ 'model.safetensors': 'remote-claimed', 'weights/pytorch_model.bin': 'remote-claimed', 'config.json': 'local', 'tokenizer/vocab.txt': 'local' });
    for (const p of LFS) expect(hub.served.get(p) ?? 0).toBe(before.get(p) ?? 0);
    const t = o.report.targets[0]!;
    expect(t).toMatchObject({ kind: 'hf', resolvedRevision: SHA.clean, files: 4, bytesTotal: total + 17 });
    expect(t.bytesRead).toBeLessThan(total / 1000);
    expect(o.report.lineage).toMatchObject({ status: 'verified', remote: { deep: false, trust: { 'remote-claimed': 2, local: 2, none: 0 } } });
  });

  it('--deep downloads and hashes every file: trust local', async () => {
    const o = await run(`hf://acme/toy@${SHA.clean}`, { deep: true });
    expect(o.exitCode('low')).toBe(0);
    expect(new Set(Object.values(trustOf(o)))).toEqual(new Set(['local']));
    expect(o.report.targets[0]!.bytesRead).toBeGreaterThanOrEqual(total);
  });

  it.each([
    ['LFS file changed (remote-claimed)', SHA.lfsChanged, false, ['DIGEST_MISMATCH model.safetensors'], 'remote-claimed'],
    ['LFS file changed, --deep', SHA.lfsChanged, true, ['DIGEST_MISMATCH model.safetensors'], 'local'],
    ['small non-LFS file changed (fetched)', SHA.smallChanged, false, ['DIGEST_MISMATCH config.json'], 'local'],
    ['file missing', SHA.missing, false, ['FILE_MISSING weights/pytorch_model.bin'], undefined],
    ['file added', SHA.extra, false, ['FILE_EXTRA weights/adapter.bin'], undefined],
    ['size changed (no download)', SHA.resized, false, ['SIZE_MISMATCH model.safetensors'], undefined],
  ])('%s → exit 1 with the code and the trust in the evidence', async (_n, sha, deep, want, trust) => {
    const o = await run(`hf://acme/toy@${sha}`, { deep });
    expect(o.exitCode('medium')).toBe(1);
    expect(codes(o)).toEqual(want);
    const f = o.report.findings.find((x) => x.ruleId.startsWith('lineage/'))!;
    expect(f.evidence.trust).toBe(trust);
    if (!deep) expect(o.report.targets[0]!.bytesRead).toBeLessThan(1000);
  });

  it('a branch is verified at its commit, with a low SOURCE_UNPINNED naming the commit to pin', async () => {
    const o = await run('hf://acme/toy@main');
    expect(o.exitCode('medium')).toBe(0);
    expect(o.result.status).toBe('verified');
    expect(o.result.problems).toEqual([expect.objectContaining({ code: 'SOURCE_UNPINNED', reason: 'target-unpinned', expected: `hf://acme/toy@${SHA.clean}` })]);
  });

  it('an untrusted signature: nothing from the payload, and the remote is never contacted', async () => {
    const o = await verify({ target: `hf://acme/untouched@${SHA.clean}`, manifest, trustedKeys: [otherPub] });
    expect(codes(o)).toEqual(['KEY_UNTRUSTED ']);
    expect(o.report.lineage).not.toHaveProperty('remote');
    expect(hub.requests.filter((r) => r.includes('untouched'))).toEqual([]);
  });
});

describe('verify s3://bucket/prefix/', () => {
  const viaSums = <T>(fn: () => Promise<T>): Promise<T> => {
    const back = withEnv({ AWS_ENDPOINT_URL_S3: sums.endpoint });
    return fn().finally(back);
  };
  it('full-object SHA-256 served: every file remote-claimed, nothing downloaded', async () => {
    const o = await viaSums(() => run('s3://models/clean/'));
    expect(o.exitCode('medium')).toBe(0);
    expect(new Set(Object.values(trustOf(o)))).toEqual(new Set(['remote-claimed']));
    expect(o.report.targets[0]).toMatchObject({ kind: 's3', files: 4, bytesRead: 0, bytesTotal: total });
    // an unversioned bucket: the target itself is unpinned (low)
    expect(codes(o)).toEqual(['SOURCE_UNPINNED s3://models/clean/']);
  });
  it.each([
    ['s3://models/changed/', ['DIGEST_MISMATCH model.safetensors', 'SOURCE_UNPINNED s3://models/changed/']],
    ['s3://models/missing/', ['FILE_MISSING weights/pytorch_model.bin', 'SOURCE_UNPINNED s3://models/missing/']],
  ])('%s → exit 1', async (target, want) => {
    const o = await viaSums(() => run(target));
    expect(o.exitCode('medium')).toBe(1);
    expect(codes(o)).toEqual(want);
  });
  it('no SHA-256 served (plain s3rver): small files are fetched (local); big ones are DIGEST_UNAVAILABLE, exit 2', async () => {
    const o = await run('s3://models/clean/', { fetchMaxBytes: 64 * 1024 });
    expect(o.exitCode('medium')).toBe(2);
    expect(o.result.status).toBe('incomplete');
    expect(trustOf(o)).toEqual({ 'model.safetensors': 'none', 'weights/pytorch_model.bin': 'none', 'config.json': 'local', 'tokenizer/vocab.txt': 'local' });
    expect(o.report.inconclusive.map((i) => `${i.code} ${i.path}`).sort()).toEqual(LFS.map((p) => `DIGEST_UNAVAILABLE ${p}`));
    expect(o.report.targets[0]!.bytesRead).toBeLessThan(1000);
  });
  it('no SHA-256 served, --deep: everything hashed here and verified', async () => {
    const o = await run('s3://models/clean/', { deep: true, fetchMaxBytes: 0 });
    expect(o.exitCode('medium')).toBe(0);
    expect(new Set(Object.values(trustOf(o)))).toEqual(new Set(['local']));
    expect(o.report.targets[0]!.bytesRead).toBe(total);
  });
});

describe('CLI and scan --manifest on a remote target', () => {
  it('mlvet verify hf://…@<commit> --manifest --trusted-key (CLI)', async () => {
    const r = await cli(['verify', `hf://acme/toy@${SHA.lfsChanged}`, '--manifest', manifest, '--trusted-key', pub, '--format', 'json'], fastEnv({ HF_ENDPOINT: hub.url, HF_HOME: join(FIXTURES, 'no-such-hf-home') }));
    expect(r.code).toBe(1);
    const lin = r.report.lineage as { remote: { trust: Record<string, number> } };
    expect(lin.remote.trust).toEqual({ 'remote-claimed': 2, local: 2, none: 0 });
    expect((r.report.findings as Array<{ ruleId: string; evidence: { trust: string } }>).map((f) => [f.ruleId, f.evidence.trust])).toEqual([['lineage/digest-mismatch', 'remote-claimed']]);
  });
  it('scan --manifest appends the remote verification to the scan report', async () => {
    const target = `hf://acme/toy@${SHA.missing}`;
    const { report } = await addManifestCheck(await scan({ targets: [target] }), { targets: [target], manifest, trustedKeys: [pub] });
    expect(report.findings.map((f) => f.ruleId)).toContain('lineage/file-missing');
    expect(report.lineage).toMatchObject({ status: 'failed', remote: { resolvedRevision: SHA.missing } });
  });
});
