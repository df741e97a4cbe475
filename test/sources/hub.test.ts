/**
 * hf:// end to end: the real @huggingface/hub client against the fixture Hub server through
 * HF_ENDPOINT, for parity with local scans, revision pinning, the Hub's verdicts, auth and faults.
 * Parity runs on a representative sample of each fixture folder (paritySample); MLVET_TEST_FULL=1
 * serves every file.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';
import { bufferBlob } from './blobs.js';
import { cli, comparable, fastEnv, hubFilesFromDir, paritySample, stageFiles, stallEnv, withEnv } from './helpers.js';
import { startHubServer, type HubServer } from './hub-server.js';

const SHA = 'c0ffee0000000000000000000000000000000001';
const SHA2 = 'c0ffee0000000000000000000000000000000002';
const TOKEN = 'hf_testtokenABCDEFGHIJKLMNOP';
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
const evil = bufferBlob(Buffer.from('cposix\nsystem\n(Vid\ntR.', 'latin1'));
let hub: HubServer;
let restore: () => void;
/** what a user's shell would hold: the fixture Hub, no token, no disk cache, short timeouts */
const env = (): Record<string, string> => fastEnv({ HF_ENDPOINT: hub.url, HF_HOME: join(FIXTURES, 'no-such-hf-home') });

beforeAll(async () => {
  for (const d of DIRS) staged[d] = stageFiles(join(FIXTURES, d), paritySample(join(FIXTURES, d), EVERY[d]!));
  hub = await startHubServer({
    pageSize: 40, // forces Link pagination on the bigger fixture repos
    tokens: [TOKEN],
    repos: [
      ...DIRS.map((d) => ({ id: `fixtures/${d.replace('/', '-')}`, commits: { [SHA]: hubFilesFromDir(staged[d]!) }, refs: { main: SHA } })),
      {
        id: 'acme/flagged',
        commits: {
          [SHA]: [{ path: 'model.bin', blob: evil, lfs: true, security: { status: 'unsafe', pickleImportScan: { status: 'unsafe', pickleImports: [{ module: 'posix', name: 'system', safety: 'dangerous' }] }, avScan: { status: 'safe' } } }],
          [SHA2]: [{ path: 'model.bin', blob: bufferBlob(Buffer.from('\x80\x04K\x01.', 'latin1')), lfs: true }],
        },
        refs: { main: SHA2, 'v1.0': SHA },
      },
      ...FAULTS.map((k) => ({ id: `acme/f-${k}`, commits: { [SHA]: [{ path: `f-${k}.bin`, blob: evil, lfs: true }] }, refs: { main: SHA } })),
      { id: 'acme/private', private: true, commits: { [SHA]: [{ path: 'a.bin', blob: evil, lfs: true }] }, refs: { main: SHA } },
      { id: 'acme/gated', gated: true, commits: { [SHA]: [{ path: 'a.bin', blob: evil, lfs: true }] }, refs: { main: SHA } },
      { type: 'dataset', id: 'acme/corpus', commits: { [SHA]: [{ path: 'data/train.pkl', blob: evil, lfs: true }] }, refs: { main: SHA } },
      { type: 'space', id: 'acme/demo', commits: { [SHA]: [{ path: 'app.py', blob: bufferBlob(Buffer.from('from transformers import AutoModel\nAutoModel.from_pretrained("acme/x", trust_remote_code=True)\n')) }] }, refs: { main: SHA } },
    ],
  });
  restore = withEnv({ ...fastEnv(), HF_ENDPOINT: hub.url, HF_TOKEN: undefined, HF_HOME: join(FIXTURES, 'no-such-hf-home') });
});
afterAll(async () => {
  restore();
  await hub.close();
  for (const d of Object.values(staged)) rmSync(d, { recursive: true, force: true });
});

