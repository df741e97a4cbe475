/**
 * Issue 11's byte budget: a 2.2 GB torch.save checkpoint in TinyLlama-1.1B's layout (201 fp16 tensors,
 * a sparse file) scanned over the Hub server and s3rver costs under 0.2 % of its bytes, in a bounded
 * number of requests issued concurrently (a few round trips, counted by a proxy in front of each
 * server), with the findings of a local scan: none for the benign checkpoint, pickle/code-execution
 * in archive/data.pkl for the malicious one.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRangeSource, RemoteReader, remoteOptions, type RangeSource } from '../../src/artifact/remote/index.js';
import { scan } from '../../src/scan.js';
import type { Report } from '../../src/model/report.js';
import { fileBlob } from './blobs.js';
import { putSparse, tinyLlama, writeTorchCheckpoint } from './checkpoints.js';
import { startCountProxy, type CountProxy } from './count-proxy.js';
import { comparable, fastEnv, startS3, withEnv, type S3Server } from './helpers.js';
import { startHubServer, type HubServer } from './hub-server.js';
import { scratchDir } from '../helpers/scratch.js';

const SHA = 'c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe';
const KINDS = ['benign', 'evil'] as const;
const FILE = 'pytorch_model.bin';
let dir: string;
let hub: HubServer;
let s3: S3Server;
let proxies: Record<'hf' | 's3', CountProxy>;
let restore: () => void;
const size: Record<string, number> = {};
const local: Record<string, Report> = {};

beforeAll(async () => {
  dir = scratchDir('mlvet-budget-');
  hub = await startHubServer({
    repos: KINDS.map((k) => {
      mkdirSync(join(dir, k));
      size[k] = writeTorchCheckpoint(join(dir, k, FILE), tinyLlama(), { evil: k === 'evil' });
      return { id: `tiny/${k}`, refs: { main: SHA }, commits: { [SHA]: [{ path: FILE, blob: fileBlob(join(dir, k, FILE)), lfs: true, sha256: (k === 'evil' ? 'e' : 'b').repeat(64) }] } };
    }),
  });
  s3 = await startS3(['tiny']);
  for (const k of KINDS) {
    writeTorchCheckpoint(join(dir, `s3-${k}`), tinyLlama(), { evil: k === 'evil' });
    await putSparse(s3, 'tiny', `${k}/${FILE}`, join(dir, `s3-${k}`));
  }
  proxies = { hf: await startCountProxy(hub.url), s3: await startCountProxy(s3.endpoint) };
  restore = withEnv({ ...fastEnv(), ...s3.env, AWS_ENDPOINT_URL_S3: proxies.s3.url, HF_ENDPOINT: proxies.hf.url });
  await Promise.all(KINDS.map(async (k) => (local[k] = await scan({ targets: [join(dir, k)] }))));
}, 60_000);

afterAll(async () => {
  restore();
  await Promise.all([proxies.hf.close(), proxies.s3.close(), hub.close(), s3.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const target = (src: 'hf' | 's3', k: string): string => (src === 'hf' ? `hf://tiny/${k}@${SHA}` : `s3://tiny/${k}/`);

describe('a 2.2 GB checkpoint of 201 tensors costs < 0.2 % of its bytes in a few round trips', () => {
  const cases = (['hf', 's3'] as const).flatMap((src) => KINDS.map((k): ['hf' | 's3', (typeof KINDS)[number]] => [src, k]));
  it.each(cases)('%s, %s', async (src, k) => {
    const p = proxies[src];
    p.reset();
    const r = await scan({ targets: [target(src, k)] });
    const c = p.counts();
    expect(r.targets[0]!.bytesTotal).toBe(size[k]);
    expect(r.targets[0]!.bytesRead).toBeLessThan(0.002 * size[k]!);
    expect(c.bytes).toBeLessThan(0.002 * size[k]!);
    // one request per cluster of members (7 per layer: the two norms share one), issued at once; round
    // trips: the listing (and the Hub's first redirect), the head probe, the tail, the plan, a 4 KiB
    // sniff for each storage the small head left open; with slack for a burst that momentarily drains
    // (reading member by member took one round trip per request: about 160). Rounds are idle → busy
    // transitions at the proxy, so they depend on timing: 8–9 alone, 22 once in a full suite on a loaded
    // 2-core VM (the proxy, the server and the scan share one event loop); 40 still fails a serial read.
    expect(c.ranged).toBeLessThanOrEqual(165);
    expect(c.rounds).toBeLessThanOrEqual(40);
    expect(c.redirects).toBeLessThanOrEqual(src === 'hf' ? 2 : 0); // the CDN target is reused
    expect(c.peak).toBeGreaterThanOrEqual(4);
    expect(comparable(r)).toEqual(comparable(local[k]!));
    const rules = r.findings.filter((f) => !f.ruleId.startsWith('pinning/')).map((f) => [f.ruleId, f.location.member]);
    expect(rules).toEqual(k === 'evil' ? [['pickle/code-execution', 'archive/data.pkl']] : []);
  }, 30_000);
});

describe('Hub-style redirects to a CDN', () => {
  it('the redirect target serves the next ranges, never sees the token, and is re-resolved when it goes stale', async () => {
    const data = new Uint8Array(1 << 20).map((_, i) => i % 253);
    const seen = { origin: 0, cdn: 0, cdnWithToken: 0 };
    let expired = false;
    const cdn = await listen((req, res) => {
      seen.cdn++;
      if (req.headers.authorization) seen.cdnWithToken++;
      if (expired && !req.url?.includes('sig=2')) return void res.writeHead(403).end();
      const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '')!.map(Number) as [number, number, number];
      res.writeHead(206, { 'content-range': `bytes ${a}-${b}/${data.length}`, 'content-length': String(b - a + 1) }).end(data.subarray(a, b + 1));
    });
    const origin = await listen((req, res) => {
      seen.origin++;
      if (req.headers.authorization !== 'Bearer s3cret') return void res.writeHead(401).end();
      res.writeHead(302, { location: `${cdn.url}/blob?sig=${expired ? 2 : 1}` }).end();
    });
    try {
      const source = httpRangeSource({ url: `${origin.url}/file`, name: 'https://hub/file', size: data.length, headers: { Authorization: 'Bearer s3cret' } });
      const r = new RemoteReader(source, remoteOptions({}, { cacheDir: '', retries: 0, timeoutMs: 5000 }));
      await r.prefetch([{ offset: 0, length: 100 }]);
      await r.prefetch([1000, 50_000, 90_000].map((offset) => ({ offset, length: 100 })));
      expect(seen).toEqual({ origin: 1, cdn: 4, cdnWithToken: 0 });
      expired = true;
      expect(await r.read(500_000, 4)).toEqual(data.slice(500_000, 500_004));
      expect(seen).toEqual({ origin: 2, cdn: 6, cdnWithToken: 0 });
    } finally {
      await Promise.all([cdn.close(), origin.close()]);
    }
  });
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

describe('RemoteReader with 256 KiB blocks: small random reads and read plans', () => {
  const DATA = new Uint8Array(4 << 20);
  for (let i = 0; i < DATA.length; i++) DATA[i] = (i * 7) % 251;
  const memory = (): RangeSource & { calls: Array<[number, number]> } => {
    const calls: Array<[number, number]> = [];
    return {
      name: 'mem://blob',
      size: DATA.length,
      calls,
      fetchRange: (offset, length) => {
        calls.push([offset, length]);
        const body = DATA.slice(offset, offset + length);
        return Promise.resolve({ status: 206, contentRange: `bytes ${offset}-${offset + length - 1}/${DATA.length}`, body: Readable.from([body]), cancel: () => undefined });
      },
    };
  };
  const reader = (s: RangeSource): RemoteReader => new RemoteReader(s, remoteOptions({}, { cacheDir: '', retries: 0 }));

  it('a 30-byte random read costs 4 KiB, and reads inside it cost nothing', async () => {
    const s = memory();
    const r = reader(s);
    expect(await r.read(1_000_000, 30)).toEqual(DATA.slice(1_000_000, 1_000_030));
    expect(await r.read(1_000_030, 200)).toEqual(DATA.slice(1_000_030, 1_000_230));
    expect(s.calls).toEqual([[1_000_000, 4096]]);
  });
  it('a plan is fetched at once, exactly, and serves the reads that follow', async () => {
    const s = memory();
    const r = reader(s);
    const plan = [0, 700_000, 2_000_000, 3_500_000].map((offset) => ({ offset, length: 300 }));
    await r.prefetch(plan);
    expect(s.calls.sort((a, b) => a[0] - b[0])).toEqual(plan.map((p) => [p.offset, p.length]));
    for (const p of plan) expect(await r.read(p.offset + 10, 200)).toEqual(DATA.slice(p.offset + 10, p.offset + 210));
    expect(s.calls).toHaveLength(4);
  });
  it('sequential reads still grow into whole blocks of read-ahead', async () => {
    const s = memory();
    const r = reader(s);
    let same = true;
    for (let off = 0; off < 2 << 20; off += 64 * 1024) same &&= Buffer.from(await r.read(off, 64 * 1024)).equals(DATA.subarray(off, off + 64 * 1024));
    expect(same).toBe(true);
    expect(s.calls[0]).toEqual([0, 64 * 1024]);
    expect(s.calls.length).toBeLessThanOrEqual(4);
    expect(Math.max(...s.calls.map((c) => c[1]))).toBeGreaterThanOrEqual(512 * 1024);
  });
});
