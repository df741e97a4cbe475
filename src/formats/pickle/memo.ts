/**
 * The unpickler's memo (PUT/BINPUT/LONG_BINPUT/MEMOIZE write it, GET/BINGET/LONG_BINGET read it).
 *
 * Dense benign pickles memoize millions of values, and a memo that holds every value keeps every value
 * alive (and makes the garbage collector copy each one until it is old). So the memo keeps a value
 * only while it can still matter:
 * - per dense index, one int32 says what is there: a shared stand-in (None, a bool, a float, a
 *   container that kept no items), a value still in the recent ring, a plain value past the retention
 *   budget, a string by reference to its bytes (memo-strings.ts), or the position of a value kept in
 *   `kept`;
 * - mutable containers and tuples wait in a ring of the last RING indices (they are memoized before
 *   they are filled); when a newer index takes their slot they become a stand-in if they kept nothing,
 *   else they move to `kept`;
 * - plain strings and other plain values are kept up to PLAIN_KEEP of them; past that a GET yields an
 *   unknown value, which every resolver treats as symbolic (reported, never clean);
 * - everything else (globals, calls, modules, containers with kept items, strings marked computed or
 *   truncated) is always kept.
 * Sparse indices (LONG_BINPUT 0xffffffff) are kept whole in a map.
 */
import { fail } from './error.js';
import { FROZEN_DICT, FROZEN_LIST, FROZEN_SET, FROZEN_TUPLE, keepBatch, SOME_DICT, SOME_LIST, SOME_SET, SOME_TUPLE } from './containers.js';
import { DirectMap } from './direct.js';
import { MemoStrings } from './memo-strings.js';
import { BOOL, FLOAT, NONE, type Value } from './values.js';
import type { Window } from './window.js';

/** What a dense memo index holds; positive slots are 1 + a position in `kept`, slots from T_STR down a string reference. */
const T_EMPTY = 0;
const T_NONE = -1;
const T_BOOL = -2;
const T_FLOAT = -3;
const T_LIST = -4;
const T_DICT = -5;
const T_SET = -6;
const T_TUPLE = -7;
const T_RING = -8;
const T_FORGOTTEN = -9;
const T_SOME_LIST = -10;
const T_SOME_DICT = -11;
const T_SOME_SET = -12;
const T_SOME_TUPLE = -13;
const T_STR = -16;

/**
 * The dense array grows to an index only while it stays within twice the entries plus this much, so
 * its size follows the entry count (indices spaced far apart go to the sparse map, never to a huge
 * array).
 */
const DENSE_GAP = 65536;
/** Recent containers, by index modulo RING: they may still be filling up. */
const RING = 4096;
/** Plain values (strings, ints, tuples of plain values) kept in full; past this only their kind. */
export const PLAIN_KEEP = 1 << 20;

/** `get`'s answer when a memoized string's bytes must be read back first (`read`). */
export const NEEDS_READ: Value = { t: 'unknown', why: 'memo string being read' };

/** A GET of a plain value the memo no longer holds (past PLAIN_KEEP). */
export const FORGOTTEN: Value = { t: 'unknown', why: 'memo value past the retention budget' };

const NO_SLOTS = new Int32Array(0);

/** By -tag. */
const STAND_INS: ReadonlyArray<Value | undefined> = [
  undefined, NONE, BOOL, FLOAT, FROZEN_LIST, FROZEN_DICT, FROZEN_SET, FROZEN_TUPLE, undefined, undefined,
  SOME_LIST, SOME_DICT, SOME_SET, SOME_TUPLE,
];

