/**
 * Local file headers and the disagreements between them and the central directory. PyTorch reads a
 * member's name, sizes and method from the central directory and only uses the local header to find
 * where the data starts; Python's zipfile checks names, flags and CRCs. Every place where the two
 * readers part ways is returned as an anomaly for the scanner to report.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { mapConcurrent } from '../../artifact/read-plan.js';
import { type CentralDirectory, type CentralEntry, le } from './central.js';

const LOC_SIG = 0x04034b50;
const UTF8 = new TextDecoder('utf-8');

export interface Member extends CentralEntry {
  /** absolute offset of the member's data */
  dataOffset: number;
  /** name in the local header (may differ from the central name) */
  localName?: string;
  localFlags?: number;
  /** the local header was missing or unreadable: the member cannot be extracted */
  broken?: string;
}

export type ZipAnomaly =
  | { kind: 'name-mismatch'; member: string; localName: string }
  | { kind: 'flag-bits'; member: string; flags: number; bits: string[] }
  | { kind: 'duplicate-name'; member: string; count: number }
  | { kind: 'prefix-data'; length: number }
  | { kind: 'offset-shift'; shift: number }
  | { kind: 'overlap'; member: string; other: string }
  | { kind: 'data-past-eof'; member: string; end: number };

/** General-purpose flag bits zipfile refuses or treats specially and miniz ignores. */
const FLAG_BITS: Array<[number, string]> = [
  [0x1, 'encrypted'],
  [0x20, 'patched-data'],
  [0x40, 'strong-encryption'],
];

export function flagBits(flags: number): string[] {
  return FLAG_BITS.filter(([b]) => (flags & b) !== 0).map(([, n]) => n);
}

async function readLocal(r: RandomAccessReader, e: CentralEntry): Promise<Member> {
  const h = await r.read(e.localOffset, 30);
  if (h.length < 30 || le.u32(h, 0) !== LOC_SIG) return { ...e, dataOffset: e.localOffset, broken: 'local header missing' };
  const nlen = le.u16(h, 26);
  const xlen = le.u16(h, 28);
  const raw = await r.read(e.localOffset + 30, nlen);
  const localName = UTF8.decode(raw);
  return { ...e, dataOffset: e.localOffset + 30 + nlen + xlen, localName, localFlags: le.u16(h, 6) };
}

/** local headers read at once: a remote reader's limiter bounds the requests, this bounds the promises */
const LOCAL_READS = 256;

/** Resolve every entry's local header (concurrently) and list the disagreements. */
export async function resolveMembers(r: RandomAccessReader, cd: CentralDirectory): Promise<{ members: Member[]; anomalies: ZipAnomaly[] }> {
  const members = await mapConcurrent(cd.entries, LOCAL_READS, (e) => readLocal(r, e));
  const anomalies: ZipAnomaly[] = [];
  if (cd.shift > 0) anomalies.push({ kind: 'offset-shift', shift: cd.shift });

  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  for (const [name, count] of counts) if (count > 1) anomalies.push({ kind: 'duplicate-name', member: name, count });

  for (const m of members) {
    if (m.localName !== undefined && m.localName !== m.name) anomalies.push({ kind: 'name-mismatch', member: m.name, localName: m.localName });
    const bits = flagBits(m.flags | (m.localFlags ?? 0));
    if (bits.length) anomalies.push({ kind: 'flag-bits', member: m.name, flags: m.flags | (m.localFlags ?? 0), bits });
    const end = m.dataOffset + m.compressedSize;
    if (!m.broken && end > r.size) anomalies.push({ kind: 'data-past-eof', member: m.name, end });
  }

  const sorted = [...members].filter((m) => !m.broken).sort((a, b) => a.localOffset - b.localOffset);
  const first = sorted[0];
  if (first && first.localOffset > 0) anomalies.push({ kind: 'prefix-data', length: first.localOffset });
  let prev: Member | undefined;
  for (const m of sorted) {
    if (prev && m.localOffset < prev.dataOffset + prev.compressedSize) anomalies.push({ kind: 'overlap', member: m.name, other: prev.name });
    if (!prev || m.dataOffset + m.compressedSize > prev.dataOffset + prev.compressedSize) prev = m;
  }
  return { members, anomalies };
}
