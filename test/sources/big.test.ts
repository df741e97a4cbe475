/**
 * Remote scans read only the bytes that matter: a 2 GiB PyTorch zip and a 2 GiB safetensors file,
 * served from sparse files by the Hub server, S3 (s3rver) and plain HTTP, must cost under 1 % of
 * their size in bytes fetched — and the zip's malicious data.pkl must still be found.
 */
import { rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import type { Report } from '../../src/model/report.js';
import { BIG, writeBigSafetensors, writeBigTorchZip } from './bigfiles.js';
import { putSparse } from './checkpoints.js';
import { fileBlob } from './blobs.js';
import { fastEnv, startS3, withEnv, type S3Server } from './helpers.js';
import { startHubServer, type HubServer } from './hub-server.js';
import { scratchDir } from '../helpers/scratch.js';

const SHA = 'b16b16b16b16b16b16b16b16b16b16b16b16b16b';
const EVIL = Buffer.from('\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.', 'latin1');
let dir: string;
let hub: HubServer;
let s3: S3Server;
let restore: () => void;

beforeAll(async () => {
  dir = scratchDir('mlvet-big-');
  writeBigTorchZip(join(dir, 'pytorch_model.bin'), EVIL);
  writeBigSafetensors(join(dir, 'model.safetensors'));
  hub = await startHubServer({
    repos: [{ id: 'big/model', refs: { main: SHA }, commits: { [SHA]: ['pytorch_model.bin', 'model.safetensors'].map((p) => ({ path: p, blob: fileBlob(join(dir, p)), lfs: true, sha256: (p.endsWith('.bin') ? 'e' : 'f').repeat(64) })) } }],
  });
  s3 = await startS3(['big']);
  for (const p of ['pytorch_model.bin', 'model.safetensors']) {
    const copy = join(dir, `s3-${p}`);
    if (p.endsWith('.bin')) writeBigTorchZip(copy, EVIL);
    else writeBigSafetensors(copy);
    await putSparse(s3, 'big', `m/${p}`, copy);
  }
  restore = withEnv({ ...fastEnv(), ...s3.env, HF_ENDPOINT: hub.url });
}, 120_000);
afterAll(async () => {
  restore();
  await hub.close();
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
  void truncateSync;
});

function perFile(r: Report): void {
  expect(r.targets[0]!.bytesTotal).toBeGreaterThanOrEqual(2 * BIG);
  expect(r.targets[0]!.bytesRead).toBeLessThan(0.01 * r.targets[0]!.bytesTotal);
  const hit = r.findings.find((f) => f.ruleId === 'pickle/code-execution');
  expect(hit?.location).toMatchObject({ path: 'pytorch_model.bin', member: 'archive/data.pkl' });
}

describe('2 GiB checkpoints are scanned remotely by reading < 1 % of their bytes', () => {
  it('hf://', async () => {
    const r = await scan({ targets: [`hf://big/model@${SHA}`] });
    perFile(r);
    for (const p of ['pytorch_model.bin', 'model.safetensors']) expect(hub.served.get(p) ?? 0).toBeLessThan(0.01 * BIG);
  });
  it('s3://', async () => {
    const r = await scan({ targets: ['s3://big/m/'] });
    perFile(r);
  });
  it('https:// (one file)', async () => {
    const r = await scan({ targets: [`${hub.url}/big/model/resolve/${SHA}/model.safetensors`] });
    expect(r.targets[0]!.bytesTotal).toBeGreaterThan(BIG);
    expect(r.targets[0]!.bytesRead).toBeLessThan(0.01 * BIG);
    expect(r.findings.map((f) => f.ruleId)).toContain('pinning/url-unpinned');
  });
});
