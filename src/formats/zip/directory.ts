/**
 * The central directory as a checklist: find the EOCD, follow ZIP64, find the directory, read its
 * entries, then compare what was found with what the EOCD declared. Every lie (a count, a size, an
 * offset, a comment length) becomes a problem next to the entries that were read, never instead of
 * them: the scanner scans those entries first and reports the problem after. With no usable directory
 * the entries come from walking local headers (salvage.ts), and the problem still stands.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { isMlvetError } from '../../errors.js';
import { CEN_SIG, findEocd, le, parseEntries, readZip64, type CentralDirectory, type CentralLimits, type CentralProblem } from './central.js';
import { walkLocalHeaders } from './salvage.js';

export interface DirectoryOptions {
  /** walk local headers when the directory is unusable (off for the speculative tail scan) */
  salvage: boolean;
}

interface Declared {
  entries: number;
  cdSize: number;
  cdOffset: number;
  /** where the directory must end: the EOCD, or the ZIP64 record before its locator */
  cdEnd: number;
  zip64: boolean;
}

async function declared(r: RandomAccessReader, eocd: number, problems: CentralProblem[]): Promise<Declared> {
  const rec = await r.read(eocd, 22);
  const comment = le.u16(rec, 20);
  // zipfile and miniz both take the last signature; a comment length that disagrees can hide a second EOCD
  if (eocd + 22 + comment !== r.size) {
    problems.push({ code: 'PARSE_ERROR', message: `EOCD comment length ${comment} disagrees with the ${r.size - eocd - 22} bytes after the record`, offset: eocd });
  }
  const base = { entries: le.u16(rec, 10), cdSize: le.u32(rec, 12), cdOffset: le.u32(rec, 16) };
  const z64 = await readZip64(r, eocd);
  return z64 ? { ...z64, cdEnd: eocd - 20 - 56, zip64: true } : { ...base, cdEnd: eocd, zip64: false };
}

/** miniz trusts the declared offset; zipfile shifts by prepended bytes. Returns the shift, or undefined. */
async function locate(r: RandomAccessReader, d: Declared): Promise<number | undefined> {
  const isCen = async (at: number): Promise<boolean> => {
    const sig = at >= 0 && at < r.size ? await r.read(at, 4) : new Uint8Array(0);
    return sig.length === 4 && le.u32(sig, 0) === CEN_SIG;
  };
  if (d.entries === 0 && d.cdSize === 0) return 0;
  if (await isCen(d.cdOffset)) return 0;
  const shift = d.cdEnd - d.cdSize - d.cdOffset;
  return shift > 0 && (await isCen(d.cdOffset + shift)) ? shift : undefined;
}

/** Old writers store the entry count modulo 65536 (or saturated) without a ZIP64 record; zipfile ignores it. */
const countAgrees = (d: Declared, found: number): boolean =>
  d.entries === found || (!d.zip64 && (d.entries === found % 0x10000 || (d.entries === 0xffff && found >= 0xffff)));

function compare(d: Declared, found: number, used: number, read: number, problems: CentralProblem[], at: number): void {
  if (used < d.cdSize) {
    const cut = read < d.cdSize;
    problems.push({ code: cut ? 'TRUNCATED' : 'PARSE_ERROR', message: cut ? `central directory is ${read} bytes, not the ${d.cdSize} declared` : `bad central directory signature at entry ${found}`, offset: at + used });
  } else if (found < d.entries && !countAgrees(d, found)) {
    problems.push({ code: 'TRUNCATED', message: `central directory ends inside entry ${found} (EOCD declares ${d.entries})`, offset: at + used });
  } else if (!countAgrees(d, found) || used !== d.cdSize) {
    problems.push({ code: 'PARSE_ERROR', message: `EOCD declares ${d.entries} entries in ${d.cdSize} bytes; the directory holds ${found} in ${used}`, offset: at });
  }
}

/** One inconclusive entry per archive: the first problem's code and offset, every message. */
const merge = (problems: CentralProblem[]): CentralProblem | undefined =>
  problems.length ? { ...problems[0]!, message: problems.map((p) => p.message).join('; ') } : undefined;

async function salvage(r: RandomAccessReader, lim: CentralLimits, opts: DirectoryOptions, eocd: number, problems: CentralProblem[]): Promise<CentralDirectory> {
  const base = { cdOffset: 0, cdSize: 0, eocdOffset: eocd, zip64: false, shift: 0, declaredEntries: 0, salvaged: true };
  const first = merge(problems)!;
  if (!opts.salvage) return { ...base, entries: [], problem: first, salvaged: false };
  const s = await walkLocalHeaders(r, lim);
  const stopped = s.stopped ? `; the walk stopped at ${s.end}: ${s.stopped}` : '';
  const problem = { ...first, message: `${first.message}; ${s.entries.length} member(s) found by walking local headers${stopped}` };
  return { ...base, entries: s.entries, problem };
}

/** Read the central directory; the problems found come back with it (`problem`), not as a throw. */
export async function readCentralDirectory(r: RandomAccessReader, lim: CentralLimits, opts: DirectoryOptions = { salvage: true }): Promise<CentralDirectory> {
  const problems: CentralProblem[] = [];
  const eocd = await findEocd(r);
  if (eocd < 0) return salvage(r, lim, opts, eocd, [{ code: 'TRUNCATED', message: 'no end-of-central-directory record (truncated or not a ZIP)', offset: r.size }]);
  let d: Declared;
  try {
    d = await declared(r, eocd, problems);
  } catch (e) {
    if (!isMlvetError(e)) throw e;
    return salvage(r, lim, opts, eocd, [...problems, { code: 'PARSE_ERROR', message: e.message, offset: e.details.offset ?? eocd }]);
  }
  const shift = await locate(r, d);
  if (shift === undefined) return salvage(r, lim, opts, eocd, [...problems, { code: 'TRUNCATED', message: 'central directory not found at its declared offset', offset: d.cdOffset }]);
  const at = d.cdOffset + shift;
  // read up to the EOCD, not just the declared size: a size that lies low must not hide entries after it
  const want = d.cdEnd > at ? d.cdEnd - at : d.cdSize;
  const over = Math.max(want, d.cdSize);
  if (over > lim.maxCentralBytes) problems.push({ code: 'LIMIT_EXCEEDED', message: `central directory of ${over} bytes exceeds the limit`, offset: eocd });
  const span = Math.min(lim.maxCentralBytes, want);
  const cd = await r.read(at, span);
  const parsed = parseEntries(cd, at, lim);
  if (parsed.stop) problems.push(parsed.stop);
  else compare(d, parsed.entries.length, parsed.end, cd.length, problems, at);
  if (parsed.entries.length === 0 && problems.length > 0) return salvage(r, lim, opts, eocd, problems);
  if (shift) for (const e of parsed.entries) e.localOffset += shift;
  const problem = merge(problems);
  return { entries: parsed.entries, cdOffset: d.cdOffset, cdSize: d.cdSize, eocdOffset: eocd, zip64: d.zip64, shift, declaredEntries: d.entries, salvaged: false, ...(problem ? { problem } : {}) };
}
