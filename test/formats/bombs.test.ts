/**
 * Decompression bombs on every codec, alone and nested: each is refused while it streams (a few MiB
 * of output, not GiB), ends inside a time bound, is LIMIT_EXCEEDED, and a ratio stop is also the
 * `archive/decompression-bomb` finding. Deflate bombs are built here (bomb-writer.ts); bzip2, xz and
 * zstd bombs are committed under fixtures/formats/bombs with their generator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompress, type Codec } from '../../src/formats/compress/decompress.js';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { DEFAULT_BUDGETS, type Budgets } from '../../src/model/budgets.js';
import { FIXTURES } from '../helpers/cli.js';
import { scanBuffer } from '../helpers/scan-bytes.js';
import { deflateZeros, fifield, gzipWrap, nested42, rawZip, sharedZip, tarOf } from './bomb-writer.js';

const GIB = 2 ** 30;
const BOUND_MS = 5000;
/**
 * CPU time (user + system, every thread of this process) since `t0 = process.cpuUsage()`, in ms: the
 * bound is on the work a bomb costs, which a loaded machine does not stretch as it stretches wall time
 * (at load 20 the 2 × 64 MiB case took 5.5 s of wall time and failed the old wall-clock bound).
 */
const cpuMs = (t0: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
};
const bomb = (n: string): Buffer => readFileSync(join(FIXTURES, 'formats', 'bombs', n));
const zipOf = (name: string, raw: Buffer, size: number): Buffer => sharedZip({ name, body: raw, method: 8, size }, 1);
const stored = (name: string, body: Buffer): { name: string; body: Buffer; method: 0; size: number } => ({ name, body, method: 0, size: body.length });

type Stop = [code: string, scanner: string, member: string | null];
type Budget = [codec: string, budget: string, member: string | null];
interface Case {
  name: string;
  bytes: () => Buffer;
  budgets?: Partial<Budgets>;
  stops: Stop[];
  budgetFacts: Budget[];
}

