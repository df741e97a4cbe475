/**
 * Reading and writing the state file and journal lines. Anything that is not exactly ours (another
 * tool's JSON, another target's state, a newer format, a line cut in the middle of the file) is
 * STATE_INVALID naming the file and line: a silent full rescan would look like success.
 */
import { MlvetError } from '../errors.js';
import { JOURNAL_FORMAT, STATE_FORMAT, STATE_VERSION, type AuditState, type StateEntry } from './types.js';

/** JSON.parse's input is one string; past this the state should be sharded, not parsed */
export const STATE_MAX_BYTES = 512 * 1024 * 1024;

const VERDICTS = new Set(['clean', 'findings', 'inconclusive']);
const KINDS = new Set(['s3', 'local', 'hf']);

function bad(where: string, why: string, details: Record<string, unknown> = {}): MlvetError {
  return new MlvetError('STATE_INVALID', `${where}: ${why}`, { path: where, ...details });
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The format header both files carry: ours, and a version this mlvet reads. */
function checkHeader(v: Record<string, unknown>, format: string, where: string, details: Record<string, unknown>): void {
  if (v.format !== format) throw bad(where, `not an mlvet audit ${format === STATE_FORMAT ? 'state' : 'journal'} (format ${JSON.stringify(v.format ?? null)})`, details);
  if (typeof v.version !== 'number' || !Number.isInteger(v.version)) throw bad(where, 'no format version', details);
  if (v.version > STATE_VERSION) throw bad(where, `written by a newer mlvet (format version ${v.version}, this mlvet reads ${STATE_VERSION}); upgrade mlvet or use another --state`, details);
  if (v.version !== STATE_VERSION) throw bad(where, `unknown format version ${v.version}`, details);
}

export function checkEntry(e: unknown, where: string, path: string, details: Record<string, unknown> = {}): StateEntry {
  const d = { ...details, object: path };
  if (!isObj(e)) throw bad(where, `entry for ${path} is not an object`, d);
  if (!isObj(e.identity) || !KINDS.has(e.identity.kind as string)) throw bad(where, `entry for ${path} has no identity`, d);
  if (!VERDICTS.has(e.verdict as string)) throw bad(where, `entry for ${path} has no verdict`, d);
  if (!Array.isArray(e.findings) || !Array.isArray(e.inconclusive) || !Array.isArray(e.files)) throw bad(where, `entry for ${path} has no findings list`, d);
  if (typeof e.rulesDigest !== 'string' || typeof e.tool !== 'string') throw bad(where, `entry for ${path} names no rule set or tool version`, d);
  return e as unknown as StateEntry;
}

/** Parse a state file; `target` and `shard` must be the ones it was written for. */
export function parseState(bytes: Uint8Array, where: string, want: { target: string; shard: string | null }): AuditState {
  if (bytes.length > STATE_MAX_BYTES) throw bad(where, `state is ${bytes.length} bytes, more than ${STATE_MAX_BYTES}; split the audit with --shard`);
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw bad(where, `not JSON (${(e as Error).message})`);
  }
  if (!isObj(v)) throw bad(where, 'not a JSON object');
  checkHeader(v, STATE_FORMAT, where, {});
  if (v.target !== want.target) throw bad(where, `state of another target (${String(v.target)}), not ${want.target}`);
  if ((v.shard ?? null) !== want.shard) throw bad(where, `state of shard ${JSON.stringify(v.shard ?? null)}, not ${want.shard ?? 'none'}`);
  if (v.runAt !== null && typeof v.runAt !== 'string') throw bad(where, 'runAt is neither a time nor null');
  if (!isObj(v.objects)) throw bad(where, 'no objects');
  for (const [k, e] of Object.entries(v.objects)) checkEntry(e, where, k);
  if (v.pending !== undefined) {
    if (!isObj(v.pending) || !isObj(v.pending.objects) || typeof v.pending.startedAt !== 'string') throw bad(where, 'pending run is malformed');
    for (const [k, e] of Object.entries(v.pending.objects)) checkEntry(e, where, k);
  }
  return v as unknown as AuditState;
}

export function emptyState(target: string, shard: string | null): AuditState {
  return { format: STATE_FORMAT, version: STATE_VERSION, target, shard, runAt: null, objects: {} };
}

export function serializeState(s: AuditState): Buffer {
  return Buffer.from(JSON.stringify(s) + '\n');
}

export interface JournalLine {
  format: typeof JOURNAL_FORMAT;
  version: typeof STATE_VERSION;
  target: string;
  shard: string | null;
  path: string;
  entry: StateEntry;
}

export function journalLine(target: string, shard: string | null, path: string, entry: StateEntry): string {
  const line: JournalLine = { format: JOURNAL_FORMAT, version: STATE_VERSION, target, shard, path, entry };
  return JSON.stringify(line) + '\n';
}

export interface ParsedJournal {
  entries: Array<{ path: string; entry: StateEntry }>;
  /** a last line without its newline that does not parse: a run killed while writing it */
  torn?: { line: number; offset: number };
}

/**
 * Journal lines in order. Only the very last line may be cut short (a kill mid-write, no newline
 * after it); anything else that does not parse is corruption, named by line and byte offset.
 */
export function parseJournal(text: string, where: string, want: { target: string; shard: string | null }): ParsedJournal {
  const out: ParsedJournal = { entries: [] };
  let offset = 0;
  let n = 0;
  while (offset < text.length) {
    n++;
    const nl = text.indexOf('\n', offset);
    const raw = nl < 0 ? text.slice(offset) : text.slice(offset, nl);
    const details = { row: n, offset: Buffer.byteLength(text.slice(0, offset)) };
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      if (nl < 0) {
        out.torn = { line: n, offset: details.offset };
        break;
      }
      throw bad(where, `journal line ${n} (byte ${details.offset}) is not JSON`, details);
    }
    if (!isObj(v)) throw bad(where, `journal line ${n} is not an object`, details);
    checkHeader(v, JOURNAL_FORMAT, where, details);
    if (v.target !== want.target || (v.shard ?? null) !== want.shard) throw bad(where, `journal line ${n} is for ${JSON.stringify(v.target)} shard ${JSON.stringify(v.shard ?? null)}`, details);
    if (typeof v.path !== 'string') throw bad(where, `journal line ${n} names no object`, details);
    out.entries.push({ path: v.path, entry: checkEntry(v.entry, where, v.path, details) });
    offset = nl < 0 ? text.length : nl + 1;
  }
  return out;
}
