/**
 * The pickle machine on its own: call ids belong to one machine (they do not depend on what was
 * scanned before), and every opcode in the table reaches a case of the machine's switch.
 */
import { describe, expect, it } from 'vitest';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { isMlvetError } from '../../src/errors.js';
import { SILENT_EVENTS } from '../../src/formats/pickle/events.js';
import { PickleMachine, type MachineEvents } from '../../src/formats/pickle/machine.js';
import { OPS } from '../../src/formats/pickle/opcodes.js';
import { Window } from '../../src/formats/pickle/window.js';
import { DEFAULT_BUDGETS } from '../../src/model/budgets.js';
import { asm, evilP4, P } from '../helpers/pickle-asm.js';

/** Run one machine over `bytes`; the ids of the calls it reports, and the error code if it broke. */
async function run(bytes: Uint8Array, lenient = false): Promise<{ ids: number[]; code?: string }> {
  const ids: number[] = [];
  const ev: MachineEvents = { ...SILENT_EVENTS, call: (c) => void ids.push(c.id) };
  const m = new PickleMachine(new Window(new BufferReader(bytes)), 0, ev, { budgets: DEFAULT_BUDGETS, deadline: Date.now() + 5000, lenient });
  try {
    await m.run();
    return { ids };
  } catch (e) {
    if (!isMlvetError(e)) throw e;
    return { ids, code: e.code };
  }
}

const twoCalls = asm(P.proto(2), P.global('builtins', 'len'), P.sbu('a'), P.TUPLE1, P.REDUCE, P.global('builtins', 'len'), P.sbu('b'), P.TUPLE1, P.REDUCE, P.TUPLE2, P.STOP);
const oneCall = evilP4();
const noCall = asm(P.proto(4), P.EMPTY_DICT, P.STOP);

describe('call ids', () => {
  const rows: Array<[string, Uint8Array, Uint8Array, number[]]> = [
    ['two calls after one call', oneCall, twoCalls, [1, 2]],
    ['one call after two calls', twoCalls, oneCall, [1]],
    ['two calls after a pickle without calls', noCall, twoCalls, [1, 2]],
    ['two calls after two calls', twoCalls, twoCalls, [1, 2]],
  ];
  it.each(rows)('%s: B gets the same ids as when scanned alone', async (_name, a, b, want) => {
    const alone = await run(b);
    await run(a);
    const after = await run(b);
    expect(alone.ids).toEqual(want);
    expect(after.ids).toEqual(want);
  });
});

describe('opcode table and switch', () => {
  // a well-formed argument for each Arg kind (by its value): zeros, '0\n', 'a\nb\n'
  const nl = 0x0a;
  const argBytes: number[][] = [[], [0], [0, 0], [0, 0, 0, 0], [0, 0, 0, 0], Array<number>(8).fill(0), Array<number>(8).fill(0),
    [0x30, nl], [0x61, nl, 0x62, nl], [0], [0, 0, 0, 0], [0, 0, 0, 0], Array<number>(8).fill(0)];
  const rows = OPS.flatMap((info) => (info ? [[info.name, [info.code, ...argBytes[info.arg]!, 0x2e]] as const] : []));
  // every byte here is an opcode with its argument, so UNKNOWN_OPCODE can only come from the switch's default
  it.each(rows)('%s has a case', async (_name, bytes) => {
    const r = await run(Uint8Array.from(bytes), true);
    expect(r.code).not.toBe('UNKNOWN_OPCODE');
  });
});
