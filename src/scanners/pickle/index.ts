/**
 * The pickle scanner: runs the simulator over every pickle in a stream (several may be concatenated),
 * turns what it sees into neutral facts, rebuilds and scans nested payloads, and re-reads the stream
 * where loaders could disagree about it (frame straddling). A stream that breaks reports what it found
 * before the break plus an inconclusive entry.
 */
import { BufferReader } from '../../artifact/buffer-reader.js';
import { isMlvetError, type MlvetErrorCode } from '../../errors.js';
import type { RandomAccessReader } from '../../artifact/types.js';
import { PickleMachine, type CallValue, type MachineEvents } from '../../formats/pickle/machine.js';
import { aliasOf, dunderParts, effectiveName, readings } from '../../formats/pickle/names.js';
import { preview, qualName, type GlobalRef, type PayloadRef, type Value } from '../../formats/pickle/values.js';
import { Window } from '../../formats/pickle/window.js';
import type { Fact, Location } from '../../model/facts.js';
import type { ScanContext, Scanner, ScanInput } from '../types.js';
import { isNestedLoader } from './loaders.js';
import { materializeBytes } from './materialize.js';

const MAX_NESTED_PER_STREAM = 64;
const MAX_PROBES = 32;
const MAX_RESYNC = 8;
const RESYNC_SPAN = 4096;
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
}

export interface PickleStreamResult {
  /** offset just past the last complete pickle */
  end: number;
  streams: number;
  /** values returned by each complete pickle (for container formats that read them) */
  results: Value[];
  ok: boolean;
}

interface GlobalFactState {
  fact: Fact;
  count: number;
}

function member(loc: Location, suffix: string): string {
  return loc.member ? `${loc.member}!${suffix}` : suffix;
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
  const facts: Fact[] = [];
  const globals = new Map<string, GlobalFactState>();
  const loaderCalls: Array<{ call: CallValue; loader: string }> = [];
  const probes: Array<{ data: PayloadRef | Uint8Array; offset: number }> = [];
  const resyncs: Array<[number, number]> = [];
  const at = (offset: number): Location => ({ ...loc, offset });

  const ev: MachineEvents = {
    global(g: GlobalRef, proto: number) {
      const key = `${g.module}\u0000${g.name}`;
      const seen = globals.get(key);
      if (seen) {
        seen.count++;
        seen.fact.data.count = seen.count;
        return;
      }
      const rs = readings(g.module, g.name, proto);
      const loaderName = isNestedLoader(rs);
      const eff = effectiveName(g.module, g.name, proto);
      const canonical = { module: aliasOf(eff.module), name: eff.name };
      const fact: Fact = {
        kind: 'pickle.global',
        location: at(g.offset),
        data: {
          module: g.module,
          name: g.name,
          qualname: qualName(g),
          via: g.via,
          readings: rs,
          dunders: dunderParts(g.module, g.name),
          lastName: g.name.split('.').pop(),
          verb: 'imports',
          call: '',
          count: 1,
          key: qualName(g),
          ...(loaderName ? { nested: 'none' } : {}),
          canonicalModule: canonical.module,
          canonicalName: canonical.name,
        },
      };
      globals.set(key, { fact, count: 1 });
      facts.push(fact);
    },
    call(c: CallValue) {
      const fn = c.fn;
      if (fn.t === 'global') {
        const st = globals.get(`${fn.g.module}\u0000${fn.g.name}`);
        if (st && st.fact.data.verb !== 'calls') {
          st.fact.data.verb = 'calls';
          st.fact.data.call = `(${c.args.slice(0, 4).map((a) => preview(a)).join(', ')}${c.args.length > 4 ? ', …' : ''})`;
          st.fact.data.callOffset = c.offset;
          st.fact.data.callKind = c.kind;
        }
        const loader = isNestedLoader(readings(fn.g.module, fn.g.name, 4));
        if (loader && loaderCalls.length < MAX_NESTED_PER_STREAM) loaderCalls.push({ call: c, loader });
      } else if (fn.t !== 'module') {
        facts.push({
          kind: 'pickle.indirect-call',
          location: at(c.offset),
          data: { callable: preview(fn), kind: c.kind, callableType: fn.t, key: `${c.kind}@${c.offset}` },
        });
      }
    },
    computedGlobal(offset: number, module: Value, name: Value) {
      facts.push({
        kind: 'pickle.computed-global',
        location: at(offset),
        data: { module: preview(module), name: preview(name), key: `sg@${offset}` },
      });
    },
    ext(offset: number, code: number) {
      facts.push({ kind: 'pickle.ext', location: at(offset), data: { code, key: `ext${code}` } });
    },
    mutation(offset: number, target: Value, op: string, state?: Value) {
      const targetOffset = target.t === 'global' ? target.g.offset : target.t === 'module' ? target.offset : undefined;
      facts.push({
        kind: 'pickle.global-mutation',
        location: at(offset),
        data: { target: preview(target), op, targetOffset, ...(state ? { state: preview(state) } : {}), key: preview(target) },
      });
    },
    frameDivergence(offset: number, detail: string, from: number, to: number) {
      facts.push({ kind: 'pickle.frame-divergence', location: at(offset), data: { detail, key: `frame@${offset}` } });
      if (!opts.quiet) {
        ctx.inconclusive({ path: loc.path, member: loc.member, offset, code: 'PARSE_ERROR', message: `ambiguous framing: ${detail}`, scanner: 'pickle' });
      }
      if (resyncs.length < MAX_RESYNC) resyncs.push([from, Math.min(to, from + RESYNC_SPAN)]);
    },
    persid() {},
    embeddedPickle(data, offset) {
      if (probes.length < MAX_PROBES) probes.push({ data, offset });
    },
    buffer(offset: number) {
      facts.push({ kind: 'pickle.out-of-band-buffer', location: at(offset), data: { key: `buf@${offset}` } });
    },
  };

  let pos = opts.start ?? 0;
  let streams = 0;
  let ok = true;
  const results: Value[] = [];
  const max = opts.maxStreams ?? Number.POSITIVE_INFINITY;
  while (pos < reader.size && streams < max) {
    const m = new PickleMachine(win, pos, ev, { budgets: ctx.budgets, deadline: ctx.deadline });
    try {
      pos = await m.run();
      streams++;
      results.push(m.result!);
    } catch (e) {
      if (!isMlvetError(e)) throw e;
      ok = false;
      if (streams > 0 && m.opcodes <= 1 && opts.maxStreams === undefined && !READ_FAILURES.has(e.code)) {
        // bytes after the last STOP that are not a pickle: pickle.load ignores them
        facts.push({
          kind: 'pickle.trailing-data',
          location: at(pos),
          data: { length: reader.size - pos, key: `trail@${pos}` },
        });
        ok = true;
      } else if (!opts.quiet) {
        ctx.inconclusive({ path: loc.path, member: loc.member, offset: e.details.offset, code: e.code, message: e.message, scanner: 'pickle' });
      }
      break;
    }
  }

  // where C and Python unpicklers read a straddling frame differently, read the other way too
  const importsOnly: MachineEvents = { ...ev, call: () => {}, mutation: () => {}, buffer: () => {}, embeddedPickle: () => {}, frameDivergence: () => {} };
  for (const [from, to] of resyncs) await resync(win, from, to, importsOnly, ctx);

  // second-stage payloads handed to loaders; the loader's fact records whether its payload was scanned
  for (const { call, loader } of loaderCalls) {
    const status = await scanLoaderPayload(call, loader, win, loc, depth, ctx);
    const fn = call.fn.t === 'global' ? globals.get(`${call.fn.g.module}\u0000${call.fn.g.name}`) : undefined;
    if (fn && fn.fact.data.nested !== 'opaque') fn.fact.data.nested = status;
  }
  for (const f of facts) ctx.emit(f);
  // bytes that start like a pickle, carried as data
  for (const p of probes) {
    const bytes = p.data instanceof Uint8Array ? p.data : p.data.length <= ctx.budgets.maxNestedBytes ? await win.slice(p.data.offset, p.data.length) : undefined;
    if (!bytes || depth + 1 > ctx.budgets.maxNestingDepth) continue;
    await ctx.scanNested(new BufferReader(bytes), { ...loc, member: member(loc, `embedded@${p.offset}`), offset: undefined }, depth + 1, {
      quiet: true,
    });
  }
  return { end: pos, streams, results, ok };
}

