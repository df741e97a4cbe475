/**
 * Issue 10, item 3: tensor bytes are not pickles. A storage member of a torch zip is scanned as a
 * pickle only when it is one complete, valid pickle stream; the opcodes of random-looking bytes never
 * become findings. The checkpoint is the real `torch-optimizer.pt` (an SGD/Adam state dict saved by
 * torch.save) with its storages replaced.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { DEFAULT_BUDGETS } from '../../src/model/budgets.js';
import { memberReader, openZip } from '../../src/formats/zip/index.js';
import { asm, evilP4, P } from '../helpers/pickle-asm.js';
import { prng } from '../helpers/prng.js';
import { codes, ruleIds, scanBytes } from '../helpers/scan-bytes.js';
import { makeZip } from './zip-writer.js';

const REAL = readFileSync(new URL('../../fixtures/pickle/benign/torch-optimizer.pt', import.meta.url));

/** The real checkpoint's non-storage members (data.pkl, version, …) as name → bytes. */
async function realMembers(): Promise<Array<[string, Uint8Array]>> {
  const r = new BufferReader(new Uint8Array(REAL));
  const zip = await openZip(r, { maxEntries: 100, maxCentralBytes: 1 << 20 });
  const out: Array<[string, Uint8Array]> = [];
  for (const m of zip.members) {
    if (m.name.includes('/data/')) continue;
    const d = await memberReader(r, m, { maxOutput: 1 << 20, maxRatio: 1000, maxInMemoryInput: 1 << 20, deadline: Date.now() + 5000 });
    out.push([m.name, await d.reader.read(0, d.reader.size)]);
  }
  return out;
}

/** A checkpoint whose storages are `storages` (named data/0, data/1, …). */
async function checkpoint(storages: Uint8Array[]): Promise<Buffer> {
  const base = await realMembers();
  const root = base[0]![0].split('/')[0]!;
  return makeZip([...base, ...storages.map((s, i): [string, Uint8Array] => [`${root}/data/${i}`, s])]);
}

function randomStorages(seed: number, count: number, size: number, first?: number): Uint8Array[] {
  const rnd = prng(seed);
  return Array.from({ length: count }, () => {
    const b = Uint8Array.from({ length: size }, () => Math.floor(rnd() * 256));
    if (first !== undefined) b[0] = first;
    return b;
  });
}

/** float32 noise that opens with EXT2: the AdamW checkpoint of the issue */
const ext2Float = Uint8Array.from([0x83, 0x21, 0x9a, 0x3c, 0x11, 0x2f, 0xbe, 0xbd, 0x40, 0x09, 0x1e, 0x3d]);

describe('random storages in a real torch.save checkpoint', () => {
  it('the untouched checkpoint is clean', async () => {
    const r = await scanBytes(REAL, 'optimizer.pt');
    expect([ruleIds(r), codes(r)]).toEqual([[], []]);
  });

  const noise: Array<[string, () => Uint8Array[]]> = [
    ['EXT2 float32 storage (the reported checkpoint)', () => [ext2Float, ext2Float.slice(0, 4)]],
    ['5,000 random 256-byte storages', () => randomStorages(1, 5000, 256)],
    ...Array.from({ length: 0x96 - 0x80 }, (_, k): [string, () => Uint8Array[]] => [
      `200 random storages opening with 0x${(0x80 + k).toString(16)}`,
      () => randomStorages(100 + k, 200, 64 + k, 0x80 + k),
    ]),
    ['PROTO 2..5 then noise', () => [2, 3, 4, 5].flatMap((p) => randomStorages(p, 100, 128).map((b) => (b.set([0x80, p]), b)))],
    ['a pickle cut before STOP', () => [evilP4().slice(0, -1)]],
    ['a pickle followed by noise', () => [Uint8Array.from([...evilP4(), 0x12, 0x34, 0x56, 0x78])]],
    ['a protocol-0 pickle (no PROTO)', () => [asm(P.global('posix', 'system'), P.string('echo mlvet'), P.TUPLE1, P.REDUCE, P.STOP)]],
  ];

  it.each(noise)('%s: no findings, nothing inconclusive', async (_name, make) => {
    const r = await scanBytes(await checkpoint(make()), 'optimizer.pt');
    expect([ruleIds(r), codes(r)]).toEqual([[], []]);
  }, 60_000);

  const pickles: Array<[string, Uint8Array, string]> = [
    ['protocol 4 posix.system', evilP4(), 'pickle/code-execution'],
    ['protocol 2 GLOBAL os.system', asm(P.proto(2), P.global('os', 'system'), P.binunicode('echo mlvet'), P.TUPLE1, P.REDUCE, P.STOP), 'pickle/code-execution'],
    ['protocol 5 framed', asm(P.proto(5), P.frame(evilP4().length - 3), evilP4().subarray(2)), 'pickle/code-execution'],
  ];

  it.each(pickles)('a storage that is a complete %s pickle is scanned as one', async (_name, bytes, rule) => {
    const r = await scanBytes(await checkpoint([...randomStorages(7, 3, 64), bytes]), 'optimizer.pt');
    expect(ruleIds(r)).toEqual([rule]);
    expect(codes(r)).toEqual([]);
  }, 20_000);

  it('the strict check runs on budgets: a 5,000-storage checkpoint scans within seconds', async () => {
    const t = Date.now();
    await scanBytes(await checkpoint(randomStorages(9, 5000, 256, 0x80)), 'optimizer.pt');
    expect(Date.now() - t).toBeLessThan(30_000);
    expect(DEFAULT_BUDGETS.maxArchiveEntries).toBeGreaterThan(5000);
  }, 60_000);
});