describe('hf:// parity with local scans', () => {
  it.each(DIRS)('fixtures/%s gives the same findings from the Hub as from disk', async (d) => {
    // at once: the local scan runs on worker threads, the remote one on this thread
    const [local, remote] = await Promise.all([scan({ targets: [staged[d]!] }), scan({ targets: [`hf://fixtures/${d.replace('/', '-')}@${SHA}`], env: { ...env(), ...PARITY_ENV } })]);
    expect(comparable(remote)).toEqual(comparable(local));
    expect(remote.targets[0]).toMatchObject({ kind: 'hf', resolvedRevision: SHA });
    expect(remote.targets[0]!.bytesRead).toBeGreaterThan(0);
    expect(local.findings.length).toBeGreaterThan(0);
  });
});

describe('hf:// revisions and verdicts', () => {
  it.each([
    ['hf://acme/flagged', SHA2, '(default branch)'],
    ['hf://acme/flagged@main', SHA2, 'main'],
    ['hf://acme/flagged@v1.0', SHA, 'v1.0'],
  ])('%s is scanned at its commit and reported as unpinned', async (target, commit, ref) => {
    const r = await scan({ targets: [target] });
    expect(r.targets[0]!.resolvedRevision).toBe(commit);
    const f = r.findings.filter((x) => x.ruleId === 'pinning/hf-unpinned-revision');
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence).toMatchObject({ ref, commit, pinTo: `hf://acme/flagged@${commit}` });
  });
  it('a commit target is pinned, and the Hub verdict sits beside ours', async () => {
    const r = await scan({ targets: [`hf://acme/flagged@${SHA}`] });
    expect(r.findings.map((f) => f.ruleId)).not.toContain('pinning/hf-unpinned-revision');
    const ours = r.findings.find((f) => f.ruleId === 'pickle/code-execution');
    const hubs = r.findings.find((f) => f.ruleId === 'pinning/hub-scan-verdict');
    expect(ours?.location.path).toBe('model.bin');
    expect(hubs?.evidence).toMatchObject({ status: 'unsafe', flaggedImports: ['posix.system'], scanners: { pickleImportScan: 'unsafe', avScan: 'safe' } });
  });
  it.each([
    [`hf://datasets/acme/corpus@${SHA}`, 'pickle/code-execution', 'data/train.pkl'],
    [`hf://spaces/acme/demo@${SHA}`, 'pinning/trust-remote-code', 'app.py'],
    [`hf://datasets/acme/corpus@${SHA}/data`, 'pickle/code-execution', 'train.pkl'],
  ])('%s', async (target, rule, path) => {
    const r = await scan({ targets: [target] });
    expect(r.findings.filter((f) => f.ruleId === rule).map((f) => f.location.path)).toEqual([path]);
  });
});

describe.concurrent('hf:// access and errors (CLI)', () => {
  it.each([
    ['private without a token', 'hf://acme/private', {}, 3, 'AUTH'],
    ['gated without a token', 'hf://acme/gated', {}, 3, 'AUTH'],
    ['gated with an ungranted token', 'hf://acme/gated', { HF_TOKEN: 'hf_notgrantedXXXXXXXXXXXX' }, 3, 'AUTH'],
    ['unknown revision', 'hf://acme/flagged@nope', {}, 3, 'NOT_FOUND'],
    ['bad target', 'hf://', {}, 3, 'USAGE'],
  ])('%s', async (_n, target, extra, code, err) => {
    const r = await cli(['scan', target], { ...env(), ...extra });
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(err);
    expect(r.stderr + r.stdout).not.toContain('hf_notgranted');
  });
  it('a granted token (HF_TOKEN) opens the private repo and is never printed', async () => {
    const r = await cli(['scan', `hf://acme/private@${SHA}`, '--format', 'json'], { ...env(), HF_TOKEN: TOKEN });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });
  it('the token file under HF_HOME is used', async () => {
    const r = await cli(['scan', `hf://acme/gated@${SHA}`], { ...env(), HF_HOME: join(FIXTURES, 'hub', 'hf-home') });
    expect(r.code).toBe(1);
  });
  it('--offline refuses the network', async () => {
    const r = await cli(['scan', 'hf://acme/offline-probe', '--offline'], env());
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('OFFLINE');
    expect(hub.requests.filter((q) => q.includes('offline-probe'))).toEqual([]);
  });
});

