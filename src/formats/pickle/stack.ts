/**
 * The unpickler's value stack and mark stack. A MARK fences the stack: opcodes see only what lies
 * above the last mark, as in the C unpickler. In lenient mode (resync scans) an underflow yields an
 * unknown value instead of an error.
 */
import { fail } from './error.js';
import { intValue, type Value } from './values.js';

/**
 * A stack slot: a value, or a Python int as a plain JS number (BININT*), so the ints of dense data
 * cost no object. Everything that takes a slot off the stack gets a `Value` (see `slotValue`).
 */
export type Slot = Value | number;

export function slotValue(s: Slot): Value {
  return typeof s === 'number' ? intValue(s) : s;
}

export class PickleStack {
  stack: Slot[] = [];
  marks: number[] = [];

  constructor(
    readonly lenient: boolean,
    private readonly maxDepth: number,
  ) {}

  private get fence(): number {
    const m = this.marks;
    return m.length ? m[m.length - 1]! : 0;
  }

  pop(at: number): Value {
    if (this.stack.length <= this.fence) {
      if (this.lenient) return { t: 'unknown', why: 'underflow' };
      fail('STACK_UNDERFLOW', 'unpickling stack underflow', at);
    }
    return slotValue(this.stack.pop()!);
  }

  top(at: number): Value {
    if (this.stack.length <= this.fence) {
      if (this.lenient) {
        const u: Value = { t: 'unknown', why: 'underflow' };
        this.stack.push(u);
        return u;
      }
      fail('STACK_UNDERFLOW', 'unpickling stack underflow', at);
    }
    const s = this.stack[this.stack.length - 1]!;
    return typeof s === 'number' ? (this.stack[this.stack.length - 1] = intValue(s)) : s;
  }

  push(v: Slot, at: number): void {
    this.stack.push(v);
    if (this.stack.length + this.marks.length > this.maxDepth) fail('LIMIT_EXCEEDED', `stack depth over ${this.maxDepth}`, at);
  }

  mark(at: number): void {
    this.marks.push(this.stack.length);
    if (this.stack.length + this.marks.length > this.maxDepth) fail('LIMIT_EXCEEDED', 'mark stack too deep', at);
  }

  /** POP removes a MARK if the mark is on top, as the C unpickler does. */
  popOne(at: number): void {
    const m = this.marks;
    if (m.length && m[m.length - 1] === this.stack.length) m.pop();
    else this.pop(at);
  }

  /** Everything since the last MARK, which is popped. */
  popMark(at: number): Value[] {
    const items = this.stack.splice(this.markIndex(at));
    for (let i = 0; i < items.length; i++) if (typeof items[i] === 'number') items[i] = intValue(items[i] as number);
    return items as Value[];
  }

  /** Drop everything from `from` on (pop by pop: setting `length` is a runtime call in V8). */
  truncate(from: number): void {
    const st = this.stack;
    while (st.length > from) st.pop();
  }

  /** The index of the last MARK (popped), for opcodes that consume "everything since MARK". */
  markIndex(at: number): number {
    if (this.marks.length === 0) {
      if (this.lenient) return 0;
      fail('STACK_UNDERFLOW', 'could not find MARK', at);
    }
    return this.marks.pop()!;
  }

  /** The container under a MARK batch: it must sit above the enclosing fence, as in the C unpickler. */
  batchTarget(m: number, at: number): Value {
    if (m <= this.fence || m > this.stack.length) {
      if (this.lenient) return { t: 'unknown', why: 'underflow' };
      fail('STACK_UNDERFLOW', 'unpickling stack underflow', at);
    }
    return slotValue(this.stack[m - 1]!);
  }
}
