/**
 * The shared remote reader: small reads are served from cached blocks, sequential reads grow one
 * request, transient failures are retried, a short body is never a silent end of file, and the disk
 * cache serves a second reader and stays under its size limit. Plus https:// without Range support.
 */
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskCache, RemoteReader, remoteOptions, TransientError, type RangeSource } from '../../src/artifact/remote/index.js';
import { scan } from '../../src/scan.js';

const DATA = new Uint8Array(1024 * 1024).map((_, i) => i % 251);

function source(opts: { failFirst?: number; short?: boolean; cacheKey?: string } = {}): RangeSource & { calls: Array<[number, number]> } {
  let failures = opts.failFirst ?? 0;
  const calls: Array<[number, number]> = [];
  return {
    name: 'mem://data',
    size: DATA.length,
    ...(opts.cacheKey ? { cacheKey: opts.cacheKey } : {}),
    calls,
    fetchRange(offset, length) {
      calls.push([offset, length]);
      if (failures-- > 0) return Promise.reject(new TransientError('HTTP 503'));
      const body = DATA.slice(offset, offset + (opts.short ? length - 1 : length));
      const contentRange = `bytes ${offset}-${offset + length - 1}/${DATA.length}`;
      return Promise.resolve({ status: 206, contentRange, body: Readable.from([body]), cancel: () => undefined });
    },
  };
}

const opts = (over = {}) => remoteOptions({}, { blockSize: 4096, maxReadahead: 65536, retries: 2, backoffMs: 1, timeoutMs: 1000, cacheDir: '', ...over });

describe('RemoteReader', () => {
  it('many small reads near each other cost one request', async () => {
    const s = source();
    const r = new RemoteReader(s, opts());
    for (let i = 0; i < 100; i++) expect(await r.read(1000 + i * 7, 5)).toEqual(DATA.slice(1000 + i * 7, 1005 + i * 7));
    // one request: the block holding offset 1000 plus one block of read-ahead (a block's worth past the read)
    expect(s.calls).toEqual([[0, 8192]]);
    expect(r.bytesRead).toBe(8192);
  });
  it('sequential reads grow the read-ahead; a random read resets it', async () => {
    const s = source();
    const r = new RemoteReader(s, opts());
    let off = 0;
    for (let i = 0; i < 20; i++) {
      expect(await r.read(off, 4096)).toEqual(DATA.slice(off, off + 4096));
      off += 4096;
    }
    expect(s.calls.length).toBeLessThan(8);
    expect(Math.max(...s.calls.map((c) => c[1]))).toBe(65536);
    await r.read(900_000, 10);
    expect(s.calls[s.calls.length - 1]).toEqual([Math.floor(900_000 / 4096) * 4096, 8192]);
  });
  it('reads spanning blocks and the end of the object are exact', async () => {
    const r = new RemoteReader(source(), opts());
    expect(await r.read(4000, 10_000)).toEqual(DATA.slice(4000, 14_000));
    expect(await r.read(DATA.length - 5, 100)).toEqual(DATA.slice(DATA.length - 5));
    expect((await r.read(DATA.length + 5, 10)).length).toBe(0);
  });
  it('transient failures are retried', async () => {
    const s = source({ failFirst: 2 });
    expect(await new RemoteReader(s, opts()).read(0, 10)).toEqual(DATA.slice(0, 10));
    expect(s.calls.length).toBe(3);
  });
  it.each([
    ['persistent failure', { failFirst: 99 }],
    ['short body', { short: true }],
  ])('%s ends in REMOTE_ERROR naming the object', async (_n, o) => {
    await expect(new RemoteReader(source(o), opts()).read(0, 10)).rejects.toMatchObject({ code: 'REMOTE_ERROR', details: { path: 'mem://data' } });
  });
  it('the disk cache serves a second reader and keeps under its limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlvet-cache-'));
    const o = opts({ cacheDir: dir, cacheMaxBytes: 64 * 1024 });
    await new RemoteReader(source({ cacheKey: 'k1' }), o).read(0, 8192);
    const s2 = source({ cacheKey: 'k1' });
    const r2 = new RemoteReader(s2, o);
    expect(await r2.read(0, 8192)).toEqual(DATA.slice(0, 8192));
    expect(s2.calls).toEqual([]);
    expect(r2.bytesFromCache).toBe(8192);
    await new RemoteReader(source({ cacheKey: 'k2' }), o).read(0, 200_000);
    expect(DiskCache.open(dir, 64 * 1024)!.size()).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('https:// without Range support', () => {
  it.each([
    ['within the limit: downloaded once and scanned', '1048576', 1],
    ['over the limit: inconclusive, not clean', '10', 2],
  ])('%s', async (_n, limit, code) => {
    const evil = Buffer.from('cposix\nsystem\n(Vid\ntR.', 'latin1');
    const server = createServer((_req, res) => res.writeHead(200, { 'content-length': evil.length }).end(evil));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const old = { ...process.env };
    Object.assign(process.env, { MLVET_MAX_DOWNLOAD_BYTES: limit, MLVET_CACHE_DIR: '' });
    try {
      const r = await scan({ targets: [`http://127.0.0.1:${(server.address() as AddressInfo).port}/weights.bin`] });
      expect(r.findings.some((f) => f.ruleId === 'pickle/code-execution')).toBe(code === 1);
      expect(r.inconclusive.length > 0).toBe(code === 2);
      if (code === 1) expect(r.targets[0]!.bytesRead).toBe(evil.length);
    } finally {
      process.env = old;
      server.close();
    }
  });
});
