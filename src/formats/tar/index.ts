/**
 * A streaming tar reader (v7, ustar, GNU long names, PAX, GNU sparse in all four encodings): headers
 * are read one 512-byte block at a time and data is handed out as windows onto the file, so a tar of
 * any size costs its headers. Lenient like Python's tarfile in what it accepts (it never checks
 * checksums strictly), strict in bounds: names, PAX records, sparse maps and entry counts are capped.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';
import { BLOCK, blocks, cstr, decimal, nti, num, paxRecords, type PaxRecord } from './fields.js';
import { gnuSlots, isPax10, MAX_SEGMENTS, normalise, paxMap, readMap10, type Segment, type SparseFormat, type SparseMap } from './sparse.js';

export { SparseReader } from './sparse-reader.js';
export type { SparseMap } from './sparse.js';

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'other';

export interface TarEntry {
  name: string;
  type: TarEntryType;
  /** raw typeflag character */
  typeflag: string;
  linkname: string;
  /** size of the member as extracted (a sparse member's real size) */
  size: number;
  /** absolute offset of the data */
  dataOffset: number;
  /** header offset */
  offset: number;
  /** GNU sparse member: the stored segments; read it through SparseReader */
  sparse?: SparseMap;
  /** the sparse map could not be read; the member's content is unknown */
  sparseError?: MlvetError;
}

export interface TarLimits {
  maxEntries: number;
  /** longest GNU long name / PAX header block we read */
  maxMetaBytes: number;
}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file', '\0': 'file', '7': 'file', S: 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo',
};

