/**
 * tar header fields and PAX records, decoded the way Python's tarfile decodes them (`nts`, `nti`,
 * `_proc_pax`), because tarfile is what extracts a tar checkpoint and so decides what its bytes are.
 */

export const BLOCK = 512;

export const blocks = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;

export function cstr(b: Uint8Array, at: number, len: number): string {
  const s = b.subarray(at, at + len);
  const z = s.indexOf(0);
  return new TextDecoder('utf-8').decode(z >= 0 ? s.subarray(0, z) : s);
}

/** Octal, or GNU base-256 (first byte 0x80, or 0xff for negative): tarfile's `nti`. Undefined where tarfile raises. */
export function nti(b: Uint8Array, at: number, len: number): number | undefined {
  const first = b[at]!;
  if (first === 0x80 || first === 0xff) {
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + b[at + i]!;
    return first === 0xff ? v - 256 ** (len - 1) : v;
  }
  const s = cstr(b, at, len).trim();
  if (s === '') return 0;
  return /^[0-7]+$/.test(s) ? parseInt(s, 8) : undefined;
}

/** The header's numeric fields, lenient like mlvet always was: any high bit means base-256. */
export function num(b: Uint8Array, at: number, len: number): number {
  if ((b[at]! & 0x80) !== 0) {
    let v = b[at]! & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + b[at + i]!;
    return v;
  }
  const s = cstr(b, at, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/** A decimal as Python's int() reads one (surrounding blanks, an optional +); undefined where int() raises. */
export function decimal(s: string): number | undefined {
  const t = s.trim();
  return /^\+?\d+$/.test(t) ? Number(t) : undefined;
}

export type PaxRecord = readonly [key: string, value: string];

/** PAX records in order, duplicates kept (GNU sparse 0.0 repeats `GNU.sparse.offset` / `numbytes`). Lengths count bytes. */
export function paxRecords(data: Uint8Array): PaxRecord[] {
  const out: PaxRecord[] = [];
  const dec = new TextDecoder('utf-8');
  let p = 0;
  while (p < data.length) {
    const sp = data.indexOf(0x20, p);
    const len = sp < 0 ? NaN : decimal(dec.decode(data.subarray(p, sp)));
    if (len === undefined || !Number.isFinite(len) || len <= 0 || p + len > data.length) break;
    const rec = dec.decode(data.subarray(sp + 1, p + len - 1));
    const eq = rec.indexOf('=');
    if (eq > 0) out.push([rec.slice(0, eq), rec.slice(eq + 1)]);
    p += len;
  }
  return out;
}

/** Last value wins, as in tarfile's dict. */
export const paxMap = (records: readonly PaxRecord[]): Map<string, string> => new Map(records);
