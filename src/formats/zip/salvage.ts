/**
 * Members found by walking local file headers from offset 0, for an archive whose end-of-central-directory
 * record is missing or unusable (`unzip -FF` and Python's zipfile recovery recipes do the same). The walk
 * trusts each local header's sizes only as far as the file goes, stops at the first byte that is not a
 * local header, and never follows a data-descriptor member whose size the header leaves open: guessing
 * where it ends could make the next "header" anything an attacker likes. The caller reports the archive
 * inconclusive whatever this finds.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { CEN_SIG, decodeName, le, type CentralEntry, type CentralLimits } from './central.js';

const LOC_SIG = 0x04034b50;
const HEADER = 30;

export interface Salvage {
  entries: CentralEntry[];
  /** why the walk stopped before the end of the file, if it did */
  stopped?: string;
  /** offset where the walk stopped */
  end: number;
}

function entryAt(h: Uint8Array, name: Uint8Array, index: number, offset: number): CentralEntry {
  const { name: text, lossy } = decodeName(name);
  return {
    index,
    name: text,
    nameLossy: lossy,
    flags: le.u16(h, 6),
    method: le.u16(h, 8),
    crc32: le.u32(h, 14),
    compressedSize: le.u32(h, 18),
    uncompressedSize: le.u32(h, 22),
    localOffset: offset,
    externalAttrs: 0,
    hostSystem: 0,
  };
}

/** Walk local headers from offset 0; at most `maxEntries`, every step moves forward and stays in the file. */
export async function walkLocalHeaders(r: RandomAccessReader, lim: CentralLimits): Promise<Salvage> {
  const entries: CentralEntry[] = [];
  let p = 0;
  while (p + HEADER <= r.size) {
    if (entries.length >= lim.maxEntries) return { entries, end: p, stopped: `more than ${lim.maxEntries} local headers` };
    const h = await r.read(p, HEADER);
    // the central directory (if any is left) ends the members; anything else is an unexplained stop
    if (le.u32(h, 0) === CEN_SIG) return { entries, end: p };
    if (le.u32(h, 0) !== LOC_SIG) break;
    const nlen = le.u16(h, 26);
    const xlen = le.u16(h, 28);
    const name = await r.read(p + HEADER, nlen);
    const e = entryAt(h, name, entries.length, p);
    const data = p + HEADER + nlen + xlen;
    if (name.length < nlen || data > r.size) return { entries, end: p, stopped: 'local header runs past the end of the file' };
    // ZIP64 sizes live in the extra field; a saturated size without one cannot be walked past
    if (e.compressedSize === 0xffffffff) return { entries: [...entries, { ...e, compressedSize: r.size - data }], end: p, stopped: 'ZIP64 local header' };
    entries.push(e);
    if (e.flags & 0x8 && e.compressedSize === 0) return { entries, end: p, stopped: 'member size is in a data descriptor' };
    p = data + e.compressedSize;
  }
  return p < r.size ? { entries, end: p, stopped: 'no local header' } : { entries, end: p };
}
