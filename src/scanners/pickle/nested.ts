/**
 * The follow-up scans of a pickle stream: bytes where C and Python unpicklers read a straddling frame
 * differently, payloads handed to a loader (a second stage), and payloads that start like a pickle.
 */
import { BufferReader } from '../../artifact/buffer-reader.js';
import { PickleMachine, type CallValue, type MachineEvents } from '../../formats/pickle/machine.js';
import type { Window } from '../../formats/pickle/window.js';
import type { Location } from '../../model/facts.js';
import type { ScanContext } from '../types.js';
import type { Probe } from './facts.js';
import { materializeBytes } from './materialize.js';

function member(loc: Location, suffix: string): string {
  return loc.member ? `${loc.member}!${suffix}` : suffix;
}

/**
 * Read the disputed bytes as opcodes from every start: the straddling argument and what follows the
 * frame. Speculative, so lenient and bounded; only what it imports matters.
 */
export async function resync(win: Window, from: number, to: number, ev: MachineEvents, ctx: ScanContext): Promise<void> {
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

/** Rebuild and scan the payload of a loader call; the loader's fact records which it was. */
export async function scanLoaderPayload(
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
      why = e.message;
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

/** Bytes that start like a pickle, carried as data: scanned quietly, as they may be anything. */
export async function scanProbes(probes: Probe[], win: Window, loc: Location, depth: number, ctx: ScanContext): Promise<void> {
  for (const p of probes) {
    const bytes =
      p.data instanceof Uint8Array ? p.data : p.data.length <= ctx.budgets.maxNestedBytes ? await win.slice(p.data.offset, p.data.length) : undefined;
    if (!bytes || depth + 1 > ctx.budgets.maxNestingDepth) continue;
    await ctx.scanNested(new BufferReader(bytes), { ...loc, member: member(loc, `embedded@${p.offset}`), offset: undefined }, depth + 1, {
      quiet: true,
    });
  }
}
