/**
 * Bombs, deep nesting, huge headers and truncated files: each ends in an explicit inconclusive entry
 * (or a finding), never a crash and never a silent "clean".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/cli.js';
import { scanBuffer } from '../helpers/scan-bytes.js';
import { makeZip } from './zip-writer.js';

const EVIL = Buffer.from("cposix\nsystem\n(S'echo pwned'\ntR.", 'latin1');
const codes = (r: { inconclusive: Array<{ code: string }> }): string[] => r.inconclusive.map((i) => i.code);
const kinds = (r: { facts: Array<{ kind: string }> }): string[] => r.facts.map((f) => f.kind);

describe('decompression bombs', () => {
  const zeros = new Uint8Array(8 << 20);
  it.each([
    ['zip member over the size budget', makeZip([['a.bin', zeros, true]]), { maxDecompressedBytes: 1 << 20 }],
    ['zip member over the ratio budget', makeZip([['a.bin', zeros, true]]), { maxCompressionRatio: 50 }],
    ['gzip over the size budget', gzipSync(zeros), { maxDecompressedBytes: 1 << 20 }],
    ['gzip inside zip, budget shared across levels', makeZip([['x.gz', gzipSync(zeros)], ['y.gz', gzipSync(zeros)]]), { maxDecompressedBytes: 12 << 20 }],
  ] as const)('%s → LIMIT_EXCEEDED', async (_n, bytes, budgets) => {
    const r = await scanBuffer(bytes, budgets);
    expect(codes(r)).toContain('LIMIT_EXCEEDED');
  });
  it('still scans what came out before the budget ran out', async () => {
    const bomb = gzipSync(Buffer.concat([EVIL, Buffer.alloc(4 << 20)]));
    const r = await scanBuffer(bomb, { maxDecompressedBytes: 1 << 20 });
    expect(codes(r)).toContain('LIMIT_EXCEEDED');
    expect(kinds(r)).toContain('pickle.global');
  });
});

describe('nesting and entry budgets', () => {
  it('zip in zip twelve levels deep → LIMIT_EXCEEDED, payload above the limit still found', async () => {
    let z: Buffer = makeZip([['evil.pkl', EVIL]]);
    for (let i = 0; i < 12; i++) z = makeZip([[`level${i}.zip`, z], ...(i === 11 ? ([['top.pkl', EVIL]] as Array<[string, Uint8Array]>) : [])]);
    const r = await scanBuffer(z);
    expect(codes(r)).toContain('LIMIT_EXCEEDED');
    expect(r.facts.some((f) => f.kind === 'pickle.global' && f.location.member === 'top.pkl')).toBe(true);
  });
  it('42.zip-style fan-out runs out of entries → LIMIT_EXCEEDED', async () => {
    let z: Buffer = makeZip([['x', new Uint8Array(16)]]);
    for (let i = 0; i < 4; i++) z = makeZip(Array.from({ length: 8 }, (_, k) => [`${i}-${k}.zip`, z] as [string, Uint8Array]));
    const r = await scanBuffer(z, { maxArchiveEntries: 200 });
    expect(codes(r)).toContain('LIMIT_EXCEEDED');
  });
});

describe('huge headers', () => {
  const npy = (len: number): Buffer => Buffer.concat([Buffer.from('\x93NUMPY\x02\x00', 'latin1'), Buffer.from([len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff, len >>> 24]), Buffer.alloc(64)]);
  const zipHugeCd = (): Buffer => {
    const z = makeZip([['a', EVIL]]);
    z.writeUInt32LE(0x7fffffff, z.length - 10); // central directory size
    return z;
  };
  it.each([
    ['npy header length 2 GiB', npy(0x7fffffff), 'LIMIT_EXCEEDED'],
    ['zip central directory 2 GiB', zipHugeCd(), 'LIMIT_EXCEEDED'],
    ['tar PAX header 1 GiB', tarWithPax(1 << 30), 'LIMIT_EXCEEDED'],
  ] as const)('%s → %s', async (_n, bytes, code) => {
    const r = await scanBuffer(bytes);
    expect(codes(r)).toContain(code);
  });
});

function tarWithPax(size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write('pax', 0);
  h.write(size.toString(8).padStart(11, '0'), 124);
  h.write('x', 156);
  h.write('ustar\x0000', 257, 'latin1');
  return Buffer.concat([h, Buffer.alloc(1024)]);
}

describe('truncated container fixtures', () => {
  const dir = join(FIXTURES, 'formats', 'malicious');
  // the prefix tricks are excluded: cut before the archive starts they are a shell script / zeros, not a container
  const files = readdirSync(dir).filter((f) => !f.startsWith('repo-') && !/prefix|offset-shift/.test(f) && /\.(pt|zip|tar|gz|bz2|xz|keras|npy)$/.test(f));
  const neutral = new Set(['compress.layer', 'numpy.array', 'torch.zip', 'torch.legacy', 'torch.legacy-tar', 'hf.python-file']);
  it.each(files)('%s cut at 60 %% and 95 %% is never clean', async (name) => {
    const bytes = readFileSync(join(dir, name));
    for (const frac of [0.6, 0.95]) {
      const cut = Math.floor(bytes.length * frac) | 1; // odd: never a tar block boundary
      const r = await scanBuffer(bytes.subarray(0, cut));
      const anything = r.inconclusive.length + r.facts.filter((f) => !neutral.has(f.kind)).length;
      expect(anything, `${name} at ${cut}`).toBeGreaterThan(0);
    }
  });
});
