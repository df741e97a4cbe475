/**
 * A lenient ZIP reader: central directory first, local headers only to locate data, stored, deflated,
 * bzip2 and LZMA members streamed with budgets. Python's zipfile reads bzip2 and LZMA (joblib and pickle
 * users unzip with it), PyTorch's miniz does not; other methods are reported as unsupported.
 */
import { crc32 } from 'node:zlib';
import type { RandomAccessReader } from '../../artifact/types.js';
import type { MlvetErrorCode } from '../../errors.js';
import { decompress, type DecompressLimits, type DecompressResult } from '../compress/decompress.js';
import { SliceReader } from '../compress/readers.js';
import { parseProps } from '../compress/lzma.js';
import type { CentralDirectory, CentralEntry, CentralLimits } from './central.js';
import { readCentralDirectory, type DirectoryOptions } from './directory.js';
import { resolveMembers, type Member, type ZipAnomaly } from './local.js';
import { planMembers, type NeedOf } from './plan.js';
import { prefetch } from '../../artifact/read-plan.js';

export type { CentralEntry, CentralProblem } from './central.js';
export type { DataNeed, NeedOf } from './plan.js';
export type { Member, ZipAnomaly } from './local.js';
export { flagBits } from './local.js';

/** zipfile reads these, PyTorch's miniz (stored and deflate only) does not */
export const ZIPFILE_ONLY_METHODS: ReadonlySet<number> = new Set([12, 14]);

export const METHOD_NAMES: Readonly<Record<number, string>> = { 0: 'stored', 8: 'deflate', 9: 'deflate64', 12: 'bzip2', 14: 'lzma', 93: 'zstd', 99: 'aes' };

export interface ZipArchive {
  cd: CentralDirectory;
  members: Member[];
  anomalies: ZipAnomaly[];
}

/**
 * Open an archive; a count or offset lie comes back as `cd.problem` beside the members that were read.
 * `plan` says, from the central directory, what the caller will read of each member: those bytes and
 * every local header are fetched in one go before the members are resolved (plan.ts).
 */
export async function openZip(r: RandomAccessReader, lim: CentralLimits, opts?: DirectoryOptions, plan?: (entries: readonly CentralEntry[]) => NeedOf): Promise<ZipArchive> {
  const cd = await readCentralDirectory(r, lim, opts);
  await prefetch(r, planMembers(cd.entries, plan ? plan(cd.entries) : () => undefined));
  const { members, anomalies } = await resolveMembers(r, cd);
  return { cd, members, anomalies };
}

export interface MemberData {
  reader: RandomAccessReader;
  error?: { code: MlvetErrorCode; message: string };
  /** the inflate result, for deflated members: which budget stopped it and after how many bytes */
  inflated?: DecompressResult;
}

/** A reader over a member's uncompressed bytes. Stored members are a window onto the file. */
export async function memberReader(r: RandomAccessReader, m: Member, lim: DecompressLimits): Promise<MemberData> {
  if (m.broken) return { reader: new SliceReader(r, 0, 0), error: { code: 'PARSE_ERROR', message: m.broken } };
  const avail = Math.max(0, Math.min(m.compressedSize, r.size - m.dataOffset));
  const truncated = avail < m.compressedSize ? { code: 'TRUNCATED' as const, message: `member data ends ${m.compressedSize - avail} bytes past EOF` } : undefined;
  if (m.method === 0) {
    return { reader: new SliceReader(r, m.dataOffset, avail), ...(truncated ? { error: truncated } : {}) };
  }
  const codec = m.method === 8 ? 'deflate-raw' : m.method === 12 ? 'bzip2' : undefined;
  if (codec) {
    const d = await decompress(r, m.dataOffset, avail, codec, lim);
    const error = d.error ?? truncated;
    return { reader: d.reader, inflated: d, ...(error ? { error } : {}) };
  }
  if (m.method === 14) return lzmaMember(r, m, avail, lim, truncated);
  const name = METHOD_NAMES[m.method] ?? `method ${m.method}`;
  return { reader: new SliceReader(r, 0, 0), error: { code: 'UNSUPPORTED', message: `compression ${name} is not supported (PyTorch cannot read it either)` } };
}

/**
 * ZIP LZMA (APPNOTE 5.8): 2-byte SDK version, 2-byte properties size (5), the properties, then raw
 * LZMA1. General-purpose bit 1 says an end marker ends it; otherwise the directory's size does.
 */
async function lzmaMember(r: RandomAccessReader, m: Member, avail: number, lim: DecompressLimits, truncated: MemberData['error']): Promise<MemberData> {
  const empty = new SliceReader(r, 0, 0);
  const head = await r.read(m.dataOffset, Math.min(avail, 9));
  if (head.length < 4) return { reader: empty, error: { code: 'TRUNCATED', message: `LZMA header truncated at offset ${m.dataOffset}` } };
  const propsSize = head[2]! | (head[3]! << 8);
  if (propsSize !== 5) return { reader: empty, error: { code: 'PARSE_ERROR', message: `LZMA properties size ${propsSize} (not 5) at offset ${m.dataOffset + 2}` } };
  const props = parseProps(head, 4, m.dataOffset + 4);
  if ('code' in props) return { reader: empty, error: props };
  const base = m.dataOffset + 9;
  const d = await decompress(r, base, Math.max(0, avail - 9), 'lzma', lim, { props, eos: (m.flags & 2) !== 0, size: m.uncompressedSize, base });
  const error = d.error ?? truncated;
  return { reader: d.reader, inflated: d, ...(error ? { error } : {}) };
}

/** CRC-32 of a whole reader, streamed. */
export async function crcOf(r: RandomAccessReader, deadline: number): Promise<number | undefined> {
  const buf = new Uint8Array(1 << 20);
  let crc = 0;
  for (let o = 0; o < r.size; ) {
    const n = await r.readInto(buf, 0, Math.min(buf.length, r.size - o), o);
    if (n === 0) break;
    crc = crc32(buf.subarray(0, n), crc);
    o += n;
    if (Date.now() > deadline) return undefined;
  }
  return crc >>> 0;
}
