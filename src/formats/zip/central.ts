/**
 * ZIP end-of-central-directory and central directory, read the way PyTorch's miniz reader reads them:
 * find the EOCD by scanning back from the end, follow a ZIP64 locator when present, and trust the
 * central directory for names, sizes and methods. CRCs and general-purpose flags are recorded, never
 * enforced. Every count and length is bounded.
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
  /** EOCD declared more entries than we read (limit) */
  declaredEntries: number;
}

export interface CentralLimits {
  maxEntries: number;
  maxCentralBytes: number;
}

const EOCD_SIG = 0x06054b50;
const LOC64_SIG = 0x07064b50;
const EOCD64_SIG = 0x06064b50;
const CEN_SIG = 0x02014b50;
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
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === EOCD_SIG) return r.size - span + i;
  }
  return -1;
}

async function readZip64(r: RandomAccessReader, eocd: number): Promise<{ entries: number; cdSize: number; cdOffset: number } | undefined> {
  if (eocd < 20) return undefined;
  const loc = await r.read(eocd - 20, 20);
  if (u32(loc, 0) !== LOC64_SIG) return undefined;
  const at = u64(loc, 8);
  const rec = await r.read(at, 56);
  if (rec.length < 56 || u32(rec, 0) !== EOCD64_SIG) fail('ZIP64 end-of-central-directory record missing', at);
  return { entries: u64(rec, 32), cdSize: u64(rec, 40), cdOffset: u64(rec, 48) };
}

function decodeName(raw: Uint8Array): { name: string; lossy: boolean } {
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

function parseEntries(cd: Uint8Array, base: number, count: number, lim: CentralLimits): CentralEntry[] {
  const entries: CentralEntry[] = [];
  let p = 0;
  for (let i = 0; i < count && entries.length < lim.maxEntries; i++) {
    if (p + 46 > cd.length) fail(`central directory ends inside entry ${i}`, base + p, 'TRUNCATED');
    if (u32(cd, p) !== CEN_SIG) fail(`bad central directory signature at entry ${i}`, base + p);
    const nlen = u16(cd, p + 28);
    const xlen = u16(cd, p + 30);
    const clen = u16(cd, p + 32);
    if (p + 46 + nlen + xlen + clen > cd.length) fail(`central directory entry ${i} overruns the directory`, base + p, 'TRUNCATED');
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
  return entries;
}

/** Read the central directory. Throws MlvetError (PARSE_ERROR, TRUNCATED, LIMIT_EXCEEDED). */
export async function readCentralDirectory(r: RandomAccessReader, lim: CentralLimits): Promise<CentralDirectory> {
  const eocd = await findEocd(r);
  if (eocd < 0) fail('no end-of-central-directory record (truncated or not a ZIP)', r.size, 'TRUNCATED');
  const rec = await r.read(eocd, 22);
  let entries = u16(rec, 10);
  let cdSize = u32(rec, 12);
  let cdOffset = u32(rec, 16);
  const z64 = await readZip64(r, eocd);
  if (z64) ({ entries, cdSize, cdOffset } = z64);
  if (cdSize > lim.maxCentralBytes) fail(`central directory of ${cdSize} bytes exceeds the limit`, eocd, 'LIMIT_EXCEEDED');
  const cdEnd = z64 ? eocd - 20 - 56 : eocd;
  let shift = 0;
  const sig = await r.read(cdOffset, 4);
  if (entries > 0 && (sig.length < 4 || u32(sig, 0) !== CEN_SIG)) {
    // miniz trusts the declared offset; zipfile shifts by prepended bytes. Read what zipfile reads and say so.
    shift = cdEnd - cdSize - cdOffset;
    const alt = shift > 0 ? await r.read(cdOffset + shift, 4) : new Uint8Array(0);
    if (alt.length < 4 || u32(alt, 0) !== CEN_SIG) fail('central directory not found at its declared offset', cdOffset, 'TRUNCATED');
  }
  const cd = await r.read(cdOffset + shift, cdSize);
  if (cd.length < cdSize) fail('central directory runs past the end of the file', cdOffset + shift, 'TRUNCATED');
  const parsed = parseEntries(cd, cdOffset + shift, entries, lim);
  if (shift) for (const e of parsed) e.localOffset += shift;
  return { entries: parsed, cdOffset, cdSize, eocdOffset: eocd, zip64: z64 !== undefined, shift, declaredEntries: entries };
}