const CASES: Case[] = [
  { name: 'zip deflate, 1 GiB of zeros', bytes: () => zipOf('z.bin', deflateZeros(GIB), GIB), stops: [['LIMIT_EXCEEDED', 'zip', 'z.bin']], budgetFacts: [['inflate', 'ratio', 'z.bin']] },
  { name: 'zip deflate, 4 GiB of zeros', bytes: () => zipOf('z.bin', deflateZeros(4 * GIB), 4 * GIB), stops: [['LIMIT_EXCEEDED', 'zip', 'z.bin']], budgetFacts: [['inflate', 'ratio', 'z.bin']] },
  { name: 'zip deflate, 10 MB towards 10 GiB', bytes: () => zipOf('z.bin', deflateZeros(10 * GIB), 10 * GIB), stops: [['LIMIT_EXCEEDED', 'zip', 'z.bin']], budgetFacts: [['inflate', 'ratio', 'z.bin']] },
  { name: 'gzip, 1 GiB', bytes: () => gzipWrap(deflateZeros(GIB), GIB), stops: [['LIMIT_EXCEEDED', 'compress', null]], budgetFacts: [['gunzip', 'ratio', null]] },
  { name: 'gzip, 10 GiB', bytes: () => gzipWrap(deflateZeros(10 * GIB), 10 * GIB), stops: [['LIMIT_EXCEEDED', 'compress', null]], budgetFacts: [['gunzip', 'ratio', null]] },
  { name: 'bzip2, 1 GiB', bytes: () => bomb('zeros-1g.bz2'), stops: [['LIMIT_EXCEEDED', 'compress', null]], budgetFacts: [['bunzip2', 'ratio', null]] },
  { name: 'xz, 1 GiB', bytes: () => bomb('zeros-1g.xz'), stops: [['LIMIT_EXCEEDED', 'compress', null]], budgetFacts: [['unxz', 'ratio', null]] },
  { name: 'zstd, 1 GiB', bytes: () => bomb('zeros-1g.zst'), stops: [['LIMIT_EXCEEDED', 'compress', null]], budgetFacts: [['unzstd', 'ratio', null]] },
  {
    name: 'gzip bomb stored in a zip',
    bytes: () => rawZip([stored('a.gz', gzipWrap(deflateZeros(GIB), GIB))], [{ name: 'a.gz', member: 0 }]),
    stops: [['LIMIT_EXCEEDED', 'compress', 'a.gz']],
    budgetFacts: [['gunzip', 'ratio', 'a.gz']],
  },
  {
    name: 'xz bomb deflated in a zip',
    bytes: () => zipOf('a.xz', deflateRawSync(bomb('zeros-1g.xz')), bomb('zeros-1g.xz').length),
    stops: [['LIMIT_EXCEEDED', 'compress', 'a.xz']],
    budgetFacts: [['unxz', 'ratio', 'a.xz']],
  },
  {
    name: 'zip bomb inside gzip',
    bytes: () => gzipSync(zipOf('z.bin', deflateZeros(GIB), GIB)),
    stops: [['LIMIT_EXCEEDED', 'zip', 'gunzip!z.bin']],
    budgetFacts: [['inflate', 'ratio', 'gunzip!z.bin']],
  },
  {
    name: 'bzip2 bomb in a tar in gzip (.tar.gz)',
    bytes: () => gzipSync(tarOf('data/zeros.bz2', bomb('zeros-1g.bz2'))),
    stops: [['LIMIT_EXCEEDED', 'compress', 'gunzip!data/zeros.bz2']],
    budgetFacts: [['bunzip2', 'ratio', 'gunzip!data/zeros.bz2']],
  },
  {
    name: 'zstd bomb in a zip in a tar',
    bytes: () => tarOf('model.zip', rawZip([stored('w.zst', bomb('zeros-1g.zst'))], [{ name: 'w.zst', member: 0 }])),
    stops: [['LIMIT_EXCEEDED', 'compress', 'model.zip!w.zst']],
    budgetFacts: [['unzstd', 'ratio', 'model.zip!w.zst']],
  },
  {
    name: 'size budget alone (ratio off), 1 GiB zip member',
    bytes: () => zipOf('z.bin', deflateZeros(GIB), GIB),
    budgets: { maxCompressionRatio: 1e12, maxDecompressedBytes: 96 << 20 },
    stops: [['LIMIT_EXCEEDED', 'zip', 'z.bin']],
    budgetFacts: [['inflate', 'size', 'z.bin']],
  },
  {
    name: 'size budget shared across levels and members',
    bytes: () => {
      const gz = gzipWrap(deflateZeros(64 << 20), 64 << 20, crc32(Buffer.alloc(64 << 20)));
      return rawZip([stored('x.gz', gz), stored('y.gz', gz)], [{ name: 'x.gz', member: 0 }, { name: 'y.gz', member: 1 }]);
    },
    budgets: { maxCompressionRatio: 1e12, maxDecompressedBytes: 96 << 20 },
    stops: [['LIMIT_EXCEEDED', 'compress', 'y.gz']],
    budgetFacts: [['gunzip', 'size', 'y.gz']],
  },
];

describe('decompression bombs are refused while streaming', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const bytes = c.bytes();
    const t0 = process.cpuUsage();
    const r = await scanBuffer(bytes, c.budgets ?? {});
    expect(cpuMs(t0)).toBeLessThan(BOUND_MS);
    expect(r.inconclusive.map((i): Stop => [i.code, i.scanner ?? '', i.member ?? null])).toEqual(c.stops);
    const facts = r.facts.filter((f) => f.kind === 'archive.decompression-budget');
    expect(facts.map((f): Budget => [String(f.data.codec), String(f.data.budget), f.location.member ?? null])).toEqual(c.budgetFacts);
    for (const f of facts) expect(Number(f.data.outBytes)).toBeLessThan(128 << 20);
  }, 20_000);
});

