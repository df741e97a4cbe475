/**
 * Is a storage member a whole pickle? `torch.load` reads `<root>/data/<key>` as raw tensor bytes,
 * named by a persistent id in `data.pkl`; it never unpickles them. Float bytes often begin with a
 * byte that is a pickle opcode (0x83 is EXT2, 0x8c SHORT_BINUNICODE), and a lenient probe then
 * reads noise as imports. So a storage counts as a pickle only when the strict machine accepts all
 * of it: PROTO 2..5 first, every opcode valid, STOP exactly at the member's last byte. Noise almost
 * never does; a crafted pickle placed there always does, and is scanned as one.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import type { Budgets } from '../../model/budgets.js';
import { PickleError, PickleMachine, type MachineEvents } from '../pickle/machine.js';
import { Window } from '../pickle/window.js';

const noop = (): void => {};
const SILENT: MachineEvents = {
  global: noop,
  call: noop,
  computedGlobal: noop,
  ext: noop,
  mutation: noop,
  frameDivergence: noop,
  persid: noop,
  embeddedPickle: noop,
  buffer: noop,
};

/** PROTO then a protocol torch.save or pickle.dump writes (2..5); 0/1 pickles have no magic at all. */
export function hasPickleProto(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5;
}

/** True when the whole reader is one complete, valid pickle stream. Bounded by the opcode budget and the deadline. */
export async function isCompletePickle(reader: RandomAccessReader, budgets: Budgets, deadline: number): Promise<boolean> {
  const head = await reader.read(0, Math.min(2, reader.size));
  if (!hasPickleProto(head)) return false;
  const m = new PickleMachine(new Window(reader), 0, SILENT, { budgets, deadline });
  try {
    return (await m.run()) === reader.size;
  } catch (e) {
    // any rejection (bad opcode, underflow, truncation, budget) means: not a pickle; a read failure is no verdict
    if (e instanceof PickleError) return false;
    throw e;
  }
}
