/**
 * GNU sparse members, read as Python's tarfile reads them (`_proc_sparse`, `_proc_gnusparse_00/01/10`,
 * `_FileInFile`): the archive stores only the data segments, back to back; the member is those
 * segments at their offsets with zeros between, `realsize` bytes long. Four encodings:
 *
 * - old GNU (`S`): four (offset, numbytes) slots in the header at 386, more in 512-byte extension
 *   blocks after it (21 slots each, byte 504 says another follows), real size at 483;
 * - PAX 0.0: repeated `GNU.sparse.offset` / `GNU.sparse.numbytes` records;
 * - PAX 0.1: `GNU.sparse.map` = "offset,numbytes,offset,numbytes…";
 * - PAX 1.0 (`GNU.sparse.major=1`, `minor=0`): the map leads the member's data — decimal count, then
 *   offset/numbytes pairs, one per line, padded to 512 — and the segments follow it.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';
import { BLOCK, decimal, nti, type PaxRecord } from './fields.js';

export type SparseFormat = 'gnu-old' | 'pax-0.0' | 'pax-0.1' | 'pax-1.0';

/** Most segments a member may list: every map costs at least 4 bytes a segment, so this bounds memory too. */
export const MAX_SEGMENTS = 65_536;

export interface Segment {
  /** offset in the reconstructed member */
  offset: number;
  length: number;
}

export interface SparseMap {
  format: SparseFormat;
  /** non-empty segments in member order */
  segments: Segment[];
  /** where the first stored segment starts in the archive */
  storedOffset: number;
  /** bytes stored, the sum of segment lengths */
  stored: number;
}

const bad = (msg: string, offset: number): never => {
  throw new MlvetError('PARSE_ERROR', `sparse map: ${msg}`, { offset });
};

function pairs(nums: readonly number[], at: number): Segment[] {
  if (nums.length / 2 > MAX_SEGMENTS) throw new MlvetError('LIMIT_EXCEEDED', `sparse map of more than ${MAX_SEGMENTS} segments`, { offset: at });
  const out: Segment[] = [];
  // zip(offsets, sizes) in tarfile drops an odd trailing number
  for (let i = 0; i + 1 < nums.length; i += 2) out.push({ offset: nums[i]!, length: nums[i + 1]! });
  return out;
}

/** Sorted, non-overlapping, within realsize: the shape tarfile's sequential reads can rely on. Empty slots dropped. */
export function normalise(format: SparseFormat, raw: readonly Segment[], realSize: number, storedOffset: number, at: number): SparseMap {
  const segments: Segment[] = [];
  let end = 0;
  let stored = 0;
  for (const s of raw) {
    if (s.length === 0) continue; // an empty slot maps no bytes (old GNU pads its four header slots with them)
    if (s.offset < end) bad(`segment at ${s.offset} starts before the previous one ends (${end})`, at);
    if (s.offset + s.length > realSize) bad(`segment ${s.offset}+${s.length} runs past the real size ${realSize}`, at);
    segments.push(s);
    end = s.offset + s.length;
    stored += s.length;
  }
  return { format, segments, storedOffset, stored };
}

/** PAX 0.0 / 0.1 maps, from the extended header. Undefined when the records describe no sparse file. */
export function paxMap(records: readonly PaxRecord[], at: number): { format: SparseFormat; raw: Segment[] } | undefined {
  const keys = new Map(records);
  const num = (v: string): number => decimal(v) ?? bad(`"${v.slice(0, 32)}" is not a number`, at);
  const map = keys.get('GNU.sparse.map');
  if (map !== undefined) return { format: 'pax-0.1', raw: pairs(map.split(',').map(num), at) };
  if (keys.has('GNU.sparse.size')) {
    const offsets = records.filter(([k]) => k === 'GNU.sparse.offset').map(([, v]) => num(v));
    const sizes = records.filter(([k]) => k === 'GNU.sparse.numbytes').map(([, v]) => num(v));
    return { format: 'pax-0.0', raw: pairs(offsets.flatMap((o, i) => (i < sizes.length ? [o, sizes[i]!] : [])), at) };
  }
  return undefined;
}

export const isPax10 = (records: readonly PaxRecord[]): boolean => {
  const keys = new Map(records);
  return keys.get('GNU.sparse.major') === '1' && keys.get('GNU.sparse.minor') === '0';
};

/** The PAX 1.0 map at the start of the member data. Returns the segments and where the stored data begins. */
export async function readMap10(r: RandomAccessReader, dataOffset: number, storedSize: number): Promise<{ raw: Segment[]; storedOffset: number }> {
  const limit = Math.min(storedSize, MAX_SEGMENTS * 2 * 21 + BLOCK); // 20 digits and a newline per number, at most
  let text = '';
  let read = 0;
  const lines: string[] = [];
  let want = 1;
  while (lines.length < want) {
    const nl = text.indexOf('\n');
    if (nl >= 0) {
      lines.push(text.slice(0, nl));
      text = text.slice(nl + 1);
      if (lines.length === 1) want = 1 + 2 * (decimal(lines[0]!) ?? bad(`count "${lines[0]!.slice(0, 32)}" is not a number`, dataOffset));
      if (want > 1 + 2 * MAX_SEGMENTS) throw new MlvetError('LIMIT_EXCEEDED', `sparse map of more than ${MAX_SEGMENTS} segments`, { offset: dataOffset });
      continue;
    }
    if (read >= limit) bad('map runs past the member data', dataOffset + read);
    const b = await r.read(dataOffset + read, BLOCK);
    if (b.length < BLOCK) throw new MlvetError('TRUNCATED', 'sparse map runs past the end of the file', { offset: dataOffset + read });
    text += new TextDecoder('latin1').decode(b);
    read += BLOCK;
  }
  const nums = lines.slice(1).map((l, i) => decimal(l) ?? bad(`entry ${i} "${l.slice(0, 32)}" is not a number`, dataOffset));
  return { raw: pairs(nums, dataOffset), storedOffset: dataOffset + read };
}

/** Old GNU slots: `count` (offset, numbytes) pairs of 12-byte fields from `at`. tarfile stops at the first unreadable one. */
export function gnuSlots(b: Uint8Array, at: number, count: number, keepZeroOffset: boolean): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < count; i++) {
    const offset = nti(b, at + i * 24, 12);
    const length = nti(b, at + i * 24 + 12, 12);
    if (offset === undefined || length === undefined) break;
    // extension blocks keep a slot only when both numbers are non-zero (tarfile's `if offset and numbytes`)
    if (keepZeroOffset || (offset && length)) out.push({ offset, length });
  }
  return out;
}
