/**
 * What the data-only pass (PickleMachine.runDataOnly) keeps instead of values. A pickle with no opcode
 * that can bring in or call anything (no GLOBAL, STACK_GLOBAL, INST, OBJ, REDUCE, NEWOBJ, NEWOBJ_EX,
 * BUILD, EXT*, PERSID, BINPERSID, NEXT_BUFFER) builds only builtin data: nothing a later opcode does can
 * run code or reach a callable, so no value is ever read and none needs to exist. Such a stream is
 * checked by counting alone: the stack as a depth, the MARKs as depths, the memo as the set of indices
 * stored. Every error the full machine raises on such a stream depends only on those counts (underflow,
 * an odd SETITEMS, a missing memo key, the budgets), so the pass raises the same error at the same
 * offset; on the first code opcode it stops, and the caller runs the full machine from the start.
 */
import { fail } from './error.js';
import type { MachineEvents } from './events.js';
import type { PayloadRef } from './values.js';

/** Opcodes that can import, call or hand out an object: the data-only pass stops at any of them. */
export const CODE_OPCODES: Uint8Array = (() => {
  const t = new Uint8Array(256);
  // GLOBAL, STACK_GLOBAL, INST, OBJ, REDUCE, NEWOBJ, NEWOBJ_EX, BUILD, EXT1, EXT2, EXT4, PERSID, BINPERSID, NEXT_BUFFER
  for (const c of [0x63, 0x93, 0x69, 0x6f, 0x52, 0x81, 0x92, 0x62, 0x82, 0x83, 0x84, 0x50, 0x51, 0x97]) t[c] = 1;
  return t;
})();

/** Indices are dense while within twice the entries plus this (as in Memo), else kept in a set. */
const DENSE_GAP = 65536;

/** The memo's keys only: which indices hold a value, and how many do (MEMOIZE's next index). */
export class MemoKeys {
  private dense = new Uint8Array(0);
  private readonly sparse = new Set<number>();
  size = 0;

  constructor(private readonly maxEntries: number) {}

  /** an index stored sparse stays there when the dense range later grows past it, so both are asked */
  has(idx: number): boolean {
    return (idx < this.dense.length && this.dense[idx] === 1) || (this.sparse.size > 0 && this.sparse.has(idx));
  }

  /** PUT, BINPUT, LONG_BINPUT, MEMOIZE: a new index past the budget is the full memo's LIMIT_EXCEEDED. */
  put(idx: number, at: number): void {
    if (this.has(idx)) return;
    if (this.size >= this.maxEntries) fail('LIMIT_EXCEEDED', `memo over ${this.maxEntries} entries`, at);
    this.size++;
    if (idx < this.dense.length || idx < 2 * this.size + DENSE_GAP) {
      if (idx >= this.dense.length) {
        const next = new Uint8Array(Math.max(idx + 1, 1024, this.dense.length + (this.dense.length >> 1)));
        next.set(this.dense);
        this.dense = next;
      }
      this.dense[idx] = 1;
    } else this.sparse.add(idx);
  }
}

type Recorded = { kind: 'frame'; args: [number, string, number, number] } | { kind: 'embedded'; args: [PayloadRef | Uint8Array, number] };

const noop = (): void => {};

/**
 * The events of a data-only pass, held back: replayed into the real sink when the pass ends (at STOP or
 * at an error, as the full machine would have reported them), dropped when it stops at a code opcode
 * and the full machine runs the stream again. A data-only stream reports only these two.
 */
export class HeldEvents implements MachineEvents {
  private readonly held: Recorded[] = [];
  global = noop;
  call = noop;
  computedGlobal = noop;
  ext = noop;
  mutation = noop;
  persid = noop;
  buffer = noop;

  frameDivergence(offset: number, detail: string, from: number, to: number): void {
    this.held.push({ kind: 'frame', args: [offset, detail, from, to] });
  }

  embeddedPickle(ref: PayloadRef | Uint8Array, offset: number): void {
    this.held.push({ kind: 'embedded', args: [ref, offset] });
  }

  replay(into: MachineEvents): void {
    for (const r of this.held) {
      if (r.kind === 'frame') into.frameDivergence(...r.args);
      else into.embeddedPickle(...r.args);
    }
    this.held.length = 0;
  }
}
