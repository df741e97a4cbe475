/**
 * Is this a pickle? Protocol 2+ pickles start with PROTO; protocol 0/1 ones have no magic, so we run
 * the real simulator over the first bytes: a stream that reaches STOP, or runs cleanly to the end of
 * the probe window, or imports something (the probe stops there), is a pickle. Text and binary formats fail
 * within a few bytes.
 */
import { BufferReader } from '../../artifact/buffer-reader.js';
import { DEFAULT_BUDGETS } from '../../model/budgets.js';
import { isMlvetError } from '../../errors.js';
import { SILENT_EVENTS } from './events.js';
import { PickleMachine, type MachineEvents } from './machine.js';
import { Window } from './window.js';
import { OPS } from './opcodes.js';
import { isIdentifierPath } from './names.js';

/**
 * Thrown by the probe's events at the first import, which answers "a pickle" whatever follows (before,
 * the probe ran on to the end of its window, and the scanner then ran the same opcodes again). Only an
 * internal error after an import answers differently: "a pickle" (scanned) where it was "not".
 */
const IMPORTED = new Error('pickle probe: an import was found');

export async function looksLikePickle(head: Uint8Array, fileSize: number): Promise<boolean> {
  if (head.length === 0) return false;
  if (head[0] === 0x80 && head.length >= 2 && head[1]! <= 5) return true;
  // a future or forged protocol number: still a pickle if an opcode follows (scanned as unsupported)
  if (head[0] === 0x80 && head.length >= 3 && head[1]! < 16 && OPS[head[2]!] !== undefined) return true;
  const ev: MachineEvents = {
    ...SILENT_EVENTS,
    // only identifier-like imports count: `class Net(Module):` is not GLOBAL "lass Net(Module):"
    global: (g) => {
      if (isIdentifierPath(g.module) && isIdentifierPath(g.name)) throw IMPORTED;
    },
    computedGlobal: () => {
      throw IMPORTED;
    },
    ext: () => {
      throw IMPORTED;
    },
  };
  const m = new PickleMachine(new Window(new BufferReader(head), head.length), 0, ev, {
    budgets: { ...DEFAULT_BUDGETS, maxPickleOpcodes: 100_000 },
    deadline: Date.now() + 1000,
  });
  try {
    await m.run();
    return true; // reached STOP
  } catch (e) {
    // the first import decides: the scanner simulates the stream from the start anyway
    if (e === IMPORTED) return true;
    if (!isMlvetError(e)) return false;
    // Ran out of bytes after a plausible run of opcodes: either the probe window ended, or the file
    // itself is a truncated pickle, which must be scanned (and reported inconclusive), not ignored.
    if (e.code !== 'TRUNCATED') return false;
    if (head.length < fileSize) return m.opcodes >= 8 || lineRunsPastWindow(head);
    return m.opcodes >= 2 || truncatedImport(head);
  }
}

/**
 * A protocol 0/1 pickle whose first opcode takes a text line longer than the probe window (a 100 KB
 * `V` string): the window ends inside that line, so no opcode completed. Python loads it, and what
 * follows the line can be anything, so it must be scanned. Only a line opcode whose argument is
 * well-formed so far counts: a quoted STRING, a UNICODE line, or digits for INT/LONG/FLOAT.
 */
function lineRunsPastWindow(head: Uint8Array): boolean {
  if (head.length < 4096 || head.includes(0x0a)) return false;
  const op = head[0];
  if (op === 0x56) return true; // UNICODE: raw-unicode-escape text, any bytes but newline
  if (op === 0x53) return head[1] === 0x27 || head[1] === 0x22; // STRING: a quoted repr
  if (op === 0x49 || op === 0x4c || op === 0x46) return head.subarray(1).every((b) => (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2e);
  return false;
}

/** A file that is just a GLOBAL/INST cut before its last newline (`cposix\nsystem`). */
function truncatedImport(head: Uint8Array): boolean {
  if (head[0] !== 0x63 && head[0] !== 0x69) return false;
  const text = Buffer.from(head.subarray(1, 512)).toString('latin1');
  return /^[A-Za-z_][\w.]*\r?\n[A-Za-z_][\w.]*$/.test(text);
}