describe('hf:// faults: retried, then inconclusive (exit 2) naming the object, never clean', () => {
  it('each fault on every read of a file', async () => {
    hub.faults.set(FAULTS.map((k) => ({ kind: k, match: new RegExp(`path=f-${k}\\.bin`) })));
    const runs = await Promise.all(FAULTS.map((k) => cli(['scan', `hf://acme/f-${k}@${SHA}`, '--format', 'json'], { ...env(), ...stallEnv(k) })));
    hub.faults.set([]);
    runs.forEach((r, i) => {
      expect(r.code, FAULTS[i]).toBe(2);
      const inc = (r.report.inconclusive as Array<{ path: string; code: string; message: string }>)[0]!;
      expect(inc).toMatchObject({ path: `f-${FAULTS[i]!}.bin`, code: 'REMOTE_ERROR' });
      expect(inc.message).toContain(`hf://acme/f-${FAULTS[i]!}@${SHA}/f-${FAULTS[i]!}.bin`);
    });
  });
  it('one fault of each kind is retried and the scan completes', async () => {
    hub.faults.set(FAULTS.map((k) => ({ kind: k, match: new RegExp(`path=f-${k}\\.bin`), times: 1 })));
    const runs = await Promise.all(FAULTS.map((k) => cli(['scan', `hf://acme/f-${k}@${SHA}`, '--format', 'json'], { ...env(), ...stallEnv(k) })));
    hub.faults.set([]);
    runs.forEach((r, i) => {
      expect(r.code, FAULTS[i]).toBe(1);
      expect(r.report.inconclusive).toEqual([]);
    });
  });
  it('an API failure that persists is exit 2, not a usage error, and still writes the report', async () => {
    hub.faults.set([{ kind: '500', match: /\/api\/models\/acme\/flagged\/revision/ }]);
    const r = await cli(['scan', 'hf://acme/flagged', '--format', 'json'], env());
    hub.faults.set([]);
    expect(r.code).toBe(2);
    expect(r.report.inconclusive).toEqual([expect.objectContaining({ target: 'hf://acme/flagged', path: '', code: 'REMOTE_ERROR', scanner: 'source' })]);
    expect(r.report.targets).toEqual([expect.objectContaining({ uri: 'hf://acme/flagged', files: 0 })]);
  });
});

describe('remote digests for verify', () => {
  it('LFS files are remote-claimed without a download; --deep hashes the bytes (local)', async () => {
    const { openTarget } = await import('../../src/sources/index.js');
    const { remoteDigests } = await import('../../src/artifact/remote/index.js');
    const { createHash } = await import('node:crypto');
    const art = await openTarget(`hf://fixtures/hub-pinning-repo@${SHA}`);
    const before = art.bytesRead();
    const claimed = await remoteDigests(art);
    expect(art.bytesRead()).toBe(before);
    expect(claimed.every((d) => (d.path.endsWith('.json') || d.path.endsWith('.py') || d.path.endsWith('.txt') || d.path.endsWith('.md') || d.path.endsWith('.toml') ? d.trust === 'none' : d.trust === 'remote-claimed'))).toBe(true);
    const deep = await remoteDigests(art, { deep: true });
    const cfg = deep.find((d) => d.path === 'config.json')!;
    expect(cfg.trust).toBe('local');
    expect(cfg.sha256).toBe(createHash('sha256').update(readFileSync(join(FIXTURES, 'hub', 'pinning-repo', 'config.json'))).digest('hex'));
    await art.close();
  });
  it('LFS sha256 from the listing equals the content hash', async () => {
    const { openTarget } = await import('../../src/sources/index.js');
    const { remoteDigests } = await import('../../src/artifact/remote/index.js');
    const art = await openTarget(`hf://acme/flagged@${SHA}`);
    const [claimed] = await remoteDigests(art);
    const [deep] = await remoteDigests(art, { deep: true });
    expect(claimed).toMatchObject({ trust: 'remote-claimed', sha256: deep!.sha256 });
    await art.close();
  });
});