async function resync(win: Window, from: number, to: number, ev: MachineEvents, ctx: ScanContext): Promise<void> {
  // Read the disputed bytes as opcodes from every start: the straddling argument and what follows
  // the frame. Speculative, so lenient and bounded; only what it imports matters.
  for (let start = from; start < Math.min(win.size, to); start++) {
    const m = new PickleMachine(win, start, ev, {
      budgets: { ...ctx.budgets, maxPickleOpcodes: 2_000 },
      deadline: ctx.deadline,
      lenient: true,
    });
    try {
      await m.run();
    } catch {
      // expected: most starts are not opcode boundaries
    }
  }
}

async function scanLoaderPayload(
  call: CallValue,
  loader: string,
  win: Window,
  loc: Location,
  depth: number,
  ctx: ScanContext,
): Promise<'scanned' | 'opaque'> {
  let bytes: Uint8Array | undefined;
  let why = 'no argument';
  for (const arg of call.args.slice(0, 3)) {
    try {
      bytes = await materializeBytes(arg, { win, maxBytes: ctx.budgets.maxNestedBytes });
      break;
    } catch (e) {
      // Opaque, zlib's RangeError past maxOutputLength, bad base64/hex: all mean "cannot rebuild"
      if (!(e instanceof Error)) throw e;
      why = (e).message;
    }
  }
  const where = { ...loc, offset: call.offset };
  if (!bytes) {
    ctx.emit({ kind: 'pickle.nested-opaque', location: where, data: { loader, reason: why, key: `${loader}@${call.offset}` } });
    return 'opaque';
  }
  if (depth + 1 > ctx.budgets.maxNestingDepth) {
    ctx.inconclusive({
      path: loc.path,
      member: loc.member,
      offset: call.offset,
      code: 'LIMIT_EXCEEDED',
      message: `nested pickle deeper than ${ctx.budgets.maxNestingDepth} levels`,
      scanner: 'pickle',
    });
    return 'opaque';
  }
  ctx.emit({ kind: 'pickle.nested-payload', location: where, data: { loader, length: bytes.length, key: `${loader}@${call.offset}` } });
  await ctx.scanNested(new BufferReader(bytes), { ...loc, member: member(loc, `nested@${call.offset}`), offset: undefined }, depth + 1);
  return 'scanned';
}
