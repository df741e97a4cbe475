/**
 * Shared and overlapping ZIP data: found from the central directory before anything is inflated
 * (`zip.overlapping-entries`, rule zip/overlapping-entries), and each distinct range scanned once.
 * The 42.zip-style nested bombs are in bombs.test.ts; the rule's fact → finding table is at the end.
 */
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Member } from '../../src/formats/zip/index.js';
import { overlapGroups } from '../../src/formats/zip/overlap.js';
import { defineRuleTests, fact, runRuleTests } from '../helpers/rule-tester.js';
import { scanBuffer } from '../helpers/scan-bytes.js';
import { localEntry, rawZip, sharedZip, type RawMember } from './bomb-writer.js';

const BOUND_MS = 2000;
const EVIL = Buffer.from("cposix\nsystem\n(S'echo pwned'\ntR.", 'latin1');

const member = (index: number, dataOffset: number, compressedSize: number, extra: Partial<Member> = {}): Member => ({
  index, name: `m${index}`, nameLossy: false, flags: 0, method: 0, crc32: 0, compressedSize, uncompressedSize: compressedSize,
  localOffset: Math.max(0, dataOffset - 32), externalAttrs: 0, hostSystem: 3, dataOffset, ...extra,
});
type Group = [names: string[], start: number, end: number, ranges: number, coincident: boolean];

describe('overlapGroups (central directory + local header sizes only)', () => {
  it.each([
    ['disjoint members', [member(0, 32, 10), member(1, 80, 10)], []],
    ['touching ranges do not overlap', [member(0, 32, 10), member(1, 42, 10)], []],
    ['two entries over the same bytes', [member(0, 32, 10), member(1, 32, 10)], [[['m0', 'm1'], 32, 42, 1, true]]],
    ['partial overlap', [member(0, 32, 100), member(1, 60, 100)], [[['m0', 'm1'], 32, 160, 2, false]]],
    ['a chain joins transitively', [member(2, 150, 10), member(0, 32, 100), member(1, 120, 40)], [[['m0', 'm1', 'm2'], 32, 160, 3, false]]],
    ['empty and broken members take no part', [member(0, 32, 0), member(1, 32, 0), member(2, 32, 9, { broken: 'local header missing' }), member(3, 32, 9)], []],
    ['two separate groups', [member(0, 32, 5), member(1, 32, 5), member(2, 90, 5), member(3, 92, 5)], [[['m0', 'm1'], 32, 37, 1, true], [['m2', 'm3'], 90, 97, 2, false]]],
  ] as Array<[string, Member[], Group[]]>)('%s', (_n, members, want) => {
    const t0 = Date.now();
    const got = overlapGroups(members).map((g): Group => [g.members.map((m) => m.name), g.start, g.end, g.ranges, g.coincident]);
    expect(got).toEqual(want);
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
  });

  it('100,000 entries over one range cost one sort', () => {
    const t0 = Date.now();
    const g = overlapGroups(Array.from({ length: 100_000 }, (_, i) => member(i, 64, 1 << 20)));
    expect(Date.now() - t0).toBeLessThan(5 * BOUND_MS);
    expect(g.map((x) => [x.members.length, x.ranges])).toEqual([[100_000, 1]]);
  });
});

const pkl: RawMember = { name: 'evil.pkl', body: EVIL, method: 0, size: EVIL.length, crc: crc32(EVIL) };
/** Fifield-style: the second entry's local header and data sit inside the first entry's data. */
const quoted = (): Buffer => {
  const inner = localEntry({ ...pkl, name: 'b.pkl' });
  return rawZip([{ name: 'a.bin', body: inner, method: 0, size: inner.length, crc: crc32(inner) }], [{ name: 'a.bin', member: 0 }, { name: 'b.pkl', member: 0, at: 30 + 'a.bin'.length }]);
};

interface ScanCase {
  name: string;
  bytes: () => Buffer;
  /** [count, ranges, coincident, notRescanned] per overlap fact */
  overlaps: Array<[number, number, boolean, number]>;
  /** members where pickle.global was found */
  globals: string[];
  crcMismatch: string[];
}

describe('scanning archives with shared data', () => {
  it.each<ScanCase>([
    { name: '16 entries over one pickle: scanned once', bytes: () => sharedZip(pkl, 16), overlaps: [[16, 1, true, 15]], globals: ['evil.pkl'], crcMismatch: [] },
    { name: 'an alias with another CRC still gets its CRC checked', bytes: () => rawZip([pkl], [{ name: 'evil.pkl', member: 0 }, { name: 'twin.pkl', member: 0, crc: 0x1234 }]), overlaps: [[2, 1, true, 1]], globals: ['evil.pkl'], crcMismatch: ['twin.pkl'] },
    { name: 'same bytes read with another method are scanned again', bytes: () => rawZip([pkl], [{ name: 'evil.pkl', member: 0 }, { name: 'inflated.pkl', member: 0, method: 8 }]), overlaps: [[2, 1, true, 0]], globals: ['evil.pkl'], crcMismatch: [] },
    // b.pkl's central entry keeps a.bin's sizes and CRC, so it reads past the pickle and its CRC differs
    { name: 'quoted local header inside another entry', bytes: quoted, overlaps: [[2, 2, false, 0]], globals: ['b.pkl'], crcMismatch: ['b.pkl'] },
    { name: 'an ordinary archive has no overlap', bytes: () => rawZip([pkl, { ...pkl, name: 'b.pkl' }], [{ name: 'evil.pkl', member: 0 }, { name: 'b.pkl', member: 1 }]), overlaps: [], globals: ['evil.pkl', 'b.pkl'], crcMismatch: [] },
  ])('$name', async (c) => {
    const t0 = Date.now();
    const r = await scanBuffer(c.bytes());
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
    const overlaps = r.facts.filter((f) => f.kind === 'zip.overlapping-entries').map((f) => [f.data.count, f.data.ranges, f.data.coincident, f.data.notRescanned]);
    expect(overlaps).toEqual(c.overlaps);
    expect(r.facts.filter((f) => f.kind === 'pickle.global').map((f) => f.location.member)).toEqual(c.globals);
    expect(r.facts.filter((f) => f.kind === 'zip.crc-mismatch').map((f) => f.data.member)).toEqual(c.crcMismatch);
  });
});

const overlapFact = (count: number, names: string[], notRescanned: number) =>
  fact('zip.overlapping-entries', { members: names, count, ranges: 1, coincident: true, start: 39, end: 1043535, notRescanned, key: 'overlap:39-1043535' }, { path: 'bomb.zip' });

runRuleTests([
  defineRuleTests('zip/overlapping-entries', {
    valid: [
      { name: 'a header inside another entry is zip/overlap', facts: [fact('zip.overlap', { member: 'b', other: 'a', key: 'overlap:b' })] },
      { name: 'duplicate names over separate data', facts: [fact('zip.duplicate-name', { member: 'a', count: 2, key: 'duplicate-name:a' })] },
    ],
    invalid: [
      {
        name: 'sixteen entries over one member',
        facts: [overlapFact(16, ['f0.bin', 'f1.bin'], 15)],
        findings: [{ message: '16 entries read the compressed bytes 39..1043535 (1 distinct ranges); each range was scanned once, 15 entries not again: f0.bin, f1.bin' }],
      },
    ],
  }),
]);