describe('the gate on each codec, directly', () => {
  const lim = { maxOutput: DEFAULT_BUDGETS.maxDecompressedBytes, maxRatio: 1000, maxInMemoryInput: 1 << 30, deadline: Date.now() + 60_000 };
  it.each([
    ['deflate-raw', () => deflateZeros(GIB)],
    ['gzip', () => gzipWrap(deflateZeros(GIB), GIB)],
    ['bzip2', () => bomb('zeros-1g.bz2')],
    ['xz', () => bomb('zeros-1g.xz')],
    ['zstd', () => bomb('zeros-1g.zst')],
  ] as Array<[Codec, () => Buffer]>)('%s stops on ratio within 8 MiB of output', async (codec, make) => {
    const input = make();
    const t0 = process.cpuUsage();
    const d = await decompress(new BufferReader(input), 0, input.length, codec, lim);
    expect(cpuMs(t0)).toBeLessThan(BOUND_MS);
    expect([d.error?.code, d.budget]).toEqual(['LIMIT_EXCEEDED', 'ratio']);
    expect(d.outBytes).toBeLessThan(8 << 20);
    expect(d.outBytes).toBeGreaterThan(1 << 20);
    await d.reader.close();
  }, 20_000);

  it('an ordinary stream under every budget comes out whole', async () => {
    const plain = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
    const z = gzipSync(plain);
    const d = await decompress(new BufferReader(z), 0, z.length, 'gzip', lim);
    expect([d.error, d.budget, d.outBytes, d.consumed]).toEqual([undefined, undefined, plain.length, z.length]);
    expect(Buffer.from(await d.reader.read(0, plain.length)).equals(plain)).toBe(true);
  });
});

describe('42.zip with shared data', () => {
  it.each([
    ['6 layers × 16 entries over 1 GiB', () => nested42(6, 16, GIB), 6],
    ['1 layer × 5,000 entries over 1 GiB', () => nested42(1, 5000, GIB), 1],
  ] as const)('%s: every layer scanned once, overlap reported per layer', async (_n, make, layers) => {
    const bytes = make();
    const t0 = process.cpuUsage();
    const r = await scanBuffer(bytes);
    expect(cpuMs(t0)).toBeLessThan(BOUND_MS);
    const overlaps = r.facts.filter((f) => f.kind === 'zip.overlapping-entries');
    expect(overlaps).toHaveLength(layers);
    for (const f of overlaps) expect([f.data.coincident, f.data.ranges, f.data.notRescanned]).toEqual([true, 1, Number(f.data.count) - 1]);
    expect(r.inconclusive.map((i) => [i.code, i.scanner])).toEqual([['LIMIT_EXCEEDED', 'zip']]);
    expect(r.facts.filter((f) => f.kind === 'archive.decompression-budget').map((f) => f.data.budget)).toEqual(['ratio']);
  }, 20_000);
});

describe('overlapped bomb (Fifield): distinct nested ranges over one kernel', () => {
  // the group may produce maxCompressionRatio × the bytes it spans, what one member over those bytes could
  it.each([
    ['2,000 entries over a 16 MiB kernel', 2000, 16 << 20, {}],
    ['10,000 entries over a 16 MiB kernel, ratio budget 100', 10_000, 16 << 20, { maxCompressionRatio: 100 }],
  ] as const)('%s: one output allowance for the group', async (_n, entries, kernel, budgets) => {
    const bytes = fifield(entries, kernel);
    const t0 = process.cpuUsage();
    const r = await scanBuffer(bytes, budgets);
    expect(cpuMs(t0)).toBeLessThan(BOUND_MS);
    const overlaps = r.facts.filter((f) => f.kind === 'zip.overlapping-entries');
    expect(overlaps.map((f) => [f.data.count, f.data.ranges, f.data.coincident, f.data.notRescanned])).toEqual([[entries, entries, false, 0]]);
    // every scanned entry's output starts with the next local header, so it is an unreadable zip: one inconclusive entry each
    const scanned = new Set(r.inconclusive.filter((i) => i.member !== undefined).map((i) => i.member)).size;
    expect(scanned).toBeGreaterThan(0);
    expect(scanned).toBeLessThan(10);
    const groupStop = r.inconclusive.filter((i) => i.member === undefined);
    const skipped = `${entries - scanned} of ${entries} overlapping entries not scanned`;
    expect(groupStop.map((i) => [i.code, i.scanner, i.message.startsWith(skipped)])).toEqual([['LIMIT_EXCEEDED', 'zip', true]]);
  }, 30_000);
});
