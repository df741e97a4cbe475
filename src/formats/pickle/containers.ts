/**
 * Lists, tuples, sets and dicts of the pickle machine. Items are kept (a bounded prefix) only when
 * something could later read them: strings in lists (str.join), non-plain values in dicts (joblib
 * wrapper state, kwargs). Containers of plain numbers, and dicts of plain values, keep only their
 * count, which is what keeps dense benign pickles in bounded memory.
 */
import type { Slot } from './stack.js';
import { CONTAINER_KEEP, intValue, type Value } from './values.js';

/** Shared empty item list: containers allocate their own only when they keep something. */
export const NO_ITEMS: Value[] = [];

/** Shared stand-ins for containers created after the retention budget is spent: items are not kept. */
export const FROZEN_LIST: Value = { t: 'list', items: [], n: 0 };
export const FROZEN_DICT: Value = { t: 'dict', items: [], n: 0 };
export const FROZEN_SET: Value = { t: 'set', items: [], n: 0 };
export const FROZEN_TUPLE: Value = { t: 'tuple', items: [], n: 0 };
/** Stand-ins for containers the memo let go of (memo.ts) that held items it did not keep: some, not none. */
export const SOME_LIST: Value = { t: 'list', items: [], n: 1 };
export const SOME_DICT: Value = { t: 'dict', items: [], n: 1 };
export const SOME_SET: Value = { t: 'set', items: [], n: 1 };
export const SOME_TUPLE: Value = { t: 'tuple', items: [], n: 1 };

/** A shared stand-in: adding to it does nothing. */
export function isStandIn(v: Value): boolean {
  return v === FROZEN_LIST || v === FROZEN_DICT || v === FROZEN_SET || v === SOME_LIST || v === SOME_DICT || v === SOME_SET;
}

type Mutable = 'list' | 'dict' | 'set';

/** Whether a batch of new items could matter later (see the module comment). */
export function keepBatch(t: Value['t'], items: readonly Slot[], from: number): boolean {
  for (let i = from; i < items.length; i++) {
    const v = items[i]!;
    if (typeof v === 'number') continue; // an int
    switch (v.t) {
      case 'int':
      case 'float':
      case 'bool':
      case 'none':
        continue;
      case 'str':
        if (t === 'dict') continue; // plain string values and keys of data dicts
        return true;
      case 'list':
      case 'tuple':
      case 'set':
      case 'frozenset':
      case 'dict':
        if (v.items.length === 0) continue;
        return true;
      default:
        return true;
    }
  }
  return false;
}

/** Builds containers within one machine's retention budget (`maxRetainedValues`). */
export class Containers {
  private retained = 0;

  constructor(private readonly maxRetained: number) {}

  /** A new empty mutable container, or a shared count-less stand-in once the budget is spent. */
  empty(t: Mutable): Value {
    if (this.retained >= this.maxRetained) return t === 'list' ? FROZEN_LIST : t === 'dict' ? FROZEN_DICT : FROZEN_SET;
    this.retained++;
    return { t, items: NO_ITEMS, n: 0 };
  }

  /** A container of `items` (LIST, TUPLE, DICT, FROZENSET, TUPLE1–3). */
  make(t: 'list' | 'tuple' | 'set' | 'frozenset' | 'dict', items: Value[]): Value {
    const n = t === 'dict' ? items.length / 2 : items.length;
    if (t !== 'tuple' && !keepBatch(t, items, 0)) return { t, items: NO_ITEMS, n };
    const keep = t === 'dict' ? CONTAINER_KEEP * 2 : CONTAINER_KEEP;
    if (items.length > keep) items = items.slice(0, keep);
    if (this.retained < this.maxRetained) this.retained += items.length;
    else items = NO_ITEMS;
    return { t, items, n };
  }

  /**
   * Count stack[from..] into `target` (APPEND(S), SETITEM(S), ADDITEMS) and keep what could matter.
   * The caller drops the items from the stack. On any other object this is a method call
   * (append/extend/__setitem__/add) on an instance whose class was already reported when imported.
   */
  add(target: Value, st: readonly Slot[], from: number): void {
    if (target.t !== 'list' && target.t !== 'set' && target.t !== 'dict') return;
    if (isStandIn(target)) return;
    const count = st.length - from;
    target.n += target.t === 'dict' ? count / 2 : count;
    if (!keepBatch(target.t, st, from) || this.retained >= this.maxRetained) return;
    const limit = target.t === 'dict' ? CONTAINER_KEEP * 2 : CONTAINER_KEEP;
    if (target.items === NO_ITEMS) target.items = [];
    for (let i = from; i < st.length && target.items.length < limit; i++) {
      const s = st[i]!;
      target.items.push(typeof s === 'number' ? intValue(s) : s);
    }
    this.retained += count;
  }
}

/** REDUCE/NEWOBJ take an argument tuple; anything else is still recorded as a single argument. */
export function argList(v: Value): Value[] {
  if (v.t === 'tuple') return v.items;
  return [v];
}
