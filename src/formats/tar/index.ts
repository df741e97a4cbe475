/**
 * A streaming tar reader (v7, ustar, GNU long names, PAX): headers are read one 512-byte block at a
 * time and data is handed out as windows onto the file, so a tar of any size costs its headers.
 * Lenient like Python's tarfile in what it accepts (it never checks checksums strictly), strict in
 * bounds: names, PAX records and entry counts are capped.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'other';

export interface TarEntry {
  name: string;
  type: TarEntryType;
  /** raw typeflag character */
  typeflag: string;
  linkname: string;
  size: number;
  /** absolute offset of the data */
  dataOffset: number;
  /** header offset */
  offset: number;
}

export interface TarLimits {
  maxEntries: number;
  /** longest GNU long name / PAX header block we read */
  maxMetaBytes: number;
}

const BLOCK = 512;
const TYPES: Record<string, TarEntryType> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo',
};

function cstr(b: Uint8Array, at: number, len: number): string {
  const s = b.subarray(at, at + len);
  const z = s.indexOf(0);
  return new TextDecoder('utf-8').decode(z >= 0 ? s.subarray(0, z) : s);
}

/** Octal, or GNU base-256 (high bit of the first byte set). */
function num(b: Uint8Array, at: number, len: number): number {
  if ((b[at]! & 0x80) !== 0) {
    let v = b[at]! & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + b[at + i]!;
    return v;
  }
  const s = cstr(b, at, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function parsePax(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const text = new TextDecoder('utf-8').decode(data);
  let p = 0;
  while (p < text.length) {
    const sp = text.indexOf(' ', p);
    const len = parseInt(text.slice(p, sp), 10);
    if (sp < 0 || !Number.isFinite(len) || len <= 0) break;
    const rec = text.slice(sp + 1, p + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    p += len;
  }
  return out;
}

function isZeroBlock(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

/** Iterate entries. Throws MlvetError on a corrupt header or a budget overrun. */
export async function* readTar(r: RandomAccessReader, lim: TarLimits): AsyncGenerator<TarEntry> {
  let pos = 0;
  let count = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  const global = new Map<string, string>();
  while (pos + BLOCK <= r.size) {
    const h = await r.read(pos, BLOCK);
    if (isZeroBlock(h)) return;
    const size = num(h, 124, 12);
    if (!Number.isFinite(size) || size < 0) throw new MlvetError('PARSE_ERROR', 'tar header has an invalid size field', { offset: pos });
    const typeflag = String.fromCharCode(h[156]!);
    const dataOffset = pos + BLOCK;
    const next = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    if (typeflag === 'L' || typeflag === 'K' || typeflag === 'x' || typeflag === 'g') {
      if (size > lim.maxMetaBytes) throw new MlvetError('LIMIT_EXCEEDED', `tar metadata block of ${size} bytes`, { offset: pos });
      const data = await r.read(dataOffset, size);
      if (data.length < size) throw new MlvetError('TRUNCATED', 'tar metadata block runs past the end of the file', { offset: pos });
      if (typeflag === 'L') longName = cstr(data, 0, data.length);
      else if (typeflag === 'K') longLink = cstr(data, 0, data.length);
      else if (typeflag === 'x') pax = parsePax(data);
      else for (const [k, v] of parsePax(data)) global.set(k, v);
      pos = next;
      continue;
    }
    if (++count > lim.maxEntries) throw new MlvetError('LIMIT_EXCEEDED', `more than ${lim.maxEntries} tar entries`, { offset: pos });
    const prefix = h[257] === 0x75 ? cstr(h, 345, 155) : '';
    const base = cstr(h, 0, 100);
    const name = pax.get('path') ?? global.get('path') ?? longName ?? (prefix ? `${prefix}/${base}` : base);
    const linkname = pax.get('linkpath') ?? longLink ?? cstr(h, 157, 100);
    const paxSize = pax.get('size');
    const realSize = paxSize !== undefined && /^\d+$/.test(paxSize) ? Number(paxSize) : size;
    yield { name, type: TYPES[typeflag] ?? 'other', typeflag, linkname, size: realSize, dataOffset, offset: pos };
    pos = dataOffset + Math.ceil(realSize / BLOCK) * BLOCK;
    longName = longLink = undefined;
    pax = new Map();
  }
  if (pos < r.size && pos + BLOCK > r.size) throw new MlvetError('TRUNCATED', 'tar ends inside a header block', { offset: pos });
}
