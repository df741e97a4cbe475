/**
 * The pickle scanner: runs the simulator over every pickle in a stream (several may be concatenated),
 * turns what it sees into neutral facts, rebuilds and scans nested payloads, and re-reads the stream
 * where loaders could disagree about it (frame straddling). A stream that breaks reports what it found
 * before the break plus an inconclusive entry.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { isMlvetError, type MlvetError, type MlvetErrorCode } from '../../errors.js';
import { HeldEvents } from '../../formats/pickle/data-only.js';
import { PickleMachine } from '../../formats/pickle/machine.js';
import type { Value } from '../../formats/pickle/values.js';
import { Window } from '../../formats/pickle/window.js';
import type { Location } from '../../model/facts.js';
import type { ScanContext, Scanner, ScanInput } from '../types.js';
import { StreamFacts } from './facts.js';
import { resync, scanLoaderPayload, scanProbes } from './nested.js';

/** The reader, not the bytes, failed: never mistaken for trailing data after the last STOP. */
const READ_FAILURES: ReadonlySet<MlvetErrorCode> = new Set<MlvetErrorCode>(['IO_ERROR', 'REMOTE_ERROR', 'AUTH', 'OFFLINE', 'NOT_FOUND']);

export const pickleScanner: Scanner = {
  id: 'pickle',
  formats: ['pickle'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    await scanPickleStream(input.reader, input.location, input.depth, ctx, { quiet: input.quiet, head: input.probe.head });
  },
};

export interface PickleStreamOptions {
  /** start offset in the reader */
  start?: number;
  /** stop after this many pickles (legacy PyTorch reads exactly 5 then raw storages) */
  maxStreams?: number;
  /** speculative scan: do not report parse errors */
  quiet?: boolean;
  /** the first bytes of the reader, already read by the dispatcher */
  head?: Uint8Array;
  /** keep each pickle's value in `results` (legacy PyTorch reads them); otherwise a pickle with no code opcode is only counted */
  results?: boolean;
}

export interface PickleStreamResult {
  /** offset just past the last complete pickle */
  end: number;
  streams: number;
  /** values returned by each complete pickle, with the `results` option (else unknown for a data-only one) */
  results: Value[];
  ok: boolean;
}

/** What each step of a stream scan reads. */
interface Stream {
  win: Window;
  facts: StreamFacts;
  loc: Location;
  depth: number;
  ctx: ScanContext;
  opts: PickleStreamOptions;
}

/** Scan one reader as a sequence of pickles. */
export async function scanPickleStream(
  reader: RandomAccessReader,
  loc: Location,
  depth: number,
  ctx: ScanContext,
  opts: PickleStreamOptions = {},
): Promise<PickleStreamResult> {
  const win = new Window(reader, undefined, undefined, (opts.start ?? 0) === 0 ? opts.head : undefined);
  const s: Stream = { win, facts: new StreamFacts(loc, ctx, opts.quiet ?? false), loc, depth, ctx, opts };
  const result = await runPickles(s);
  // where C and Python unpicklers read a straddling frame differently, read the other way too
  const importsOnly = s.facts.importsOnly();
  for (const [from, to] of s.facts.resyncs) await resync(win, from, to, importsOnly, ctx);
  await scanLoaderCalls(s);
  for (const f of s.facts.facts) ctx.emit(f);
  await scanProbes(s.facts.probes, win, loc, depth, ctx);
  return result;
}

/** Run the machine over each pickle in turn, until the reader ends, `maxStreams`, or a break. */
async function runPickles(s: Stream): Promise<PickleStreamResult> {
  const res: PickleStreamResult = { end: s.opts.start ?? 0, streams: 0, results: [], ok: true };
  const max = s.opts.maxStreams ?? Number.POSITIVE_INFINITY;
  while (res.end < s.win.size && res.streams < max) {
    let m: PickleMachine | undefined;
    try {
      const counted = s.opts.results ? undefined : await dataOnly(s, res.end, (dm) => (m = dm));
      if (counted !== undefined) {
        res.end = counted;
        res.streams++;
        res.results.push(NOT_KEPT);
        continue;
      }
      m = new PickleMachine(s.win, res.end, s.facts, { budgets: s.ctx.budgets, deadline: s.ctx.deadline });
      res.end = await m.run();
      res.streams++;
      res.results.push(m.result!);
    } catch (e) {
      if (!isMlvetError(e)) throw e;
      res.ok = pickleBroke(s, e, m?.opcodes ?? 0, res);
      break;
    }
  }
  return res;
}

const NOT_KEPT: Value = { t: 'unknown', why: 'a data-only pickle: values not kept' };

/**
 * The data-only pass (formats/pickle/data-only.ts) over the pickle at `start`: its end when it has no
 * code opcode, with its events (probes, frame divergences) reported; undefined when it has one, with
 * nothing reported, for the full machine to run. A broken data-only stream throws the full machine's
 * error, after its events (`seen` gets the machine, for its opcode count).
 */
async function dataOnly(s: Stream, start: number, seen: (m: PickleMachine) => void): Promise<number | undefined> {
  const held = new HeldEvents();
  const m = new PickleMachine(s.win, start, held, { budgets: s.ctx.budgets, deadline: s.ctx.deadline });
  seen(m);
  let end: number;
  try {
    end = await m.runDataOnly();
  } catch (e) {
    held.replay(s.facts);
    throw e;
  }
  if (end < 0) return undefined;
  held.replay(s.facts);
  return end;
}

/**
 * A pickle that did not reach STOP. Bytes after the last STOP that are not a pickle are trailing
 * data (pickle.load ignores them), so the stream is still ok; anything else is inconclusive.
 */
function pickleBroke(s: Stream, e: MlvetError, opcodes: number, res: PickleStreamResult): boolean {
  const pos = res.end;
  if (res.streams > 0 && opcodes <= 1 && s.opts.maxStreams === undefined && !READ_FAILURES.has(e.code)) {
    s.facts.facts.push({ kind: 'pickle.trailing-data', location: s.facts.at(pos), data: { length: s.win.size - pos, key: `trail@${pos}` } });
    return true;
  }
  if (!s.opts.quiet) {
    const { path, member } = s.loc;
    s.ctx.inconclusive({ path, member, offset: e.details.offset, code: e.code, message: e.message, scanner: 'pickle' });
  }
  return false;
}

/** Second-stage payloads handed to loaders; the loader's fact records whether its payload was scanned. */
async function scanLoaderCalls(s: Stream): Promise<void> {
  for (const { call, loader } of s.facts.loaderCalls) {
    const status = await scanLoaderPayload(call, loader, s.win, s.loc, s.depth, s.ctx);
    const fact = s.facts.globalFact(call.fn);
    if (fact && fact.data.nested !== 'opaque') fact.data.nested = status;
  }
}
