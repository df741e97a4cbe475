/**
 * GNU sparse tar members in every encoding Python's tarfile reads (old GNU `S` with and without
 * extension blocks, PAX 0.0, 0.1, 1.0): mlvet rebuilds the member tarfile extracts, under the name
 * tarfile gives it, and scans that. Fixtures and the tarfile check: fixtures/formats/tar-sparse/make_sparse.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { readTar, SparseReader, type TarEntry } from '../../src/formats/tar/index.js';
import { FIXTURES } from '../helpers/cli.js';
import { scanBuffer } from '../helpers/scan-bytes.js';

const BOUND_MS = 2000;
const file = (n: string): Buffer => readFileSync(join(FIXTURES, 'formats', 'tar-sparse', n));
const LIM = { maxEntries: 100, maxMetaBytes: 1 << 20 };

async function entries(bytes: Buffer): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  for await (const e of readTar(new BufferReader(bytes), LIM)) out.push(e);
  return out;
}

async function extract(bytes: Buffer, e: TarEntry): Promise<Buffer> {
  const r = e.sparse ? new SparseReader(new BufferReader(bytes), e.sparse, e.size) : new BufferReader(bytes.subarray(e.dataOffset, e.dataOffset + e.size));
  return Buffer.from(await r.read(0, e.size));
}

describe('sparse members are rebuilt as tarfile extracts them', () => {
  it.each([
    ['malicious-pax-1.0.tar', 'pax-1.0', 'evil.pkl', 'extracted-evil.pkl', 7],
    ['malicious-pax-0.1.tar', 'pax-0.1', 'evil.pkl', 'extracted-evil.pkl', 7],
    ['malicious-pax-0.0.tar', 'pax-0.0', 'evil.pkl', 'extracted-evil.pkl', 7],
    ['malicious-gnu-old.tar', 'gnu-old', 'evil.pkl', 'extracted-evil.pkl', 4],
    ['malicious-gnu-old-extended.tar', 'gnu-old', 'evil.pkl', 'extracted-evil.pkl', 7],
    ['benign-pax-1.0-text.tar', 'pax-1.0', 'notes.txt', 'extracted-notes.txt', 3],
  ])('%s: %s map, name %s, bytes = tarfile extraction', async (fixture, format, name, want, segments) => {
    const t0 = Date.now();
    const bytes = file(fixture);
    const [e, ...rest] = await entries(bytes);
    expect(rest).toEqual([]);
    expect([e?.name, e?.type, e?.sparse?.format, e?.sparse?.segments.length, e?.sparseError]).toEqual([name, 'file', format, segments, undefined]);
    expect((await extract(bytes, e!)).equals(file(want))).toBe(true);
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
  });
});

describe('scanning sparse tars', () => {
  const globals = (r: Awaited<ReturnType<typeof scanBuffer>>): string[] =>
    r.facts.filter((f) => f.kind === 'pickle.global').map((f) => `${f.location.member ?? ''} ${String(f.data.module)}.${String(f.data.name)}`);
  it.each([
    ['malicious-pax-1.0.tar', ['evil.pkl os.system']],
    ['malicious-pax-0.1.tar', ['evil.pkl os.system']],
    ['malicious-pax-0.0.tar', ['evil.pkl os.system']],
    ['malicious-gnu-old.tar', ['evil.pkl os.system']],
    ['malicious-gnu-old-extended.tar', ['evil.pkl os.system']],
    ['benign-pax-1.0-text.tar', []],
  ])('%s → pickle globals %j, nothing inconclusive', async (fixture, want) => {
    const t0 = Date.now();
    const r = await scanBuffer(file(fixture));
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
    expect(globals(r)).toEqual(want);
    expect(r.inconclusive).toEqual([]);
    expect(r.facts.filter((f) => f.kind === 'archive.special-file')).toEqual([]);
  });

  it.each(['malicious-pax-1.0.tar', 'malicious-gnu-old-extended.tar'])('%s inside gzip: found one level down', async (fixture) => {
    const t0 = Date.now();
    const r = await scanBuffer(gzipSync(file(fixture)));
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
    expect(globals(r)).toEqual(['gunzip!evil.pkl os.system']);
    expect(r.inconclusive).toEqual([]);
  });

  it('1 TiB of holes is cut at the decompressed-bytes budget; the pickle before it is still found', async () => {
    const t0 = Date.now();
    const r = await scanBuffer(file('malicious-pax-0.1-1tib-hole.tar'));
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
    expect(globals(r)).toEqual(['evil.pkl os.system']);
    expect(r.inconclusive.map((i) => [i.code, i.scanner, i.member, i.offset])).toEqual([['LIMIT_EXCEEDED', 'tar', 'evil.pkl', 1024]]);
  });

  it.each([
    ['broken-pax-1.0-not-a-number.tar', 'PARSE_ERROR', 1536],
    ['broken-pax-1.0-overlap.tar', 'PARSE_ERROR', 1024],
    ['broken-pax-1.0-huge-count.tar', 'LIMIT_EXCEEDED', 1536],
  ])('%s → %s at offset %d, never clean', async (fixture, code, offset) => {
    const t0 = Date.now();
    const r = await scanBuffer(file(fixture));
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
    expect(r.inconclusive.map((i) => [i.code, i.scanner, i.member, i.offset])).toEqual([[code, 'tar', 'evil.pkl', offset]]);
    expect(globals(r)).toEqual([]);
  });
});