function isZeroBlock(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

/** tarfile's `_apply_pax_info`: keys in first-seen order, last value wins; `size` also moves the next header. */
function applyPax(records: readonly PaxRecord[], at: number): { name?: string; size?: number; sizeKey: boolean } {
  let name: string | undefined;
  let size: number | undefined;
  for (const [k, v] of new Map(records)) {
    if (k === 'GNU.sparse.name') name = v;
    else if (k === 'path') name = v.replace(/\/+$/, '');
    else if (k === 'size') size = decimal(v) ?? 0;
    else if (k === 'GNU.sparse.size' || k === 'GNU.sparse.realsize') {
      size = decimal(v) ?? (() => { throw new MlvetError('PARSE_ERROR', `${k} "${v.slice(0, 32)}" is not a number`, { offset: at }); })();
    }
  }
  return { ...(name !== undefined ? { name } : {}), ...(size !== undefined ? { size } : {}), sizeKey: records.some(([k]) => k === 'size') };
}

/** Old GNU `S`: header slots, then extension blocks while byte 482 (then 504) says so. Returns the slots and where data starts. */
async function oldGnu(r: RandomAccessReader, h: Uint8Array, pos: number): Promise<{ raw: Segment[]; storedOffset: number; realSize: number }> {
  const raw = gnuSlots(h, 386, 4, true);
  let more = h[482] !== 0;
  let at = pos + BLOCK;
  while (more) {
    if (raw.length > MAX_SEGMENTS) throw new MlvetError('LIMIT_EXCEEDED', `sparse map of more than ${MAX_SEGMENTS} segments`, { offset: at });
    const ext = await r.read(at, BLOCK);
    if (ext.length < BLOCK) throw new MlvetError('TRUNCATED', 'sparse extension header runs past the end of the file', { offset: at });
    raw.push(...gnuSlots(ext, 0, 21, false));
    more = ext[504] !== 0;
    at += BLOCK;
  }
  const realSize = nti(h, 483, 12);
  if (realSize === undefined || realSize < 0) throw new MlvetError('PARSE_ERROR', 'sparse header has an invalid real size', { offset: pos });
  return { raw, storedOffset: at, realSize };
}

interface Placed {
  size: number;
  dataOffset: number;
  next: number;
  sparse?: SparseMap;
}

/** Where a member's bytes are and where the next header is, for plain and sparse members alike. */
async function place(r: RandomAccessReader, h: Uint8Array, pos: number, typeflag: string, pax: readonly PaxRecord[]): Promise<Placed> {
  const stored = num(h, 124, 12);
  const dataOffset = pos + BLOCK;
  const applied = applyPax(pax, pos);
  const size = applied.size ?? stored;
  let sparse: { format: SparseFormat; raw: Segment[]; storedOffset: number; realSize: number } | undefined;
  if (typeflag === 'S') sparse = { format: 'gnu-old', ...(await oldGnu(r, h, pos)) };
  else {
    const m = paxMap(pax, pos);
    if (m) sparse = { ...m, storedOffset: dataOffset, realSize: size };
    else if (isPax10(pax)) sparse = { format: 'pax-1.0', ...(await readMap10(r, dataOffset, stored)), realSize: size };
  }
  if (!sparse) return { size, dataOffset, next: dataOffset + blocks(applied.sizeKey ? size : stored) };
  const map = normalise(sparse.format, sparse.raw, sparse.realSize, sparse.storedOffset, pos);
  // tarfile: old GNU data follows the extension blocks; for PAX a `size` record moves the next header
  // to after the (post-map) data, otherwise the header's size, counted from the header, does
  let next: number;
  if (typeflag === 'S') next = sparse.storedOffset + blocks(stored);
  else next = applied.sizeKey ? sparse.storedOffset + blocks(size) : dataOffset + blocks(stored);
  return { size: sparse.realSize, dataOffset: sparse.storedOffset, next, sparse: map };
}

/** Iterate entries. Throws MlvetError on a corrupt header or a budget overrun. */
export async function* readTar(r: RandomAccessReader, lim: TarLimits): AsyncGenerator<TarEntry> {
  let pos = 0;
  let count = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: PaxRecord[] = [];
  const global = new Map<string, string>();
  while (pos + BLOCK <= r.size) {
    const h = await r.read(pos, BLOCK);
    if (isZeroBlock(h)) return;
    const size = num(h, 124, 12);
    if (!Number.isFinite(size) || size < 0) throw new MlvetError('PARSE_ERROR', 'tar header has an invalid size field', { offset: pos });
    const typeflag = String.fromCharCode(h[156]!);
    const dataOffset = pos + BLOCK;
    if (typeflag === 'L' || typeflag === 'K' || typeflag === 'x' || typeflag === 'g') {
      if (size > lim.maxMetaBytes) throw new MlvetError('LIMIT_EXCEEDED', `tar metadata block of ${size} bytes`, { offset: pos });
      const data = await r.read(dataOffset, size);
      if (data.length < size) throw new MlvetError('TRUNCATED', 'tar metadata block runs past the end of the file', { offset: pos });
      if (typeflag === 'L') longName = cstr(data, 0, data.length);
      else if (typeflag === 'K') longLink = cstr(data, 0, data.length);
      else if (typeflag === 'x') pax = paxRecords(data);
      else for (const [k, v] of paxRecords(data)) global.set(k, v);
      pos = dataOffset + blocks(size);
      continue;
    }
    if (++count > lim.maxEntries) throw new MlvetError('LIMIT_EXCEEDED', `more than ${lim.maxEntries} tar entries`, { offset: pos });
    const prefix = h[257] === 0x75 ? cstr(h, 345, 155) : '';
    const base = cstr(h, 0, 100);
    const name = applyPax(pax, pos).name ?? global.get('path') ?? longName ?? (prefix ? `${prefix}/${base}` : base);
    const linkname = new Map(pax).get('linkpath') ?? longLink ?? cstr(h, 157, 100);
    const entry = { name, type: TYPES[typeflag] ?? 'other', typeflag, linkname, offset: pos };
    let placed: Placed;
    try {
      placed = await place(r, h, pos, typeflag, pax);
      yield { ...entry, size: placed.size, dataOffset: placed.dataOffset, ...(placed.sparse ? { sparse: placed.sparse } : {}) };
    } catch (e) {
      if (!(e instanceof MlvetError)) throw e;
      // the member is unreadable, but its header still says where the next one is
      placed = { size, dataOffset, next: dataOffset + blocks(size) };
      yield { ...entry, size, dataOffset, sparseError: e };
    }
    pos = placed.next;
    longName = longLink = undefined;
    pax = [];
  }
  if (pos < r.size && pos + BLOCK > r.size) throw new MlvetError('TRUNCATED', 'tar ends inside a header block', { offset: pos });
}