export class Memo {
  /** allocated on the first PUT (a machine that memoizes nothing, like most probes, allocates nothing) */
  private slots = NO_SLOTS;
  /** kept values (plain strings bare), in the order they were kept */
  private readonly kept: Array<Value | string | undefined> = [];
  private readonly sparse = new Map<number, Value>();
  /** recent containers by index (it grows to RING before it evicts anything) */
  private ring: DirectMap<Value> | undefined;
  private plainKept = 0;
  private strs: MemoStrings | undefined;
  /** the string position `get` answered NEEDS_READ for */
  private pending = -1;
  /** entries in use: MEMOIZE's next index */
  size = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly win: Window,
  ) {}

  /**
   * Memoize `v`, a plain string a payload opcode decoded from the bytes [off, off + len), by reference.
   * Returns false when `idx` is sparse (the caller memoizes the value instead).
   */
  putStr(idx: number, v: Value, off: number, len: number, latin1: boolean, at: number): boolean {
    if (this.isSparse(idx)) return false;
    this.release(idx, at);
    this.slots[idx] = T_STR - (this.strs ??= new MemoStrings(this.win)).add(v, off, len, latin1);
    return true;
  }

  put(idx: number, v: Value, at: number): void {
    if (this.isSparse(idx)) return this.putSparse(idx, v, at);
    this.release(idx, at);
    this.slots[idx] = this.tagFor(idx, v);
  }

  private isSparse(idx: number): boolean {
    return idx >= this.slots.length && idx >= 2 * this.size + DENSE_GAP;
  }

  /** Count a new dense index, or let go of what an overwritten one held. */
  private release(idx: number, at: number): void {
    if (idx >= this.slots.length) this.grow(idx);
    const old = this.slots[idx]!;
    if (old === T_EMPTY) {
      // an index kept apart while the dense range was smaller is stored again here: one entry, not two
      if (this.sparse.size > 0 && this.sparse.delete(idx)) return;
      if (this.size >= this.maxEntries) fail('LIMIT_EXCEEDED', `memo over ${this.maxEntries} entries`, at);
      this.size++;
    } else if (old > 0) this.kept[old - 1] = undefined;
    else if (old === T_RING && this.ring!.keys[idx & this.ring!.mask] === idx) this.ring!.keys[idx & this.ring!.mask] = -1;
  }

  /** The value at `idx`, undefined when nothing was stored there, or NEEDS_READ (then call `read`). */
  get(idx: number): Value | undefined {
    const tag = idx < this.slots.length ? this.slots[idx]! : T_EMPTY;
    if (tag <= T_STR) {
      const pos = T_STR - tag;
      const s = this.strs!.get(pos);
      if (s !== undefined) return s;
      this.pending = pos;
      return NEEDS_READ;
    }
    if (tag > 0) {
      const slot = this.kept[tag - 1]!;
      return typeof slot === 'string' ? { t: 'str', v: slot } : slot;
    }
    if (tag === T_EMPTY) return this.sparse.get(idx);
    if (tag === T_RING) return this.ring!.vals[idx & this.ring!.mask];
    return tag === T_FORGOTTEN ? FORGOTTEN : STAND_INS[-tag];
  }

  /** The string `get` answered NEEDS_READ for, read back from the stream. */
  async read(): Promise<Value> {
    return this.strs!.read(this.pending);
  }

  private tagFor(idx: number, v: Value): number {
    switch (v.t) {
      case 'none':
        return T_NONE;
      case 'bool':
        return T_BOOL;
      case 'float':
        return T_FLOAT;
      case 'str':
        if (v.truncated || v.computed || v.ref) return this.keep(v);
        return this.keepPlain(v.v);
      case 'int':
        return this.keepPlain(v);
      case 'list':
      case 'dict':
      case 'set':
      case 'tuple': {
        // (a shared stand-in goes through the ring too: it leaves it as itself)
        if (v.t === 'tuple' && v.n === 0) return T_TUPLE;
        const ring = (this.ring ??= new DirectMap<Value>(64, RING));
        if (ring.keys[idx & ring.mask]! >= 0 && !ring.atMax) ring.grow();
        const s = idx & ring.mask;
        const prev = ring.keys[s]!;
        if (prev >= 0) this.evict(prev, ring.vals[s]!);
        ring.keys[s] = idx;
        ring.vals[s] = v;
        return T_RING;
      }
      default:
        return this.keep(v);
    }
  }

  /** The slot of a kept value. */
  private keep(v: Value | string): number {
    return this.kept.push(v);
  }

  /** A value kept only so a GET reads it exactly: within PLAIN_KEEP. */
  private keepPlain(v: Value | string): number {
    if (this.plainKept >= PLAIN_KEEP) return T_FORGOTTEN;
    this.plainKept++;
    return this.keep(v);
  }

  /**
   * A container leaves the ring: a shared stand-in when it kept nothing a later opcode could read
   * (empty, or "some items" when it had items it did not keep).
   */
  private evict(idx: number, v: Value): void {
    if (v.t === 'tuple') {
      // a tuple of plain values past the budget keeps only that it had items
      const slot = keepBatch('list', v.items, 0) ? this.keep(v) : this.keepPlain(v);
      this.slots[idx] = slot === T_FORGOTTEN ? T_SOME_TUPLE : slot;
      return;
    }
    const c = v as { t: 'list' | 'dict' | 'set'; items: Value[]; n: number };
    if (c.items.length > 0) this.slots[idx] = this.keep(v);
    else if (c.t === 'list') this.slots[idx] = c.n === 0 ? T_LIST : T_SOME_LIST;
    else if (c.t === 'dict') this.slots[idx] = c.n === 0 ? T_DICT : T_SOME_DICT;
    else this.slots[idx] = c.n === 0 ? T_SET : T_SOME_SET;
  }

  private grow(idx: number): void {
    // half as large again: doubling would leave up to half of a large memo's array unused
    const next = new Int32Array(Math.max(idx + 1, 64, this.slots.length + (this.slots.length >> 1)));
    next.set(this.slots);
    this.slots = next;
  }

  private putSparse(idx: number, v: Value, at: number): void {
    if (!this.sparse.has(idx)) {
      if (this.size >= this.maxEntries) fail('LIMIT_EXCEEDED', `memo over ${this.maxEntries} entries`, at);
      this.size++;
    }
    this.sparse.set(idx, v);
  }
}
