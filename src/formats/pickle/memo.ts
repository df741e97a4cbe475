/**
 * The unpickler's memo (PUT/BINPUT/LONG_BINPUT/MEMOIZE write it, GET/BINGET/LONG_BINGET read it).
 * Dense indices live in an array, sparse ones (LONG_BINPUT 0xffffffff) in a map.
 */
import { fail } from './error.js';
import { FROZEN_DICT, FROZEN_LIST, FROZEN_SET, FROZEN_TUPLE, keepBatch } from './containers.js';
import type { Value } from './values.js';

/** A memo slot: a value, or a plain string kept bare (see compact). */
type MemoSlot = Value | string;

/** Memo entries between compactions. */
const COMPACT_EVERY = 1 << 18;
/** Indices this far past the array's end go to the map rather than growing the array. */
const DENSE_GAP = 65536;
/** Slots this close to the end are still being filled and are left alone by a compaction. */
const RECENT = 4096;

export class Memo {
  private readonly arr: Array<MemoSlot | undefined> = [];
  private readonly map = new Map<number, MemoSlot>();
  /** entries in use: MEMOIZE's next index */
  size = 0;
  private compactedUpTo = 0;

  constructor(private readonly maxEntries: number) {}

  put(idx: number, v: Value, at: number): void {
    const arr = this.arr;
    const dense = idx < arr.length + DENSE_GAP;
    // never read past the end: out-of-bounds reads push V8 onto a slow path for the whole array
    const had = dense ? idx < arr.length && arr[idx] !== undefined : this.map.has(idx);
    if (!had) {
      if (this.size >= this.maxEntries) fail('LIMIT_EXCEEDED', `memo over ${this.maxEntries} entries`, at);
      this.size++;
    }
    if (dense) arr[idx] = v;
    else this.map.set(idx, v);
    if (!had && this.size % COMPACT_EVERY === 0) this.compact();
  }

  /** The value at `idx`, or undefined when nothing was stored there. */
  get(idx: number): Value | undefined {
    const slot = idx < this.arr.length ? this.arr[idx] : this.map.get(idx);
    return typeof slot === 'string' ? { t: 'str', v: slot } : slot;
  }

  /**
   * Dense benign pickles memoize millions of plain values. Every so often, replace memo slots that
   * carry nothing a later opcode could need (containers that kept no items, plain strings) by shared
   * stand-ins or bare strings, so memory tracks what matters rather than the object count. A GET of a
   * compacted container sees an empty one: a payload relying on that reads as unresolved (reported),
   * never as clean.
   */
  private compact(): void {
    const arr = this.arr;
    // only the slots added since the last pass, minus a recent window still being filled
    const end = Math.max(this.compactedUpTo, arr.length - RECENT);
    for (let i = this.compactedUpTo; i < end; i++) {
      const v = arr[i];
      if (v !== undefined && typeof v !== 'string') arr[i] = compactSlot(v);
    }
    this.compactedUpTo = end;
  }
}

function compactSlot(v: Value): MemoSlot {
  switch (v.t) {
    case 'str':
      return v.truncated || v.computed || v.ref ? v : v.v;
    case 'list':
      return v.items.length === 0 ? FROZEN_LIST : v;
    case 'dict':
      return v.items.length === 0 ? FROZEN_DICT : v;
    case 'set':
      return v.items.length === 0 ? FROZEN_SET : v;
    case 'tuple':
      return keepBatch('list', v.items, 0) ? v : FROZEN_TUPLE;
    default:
      return v;
  }
}
