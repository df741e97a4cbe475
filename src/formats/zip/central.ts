/**
 * ZIP end-of-central-directory and central directory, read the way PyTorch's miniz reader reads them:
 * find the EOCD by scanning back from the end, follow a ZIP64 locator when present, and trust the
 * central directory for names, sizes and methods. CRCs and general-purpose flags are recorded, never
 * enforced. Every count and length is bounded. How the pieces are checked against each other, and
 * what happens when they lie, is in directory.ts.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';

export interface CentralEntry {
  /** index in central-directory order */
  index: number;
  name: string;
  /** raw name bytes were not valid UTF-8 (read as latin-1) */
  nameLossy: boolean;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
  externalAttrs: number;
  /** made-by host (upper byte of version made by): 3 = Unix */
  hostSystem: number;
}

export interface CentralDirectory {
  entries: CentralEntry[];
  /** offset of the central directory as the EOCD declares it */
  cdOffset: number;
  cdSize: number;
  eocdOffset: number;
  zip64: boolean;
  /** bytes prepended before the archive, when offsets only make sense shifted (self-extractor style) */
  shift: number;
  /** entries the EOCD declares */
  declaredEntries: number;
  /**
   * Why the directory could not be read as declared (a count or length lie, a missing EOCD). The
   * entries before the problem are still returned: the scanner scans them, then reports this.
   */
  problem?: CentralProblem;
  /** no usable central directory: entries come from walking local headers (see salvage.ts) */
  salvaged: boolean;
}

export interface CentralProblem {
  code: 'PARSE_ERROR' | 'TRUNCATED' | 'LIMIT_EXCEEDED';
  message: string;
  offset: number;
}

export interface CentralLimits {
  maxEntries: number;
  maxCentralBytes: number;
}

// the end-of-central-directory signature, 0x06054b50 little-endian
const EOCD_BYTES = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const LOC64_SIG = 0x07064b50;
const EOCD64_SIG = 0x06064b50;
export const CEN_SIG = 0x02014b50;
const MAX_COMMENT = 0xffff;

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
const u64 = (b: Uint8Array, o: number): number => u32(b, o) + u32(b, o + 4) * 0x100000000;

export const le = { u16, u32, u64 };

function fail(msg: string, offset: number, code: 'PARSE_ERROR' | 'TRUNCATED' | 'LIMIT_EXCEEDED' = 'PARSE_ERROR'): never {
  throw new MlvetError(code, msg, { offset });
}

/** Offset of the last EOCD record, or -1. */
export async function findEocd(r: RandomAccessReader): Promise<number> {
  const span = Math.min(r.size, 22 + MAX_COMMENT);
  const tail = await r.read(r.size - span, span);
  // Buffer's native search, not a word read at every offset: this runs on every pickle (zip-tail),
  // and the byte loop was a sixth of a 2,000-small-pickle scan
  if (tail.length < 22) return -1;
  const i = Buffer.from(tail.buffer, tail.byteOffset, tail.length).lastIndexOf(EOCD_BYTES, tail.length - 22);
  return i < 0 ? -1 : r.size - span + i;
}

export async function readZip64(r: RandomAccessReader, eocd: number): Promise<{ entries: number; cdSize: number; cdOffset: number } | undefined> {
  if (eocd < 20) return undefined;
  const loc = await r.read(eocd - 20, 20);
  if (u32(loc, 0) !== LOC64_SIG) return undefined;
  const at = u64(loc, 8);
  const rec = await r.read(at, 56);
  if (rec.length < 56 || u32(rec, 0) !== EOCD64_SIG) fail('ZIP64 end-of-central-directory record missing', Math.min(at, eocd - 20));
  return { entries: u64(rec, 32), cdSize: u64(rec, 40), cdOffset: u64(rec, 48) };
}

export function decodeName(raw: Uint8Array): { name: string; lossy: boolean } {
  try {
    return { name: new TextDecoder('utf-8', { fatal: true }).decode(raw), lossy: false };
  } catch {
    return { name: new TextDecoder('latin1').decode(raw), lossy: true };
  }
}

/** Apply a ZIP64 extra field (id 1) to the fields that were saturated at 0xFFFFFFFF. */
function applyZip64Extra(e: CentralEntry, extra: Uint8Array): void {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = u16(extra, p);
    const len = u16(extra, p + 2);
    if (id === 1) {
      let q = p + 4;
      const end = Math.min(extra.length, q + len);
      if (e.uncompressedSize === 0xffffffff && q + 8 <= end) {
        e.uncompressedSize = u64(extra, q);
        q += 8;
      }
      if (e.compressedSize === 0xffffffff && q + 8 <= end) {
        e.compressedSize = u64(extra, q);
        q += 8;
      }
      if (e.localOffset === 0xffffffff && q + 8 <= end) e.localOffset = u64(extra, q);
      return;
    }
    p += 4 + len;
  }
}


export interface ParsedEntries {
  entries: CentralEntry[];
  /** bytes of the directory the entries took */
  end: number;
  /** an entry that could not be read; the entries before it stand */
  stop?: CentralProblem;
}

/**
 * Entries while the bytes hold central-directory records, up to `maxEntries`. The count is not the loop
 * bound: zipfile reads by size, miniz by count, and the caller compares both with what was found.
 */
export function parseEntries(cd: Uint8Array, base: number, lim: CentralLimits): ParsedEntries {
  const entries: CentralEntry[] = [];
  let p = 0;
  const stop = (code: CentralProblem['code'], message: string): ParsedEntries => ({ entries, end: p, stop: { code, message, offset: base + p } });
  for (let i = 0; p + 4 <= cd.length && u32(cd, p) === CEN_SIG; i++) {
    if (entries.length >= lim.maxEntries) return stop('LIMIT_EXCEEDED', `more than ${lim.maxEntries} central directory entries`);
    if (p + 46 > cd.length) return stop('TRUNCATED', `central directory ends inside entry ${i}`);
    const nlen = u16(cd, p + 28);
    const xlen = u16(cd, p + 30);
    const clen = u16(cd, p + 32);
    if (p + 46 + nlen + xlen + clen > cd.length) return stop('TRUNCATED', `central directory entry ${i} overruns the directory`);
    const { name, lossy } = decodeName(cd.subarray(p + 46, p + 46 + nlen));
    const e: CentralEntry = {
      index: i,
      name,
      nameLossy: lossy,
      flags: u16(cd, p + 8),
      method: u16(cd, p + 10),
      crc32: u32(cd, p + 16),
      compressedSize: u32(cd, p + 20),
      uncompressedSize: u32(cd, p + 24),
      localOffset: u32(cd, p + 42),
      externalAttrs: u32(cd, p + 38),
      hostSystem: cd[p + 5]!,
    };
    applyZip64Extra(e, cd.subarray(p + 46 + nlen, p + 46 + nlen + xlen));
    entries.push(e);
    p += 46 + nlen + xlen + clen;
  }
  return { entries, end: p };
}
