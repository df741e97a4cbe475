/**
 * A stack-and-memo simulator of CPython's C unpickler. It executes every opcode symbolically: values
 * flow through PUT/GET/MEMOIZE/DUP exactly as in the real machine, every call (REDUCE, NEWOBJ,
 * NEWOBJ_EX, OBJ, INST) is attributed to a symbolic callable, and everything the real unpickler would
 * reject raises a `PickleError` with the offset, so a broken stream is never read as clean.
 */
import type { Budgets } from '../../model/budgets.js';
import { Arg, HIGHEST_PROTOCOL, OPS } from './opcodes.js';
import { evaluateCall, type EvalHost } from './evaluate.js';
import {
  decodeLatin1,
  decodeLong,
  decodeStringArg,
  decodeUtf8,
  parsePyFloat,
  parsePyInt,
  rawUnicodeEscape,
  TextError,
} from './text.js';
import {
  BOOL,
  CONTAINER_KEEP,
  FLOAT,
  intValue,
  NONE,
  STR_KEEP,
  type CallKind,
  type GlobalRef,
  type PayloadRef,
  type Value,
} from './values.js';
import type { Window } from './window.js';
import { joblibArrayLayout, type JoblibLayout } from './joblib.js';
import { PickleError, type PickleErrorCode } from './error.js';

export { PickleError, type PickleErrorCode } from './error.js';

export type CallValue = Extract<Value, { t: 'call' }>;

export interface MachineEvents {
  /** a global was imported (GLOBAL, STACK_GLOBAL, INST, or a resolver call that yields one) */
  global(g: GlobalRef, proto: number): void;
  call(call: CallValue, proto: number): void;
  computedGlobal(offset: number, module: Value, name: Value): void;
  ext(offset: number, code: number): void;
  mutation(offset: number, target: Value, op: string, state?: Value): void;
  /** [from, to): the bytes the two readings disagree about, to be re-read as opcodes */
  frameDivergence(offset: number, detail: string, from: number, to: number): void;
  persid(offset: number): void;
  /** a bytes/str payload that starts like a pickle (probe candidate) */
  embeddedPickle(ref: PayloadRef | Uint8Array, offset: number): void;
  buffer(offset: number): void;
}

export interface MachineOptions {
  budgets: Budgets;
  /** stack underflow and missing memo keys produce unknown values instead of errors (resync scans) */
  lenient?: boolean;
  /** deadline, ms since epoch */
  deadline: number;
}

const INLINE_MAX = 1 << 20; // payloads above this are skipped by offset, not copied
const MAX_LINE = 64 << 20;

const enum S {
  STOP,
  NEED,
  SKIP,
  JOBLIB,
}

let callIds = 0;

export class PickleMachine implements EvalHost {
  stack: Value[] = [];
  marks: number[] = [];
  /** memo: dense indices in an array, sparse ones (LONG_BINPUT 0xffffffff) in a map */
  private memoArr: Array<MemoSlot | undefined> = [];
  private memoMap = new Map<number, MemoSlot>();
  private memoSize = 0;
  private compactedUpTo = 0;
  proto = 0;
  opcodes = 0;
  pos: number;
  /** end of the current FRAME, or -1 */
  private frameEnd = -1;
  private need = 0;
  private joblib: JoblibLayout | undefined;
  private retained = 0;
  result: Value | undefined;

  constructor(
    private readonly win: Window,
    start: number,
    readonly ev: MachineEvents,
    private readonly opts: MachineOptions,
  ) {
    this.pos = start;
  }

  /** Run to STOP. Returns the offset just past STOP. Throws PickleError on anything the unpickler rejects. */
  async run(): Promise<number> {
    for (;;) {
      if (!(await this.win.ensure(this.pos, Math.min(65536, Math.max(1, this.win.size - this.pos))))) {
        throw new PickleError('LIMIT_EXCEEDED', 'window limit', this.pos);
      }
      if (this.pos >= this.win.size) throw new PickleError('TRUNCATED', 'pickle data was truncated (no STOP)', this.pos);
      const s = this.runSync();
      if (s === S.STOP) return this.pos;
      if (s === S.NEED) {
        if (this.need > MAX_LINE + 16) throw new PickleError('LIMIT_EXCEEDED', `opcode argument over ${MAX_LINE} bytes`, this.pos);
        if (!(await this.win.ensure(this.pos, this.need))) {
          throw new PickleError('LIMIT_EXCEEDED', `opcode needs ${this.need} bytes in memory`, this.pos);
        }
        if (this.win.end < this.pos + this.need && this.win.atEof) {
          throw new PickleError('TRUNCATED', 'pickle data was truncated', this.pos);
        }
      } else if (s === S.JOBLIB) {
        await this.joblibArray();
      }
      // SKIP: pos was moved past a large payload; the next ensure() repositions the window
    }
  }

  private fail(code: PickleErrorCode, msg: string, at: number): never {
    throw new PickleError(code, msg, at);
  }

  private get fence(): number {
    const m = this.marks;
    return m.length ? m[m.length - 1]! : 0;
  }

  private pop(at: number): Value {
    if (this.stack.length <= this.fence) {
      if (this.opts.lenient) return { t: 'unknown', why: 'underflow' };
      this.fail('STACK_UNDERFLOW', 'unpickling stack underflow', at);
    }
    return this.stack.pop()!;
  }

  private top(at: number): Value {
    if (this.stack.length <= this.fence) {
      if (this.opts.lenient) {
        const u: Value = { t: 'unknown', why: 'underflow' };
        this.stack.push(u);
        return u;
      }
      this.fail('STACK_UNDERFLOW', 'unpickling stack underflow', at);
    }
    return this.stack[this.stack.length - 1]!;
  }

  private popMark(at: number): Value[] {
    if (this.marks.length === 0) {
      if (this.opts.lenient) return this.stack.splice(0);
      this.fail('STACK_UNDERFLOW', 'could not find MARK', at);
    }
    const m = this.marks.pop()!;
    return this.stack.splice(m);
  }

  private push(v: Value, at: number): void {
    this.stack.push(v);
    if (this.stack.length + this.marks.length > this.opts.budgets.maxStackDepth) {
      this.fail('LIMIT_EXCEEDED', `stack depth over ${this.opts.budgets.maxStackDepth}`, at);
    }
  }

  private memoPut(idx: number, at: number): void {
    const v = this.top(at);
    const arr = this.memoArr;
    const dense = idx < arr.length + 65536;
    // never read past the end: out-of-bounds reads push V8 onto a slow path for the whole array
    const had = dense ? idx < arr.length && arr[idx] !== undefined : this.memoMap.has(idx);
    if (!had) {
      if (this.memoSize >= this.opts.budgets.maxMemoEntries) {
        this.fail('LIMIT_EXCEEDED', `memo over ${this.opts.budgets.maxMemoEntries} entries`, at);
      }
      this.memoSize++;
    }
    if (dense) this.memoArr[idx] = v;
    else this.memoMap.set(idx, v);
    if (!had && this.memoSize % MEMO_COMPACT_EVERY === 0) this.compactMemo();
  }

  /**
   * Dense benign pickles memoize millions of plain values. Every so often, replace memo slots that
   * carry nothing a later opcode could need (containers that kept no items, plain strings) by shared
   * stand-ins or bare strings, so memory tracks what matters rather than the object count. A GET of a
   * compacted container sees an empty one: a payload relying on that reads as unresolved (reported),
   * never as clean.
   */
  private compactMemo(): void {
    const arr = this.memoArr;
    // only the slots added since the last pass, minus a recent window still being filled
    const end = Math.max(this.compactedUpTo, arr.length - 4096);
    for (let i = this.compactedUpTo; i < end; i++) {
      const v = arr[i];
      if (v !== undefined && typeof v !== 'string') arr[i] = compactSlot(v);
    }
    this.compactedUpTo = end;
  }

  private memoGet(idx: number, at: number): void {
    const slot = idx < this.memoArr.length ? this.memoArr[idx] : this.memoMap.get(idx);
    const v: Value | undefined = typeof slot === 'string' ? { t: 'str', v: slot } : slot;
    if (v === undefined) {
      if (!this.opts.lenient) this.fail('MEMO_MISSING', `memo value not found at index ${idx}`, at);
      this.push({ t: 'unknown', why: `memo ${idx}` }, at);
      return;
    }
    this.push(v, at);
  }

  /**
   * Add stack[from..] to a container and drop them from the stack. Items are kept (a bounded prefix)
   * only when something could later read them: strings in lists (str.join), non-plain values in dicts
   * (joblib wrapper state, kwargs). Containers of plain numbers, and dicts of plain values, keep only
   * their count, which is what keeps dense benign pickles in bounded memory.
   */
  private addFromStack(target: Value, from: number, op: string, at: number): void {
    const st = this.stack;
    if (target.t === 'list' || target.t === 'set' || target.t === 'dict') {
      const count = st.length - from;
      if (target !== FROZEN_LIST && target !== FROZEN_DICT && target !== FROZEN_SET) {
        target.n += target.t === 'dict' ? count / 2 : count;
        if (keepBatch(target.t, st, from) && this.retained < this.opts.budgets.maxRetainedValues) {
          const limit = target.t === 'dict' ? CONTAINER_KEEP * 2 : CONTAINER_KEEP;
          if (target.items === NO_ITEMS) target.items = [];
          for (let i = from; i < st.length && target.items.length < limit; i++) target.items.push(st[i]!);
          this.retained += count;
        }
      }
    } else if (target.t === 'global' || target.t === 'module') {
      this.ev.mutation(at, target, op);
    }
    // on any other object this is a method call (append/extend/__setitem__/add) on an instance whose
    // class was already reported when it was imported
    st.length = from;
  }

  /** The container under a MARK batch: it must sit above the enclosing fence, as in the C unpickler. */
  private batchTarget(m: number, at: number): Value {
    if (m <= this.fence || m > this.stack.length) {
      if (this.opts.lenient) return { t: 'unknown', why: 'underflow' };
      this.fail('STACK_UNDERFLOW', 'unpickling stack underflow', at);
    }
    return this.stack[m - 1]!;
  }

  /** The index of the last MARK (popped), for opcodes that consume "everything since MARK". */
  private markIndex(at: number): number {
    if (this.marks.length === 0) {
      if (this.opts.lenient) return 0;
      this.fail('STACK_UNDERFLOW', 'could not find MARK', at);
    }
    return this.marks.pop()!;
  }

  /** A new empty mutable container, or a shared count-less stand-in once the retention budget is spent. */
  private empty(t: 'list' | 'dict' | 'set'): Value {
    if (this.retained >= this.opts.budgets.maxRetainedValues) return t === 'list' ? FROZEN_LIST : t === 'dict' ? FROZEN_DICT : FROZEN_SET;
    this.retained++;
    return { t, items: NO_ITEMS, n: 0 };
  }

  private container(t: 'list' | 'tuple' | 'set' | 'frozenset' | 'dict', items: Value[]): Value {
    const n = t === 'dict' ? items.length / 2 : items.length;
    if (t !== 'tuple' && !keepBatch(t, items, 0)) return { t, items: NO_ITEMS, n };
    const keep = t === 'dict' ? CONTAINER_KEEP * 2 : CONTAINER_KEEP;
    if (items.length > keep) items = items.slice(0, keep);
    if (this.retained < this.opts.budgets.maxRetainedValues) this.retained += items.length;
    else items = NO_ITEMS;
    return { t, items, n };
  }

  private call(kind: CallKind, fn: Value, args: Value[], at: number, kwargs?: Value): void {
    const c: CallValue = { t: 'call', fn, args, kwargs, offset: at, kind, id: ++callIds };
    this.ev.call(c, this.proto);
    const v = evaluateCall(c, this);
    // a string built at load time stays marked, so a STACK_GLOBAL fed by it is still "computed"
    this.push(v?.t === 'str' ? { ...v, computed: true } : (v ?? c), at);
  }

  /** EvalHost: a resolver call produced a new global reference. */
  emitGlobal(g: GlobalRef): void {
    this.ev.global(g, Math.max(this.proto, 4));
  }

  private global(module: string, name: string, at: number, via: string): Value {
    const g: GlobalRef = { module, name, offset: at, via };
    this.ev.global(g, this.proto);
    return { t: 'global', g };
  }

  private strArg(v: Value | undefined, what: string, at: number): string | undefined {
    if (v === undefined) return undefined;
    if (v.t === 'str') return v.truncated ? undefined : v.v;
    if (v.t === 'unknown' || v.t === 'call' || v.t === 'persid' || v.t === 'global' || v.t === 'module') return undefined;
    if (this.opts.lenient) return undefined;
    this.fail('PARSE_ERROR', `STACK_GLOBAL requires str ${what}, got ${v.t}`, at);
  }

  /** Decode a payload of `len` bytes at buffer index `p`; big ones become offset references. */
  private payload(b: Uint8Array, p: number, len: number, abs: number, enc: PayloadRef['encoding']): Value {
    if (len >= 16 && b[p] === 0x80 && b[p + 1]! >= 2 && b[p + 1]! <= 5) {
      this.ev.embeddedPickle(len <= INLINE_MAX ? b.slice(p, p + len) : { offset: abs, length: len, encoding: enc }, abs);
    }
    if (enc === 'bytes') {
      return len <= STR_KEEP ? { t: 'bytes', v: b.slice(p, p + len) } : { t: 'bytes', ref: { offset: abs, length: len, encoding: enc } };
    }
    const keep = Math.min(len, STR_KEEP);
    const s = keep <= 64 ? shortStr(b, p, keep, enc) : enc === 'utf8' ? decodeUtf8(b.subarray(p, p + keep)) : decodeLatin1(b.subarray(p, p + keep));
    return len <= STR_KEEP ? { t: 'str', v: s } : { t: 'str', v: s, truncated: true, ref: { offset: abs, length: len, encoding: enc } };
  }

  /** A payload too big for the window: reference it by offset, probe its head, and move on. */
  private bigPayload(start: number, len: number, enc: PayloadRef['encoding'], at: number): Value {
    if (start + len > this.win.size) this.fail('TRUNCATED', `payload of ${len} bytes runs past end of data`, at);
    const b = this.win.buf;
    const i = start - this.win.start;
    if (i + 2 <= this.win.len && b[i] === 0x80 && b[i + 1]! >= 2 && b[i + 1]! <= 5) {
      this.ev.embeddedPickle({ offset: start, length: len, encoding: enc }, start);
    }
    const ref: PayloadRef = { offset: start, length: len, encoding: enc };
    if (enc === 'bytes') return { t: 'bytes', ref };
    const headLen = Math.max(0, Math.min(STR_KEEP, this.win.len - i));
    const head = headLen > 0 ? b.subarray(i, i + headLen) : new Uint8Array(0);
    return { t: 'str', v: enc === 'utf8' ? decodeUtf8(head) : decodeLatin1(head), truncated: true, ref };
  }

  /** The synchronous opcode loop over the current window. */
  private runSync(): S {
    const win = this.win;
    const b = win.buf;
    const base = win.start;
    const end = win.len;
    const budgets = this.opts.budgets;
    let p = this.pos - base;
    for (;;) {
      if (p >= end) {
        this.pos = base + p;
        this.need = 1;
        return S.NEED;
      }
      const at = base + p;
      const code = b[p]!;
      const info = OPS[code];
      if (info === undefined) {
        this.fail('UNKNOWN_OPCODE', `invalid load key ${JSON.stringify(String.fromCharCode(code))} (0x${code.toString(16).padStart(2, '0')})`, at);
      }
      if (++this.opcodes > budgets.maxPickleOpcodes) this.fail('LIMIT_EXCEEDED', `over ${budgets.maxPickleOpcodes} opcodes`, at);
      if ((this.opcodes & 0xfffff) === 0 && Date.now() > this.opts.deadline) {
        this.fail('LIMIT_EXCEEDED', 'time budget exceeded', at);
      }
      // ---- decode the inline argument
      let q = p + 1; // index just past the argument
      let n = 0; // numeric argument
      let line = ''; // text argument
      let line2 = '';
      let plen = 0; // payload length
      switch (info.arg) {
        case Arg.None:
          break;
        case Arg.U1:
          if (q + 1 > end) return this.needMore(p, 2);
          n = b[q]!;
          q += 1;
          break;
        case Arg.U2:
          if (q + 2 > end) return this.needMore(p, 3);
          n = b[q]! | (b[q + 1]! << 8);
          q += 2;
          break;
        case Arg.I4:
        case Arg.U4:
          if (q + 4 > end) return this.needMore(p, 5);
          n = b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24);
          if (info.arg === Arg.U4) n >>>= 0;
          q += 4;
          break;
        case Arg.U8:
        case Arg.F8:
          if (q + 8 > end) return this.needMore(p, 9);
          q += 8;
          break;
        case Arg.Line: {
          const nl = b.indexOf(10, q);
          if (nl < 0 || nl >= end) return this.needLine(p, end);
          line = decodeLatin1(b.subarray(q, nl));
          q = nl + 1;
          break;
        }
        case Arg.TwoLines: {
          const nl = b.indexOf(10, q);
          if (nl < 0 || nl >= end) return this.needLine(p, end);
          const nl2 = b.indexOf(10, nl + 1);
          if (nl2 < 0 || nl2 >= end) return this.needLine(p, end);
          line = decodeUtf8(b.subarray(q, nl));
          line2 = decodeUtf8(b.subarray(nl + 1, nl2));
          q = nl2 + 1;
          break;
        }
        case Arg.Len1:
          if (q + 1 > end) return this.needMore(p, 2);
          plen = b[q]!;
          q += 1;
          break;
        case Arg.Len4:
        case Arg.Len4Signed:
          if (q + 4 > end) return this.needMore(p, 5);
          plen = b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24);
          if (info.arg === Arg.Len4) plen >>>= 0;
          else if (plen < 0) this.fail('PARSE_ERROR', `${info.name} pickle has negative byte count`, at);
          q += 4;
          break;
        case Arg.Len8: {
          if (q + 8 > end) return this.needMore(p, 9);
          const lo = (b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24)) >>> 0;
          const hi = (b[q + 4]! | (b[q + 5]! << 8) | (b[q + 6]! << 16) | (b[q + 7]! << 24)) >>> 0;
          if (hi >= 0x200000) this.fail('TRUNCATED', `${info.name} length exceeds any file (${hi} * 2^32)`, at);
          plen = hi * 0x100000000 + lo;
          q += 8;
          break;
        }
      }
      // payload-bearing opcodes: skip big payloads by offset, ask for small ones to be in the window
      let big: Value | undefined;
      if (info.arg === Arg.Len1 || info.arg === Arg.Len4 || info.arg === Arg.Len4Signed || info.arg === Arg.Len8) {
        const hdr = q - p;
        if (plen > INLINE_MAX && code !== 0x8b /* LONG4 stays inline-bounded */) {
          const enc = payloadEncoding(code);
          big = this.bigPayload(base + q, plen, enc, at);
          q += plen; // may be past the window: handled after the opcode
        } else if (q + plen > end) {
          if (code === 0x8b && plen > INLINE_MAX) this.fail('LIMIT_EXCEEDED', `LONG4 of ${plen} bytes`, at);
          return this.needMore(p, hdr + plen);
        } else {
          q += plen;
        }
      }
      // frame accounting: an opcode straddling its frame, or a frame inside a frame, is read
      // differently by the C and Python unpicklers (cpython issue 154848)
      if (this.frameEnd >= 0) {
        const opEnd = base + q;
        if (at >= this.frameEnd) this.frameEnd = -1;
        else if (opEnd > this.frameEnd) {
          this.ev.frameDivergence(at, `${info.name} at ${at} runs past the end of its FRAME at ${this.frameEnd}`, at + 1, opEnd + 16);
          this.frameEnd = -1;
        }
      }

      // ---- execute
      switch (code) {
        case 0x28: // MARK
          this.marks.push(this.stack.length);
          if (this.stack.length + this.marks.length > budgets.maxStackDepth) this.fail('LIMIT_EXCEEDED', 'mark stack too deep', at);
          break;
        case 0x2e: // STOP
          this.result = this.pop(at);
          this.pos = base + q;
          return S.STOP;
        case 0x30: {
          // POP: pops a MARK if the mark is on top, as the C unpickler does
          const m = this.marks;
          if (m.length && m[m.length - 1] === this.stack.length) m.pop();
          else this.pop(at);
          break;
        }
        case 0x31: // POP_MARK
          this.popMark(at);
          break;
        case 0x32: // DUP
          this.push(this.top(at), at);
          break;
        case 0x46: {
          // FLOAT
          try {
            parsePyFloat(line);
          } catch (e) {
            this.textFail(e, at);
          }
          this.push(FLOAT, at);
          break;
        }
        case 0x49: {
          // INT: "00"/"01" are False/True
          if (line === '00' || line === '01') this.push(BOOL, at);
          else this.push(intValue(this.pyInt(line, true, at)), at);
          break;
        }
        case 0x4a: // BININT
        case 0x4b: // BININT1
        case 0x4d: // BININT2
          this.push(intValue(n), at);
          break;
        case 0x4c: {
          // LONG
          const s = line.endsWith('L') ? line.slice(0, -1) : line;
          this.push(intValue(this.pyInt(s, false, at)), at);
          break;
        }
        case 0x4e: // NONE
          this.push(NONE, at);
          break;
        case 0x50: {
          // PERSID
          if (!isAscii(line)) this.fail('PARSE_ERROR', 'persistent IDs in protocol 0 must be ASCII strings', at);
          this.ev.persid(at);
          this.push({ t: 'persid', pid: { t: 'str', v: line.slice(0, STR_KEEP) }, offset: at }, at);
          break;
        }
        case 0x51: {
          // BINPERSID
          const pid = this.pop(at);
          this.ev.persid(at);
          this.push(legacyTorchModuleClass(pid) ?? { t: 'persid', pid, offset: at }, at);
          break;
        }
        case 0x52: {
          // REDUCE
          const args = this.pop(at);
          const fn = this.pop(at);
          this.call('REDUCE', fn, argList(args), at);
          break;
        }
        case 0x53: {
          // STRING
          let s: string;
          try {
            s = decodeStringArg(line);
          } catch (e) {
            this.textFail(e, at);
          }
          this.push(s.length <= STR_KEEP ? { t: 'str', v: s } : { t: 'str', v: s.slice(0, STR_KEEP), truncated: true }, at);
          break;
        }
        case 0x54: // BINSTRING
        case 0x55: // SHORT_BINSTRING
          this.push(big ?? this.payload(b, q - plen, plen, base + q - plen, 'latin1'), at);
          break;
        case 0x56: {
          // UNICODE (raw-unicode-escape)
          let s: string;
          try {
            s = rawUnicodeEscape(line);
          } catch (e) {
            this.textFail(e, at);
          }
          this.push(s.length <= STR_KEEP ? { t: 'str', v: s } : { t: 'str', v: s.slice(0, STR_KEEP), truncated: true }, at);
          break;
        }
        case 0x58: // BINUNICODE
        case 0x8c: // SHORT_BINUNICODE
        case 0x8d: // BINUNICODE8
          this.push(big ?? this.payload(b, q - plen, plen, base + q - plen, 'utf8'), at);
          break;
        case 0x42: // BINBYTES
        case 0x43: // SHORT_BINBYTES
        case 0x8e: // BINBYTES8
          this.push(big ?? this.payload(b, q - plen, plen, base + q - plen, 'bytes'), at);
          break;
        case 0x96: {
          // BYTEARRAY8
          const v = big ?? this.payload(b, q - plen, plen, base + q - plen, 'bytes');
          if (v.t === 'bytes') v.mutable = true;
          this.push(v, at);
          break;
        }
        case 0x61: {
          // APPEND
          const v = this.pop(at);
          const target = this.top(at);
          this.stack.push(v);
          this.addFromStack(target, this.stack.length - 1, 'APPEND', at);
          break;
        }
        case 0x65: {
          // APPENDS
          const m = this.markIndex(at);
          this.addFromStack(this.batchTarget(m, at), m, 'APPENDS', at);
          break;
        }
        case 0x62: {
          // BUILD
          const state = this.pop(at);
          const inst = this.top(at);
          if (inst.t === 'global' || inst.t === 'module') this.ev.mutation(at, inst, 'BUILD', state);
          else if (inst.t === 'call') {
            inst.state = state;
            const layout = joblibArrayLayout(inst, state);
            if (layout) {
              this.joblib = layout;
              this.pos = base + q;
              return S.JOBLIB;
            }
          }
          break;
        }
        case 0x63: {
          // GLOBAL
          this.push(this.global(line, line2, at, 'GLOBAL'), at);
          break;
        }
        case 0x64: {
          // DICT
          const items = this.popMark(at);
          if (items.length % 2) this.fail('PARSE_ERROR', 'odd number of items for DICT', at);
          this.push(this.container('dict', items), at);
          break;
        }
        case 0x7d: // EMPTY_DICT
          this.push(this.empty('dict'), at);
          break;
        case 0x67: // GET
          this.memoGet(Number(this.pyInt(line, false, at)), at);
          break;
        case 0x68: // BINGET
        case 0x6a: // LONG_BINGET
          this.memoGet(n, at);
          break;
        case 0x69: {
          // INST
          const cls = this.global(line, line2, at, 'INST');
          const args = this.popMark(at);
          this.call('INST', cls, args, at);
          break;
        }
        case 0x6c: // LIST
          this.push(this.container('list', this.popMark(at)), at);
          break;
        case 0x5d: // EMPTY_LIST
          this.push(this.empty('list'), at);
          break;
        case 0x6f: {
          // OBJ
          const items = this.popMark(at);
          if (items.length === 0) {
            if (!this.opts.lenient) this.fail('STACK_UNDERFLOW', 'OBJ with no class after MARK', at);
            items.push({ t: 'unknown', why: 'underflow' });
          }
          this.call('OBJ', items[0]!, items.slice(1), at);
          break;
        }
        case 0x70: {
          // PUT
          const idx = this.pyInt(line, false, at);
          if (idx < 0n) this.fail('PARSE_ERROR', 'negative PUT argument', at);
          this.memoPut(Number(idx), at);
          break;
        }
        case 0x71: // BINPUT
        case 0x72: // LONG_BINPUT
          this.memoPut(n, at);
          break;
        case 0x94: // MEMOIZE: the next index is the memo's current size
          this.memoPut(this.memoSize, at);
          break;
        case 0x73: {
          // SETITEM
          const v = this.pop(at);
          const k = this.pop(at);
          const target = this.top(at);
          this.stack.push(k, v);
          this.addFromStack(target, this.stack.length - 2, 'SETITEMS', at);
          break;
        }
        case 0x75: {
          // SETITEMS
          const m = this.markIndex(at);
          if ((this.stack.length - m) % 2) this.fail('PARSE_ERROR', 'odd number of items for SETITEMS', at);
          this.addFromStack(this.batchTarget(m, at), m, 'SETITEMS', at);
          break;
        }
        case 0x74: // TUPLE
          this.push(this.container('tuple', this.popMark(at)), at);
          break;
        case 0x29: // EMPTY_TUPLE
          this.push({ t: 'tuple', items: [], n: 0 }, at);
          break;
        case 0x85: // TUPLE1
        case 0x86: // TUPLE2
        case 0x87: {
          // TUPLE3
          const k = code - 0x84;
          const items: Value[] = new Array<Value>(k);
          for (let i = k - 1; i >= 0; i--) items[i] = this.pop(at);
          this.push(this.container('tuple', items), at);
          break;
        }
        case 0x47: // BINFLOAT
          this.push(FLOAT, at);
          break;
        case 0x80: // PROTO
          if (n > HIGHEST_PROTOCOL) this.fail('UNSUPPORTED', `unsupported pickle protocol: ${n}`, at);
          this.proto = n;
          break;
        case 0x81: {
          // NEWOBJ
          const args = this.pop(at);
          const cls = this.pop(at);
          this.call('NEWOBJ', cls, argList(args), at);
          break;
        }
        case 0x92: {
          // NEWOBJ_EX
          const kwargs = this.pop(at);
          const args = this.pop(at);
          const cls = this.pop(at);
          this.call('NEWOBJ_EX', cls, argList(args), at, kwargs);
          break;
        }
        case 0x82: // EXT1
        case 0x83: // EXT2
        case 0x84: {
          // EXT4
          if (n <= 0) this.fail('PARSE_ERROR', 'EXT specifies code <= 0', at);
          this.ev.ext(at, n);
          this.push({ t: 'global', g: { module: '<copyreg extension>', name: String(n), offset: at, via: info.name } }, at);
          break;
        }
        case 0x88: // NEWTRUE
        case 0x89: // NEWFALSE
          this.push(BOOL, at);
          break;
        case 0x8a: // LONG1
        case 0x8b: // LONG4
          this.push(intValue(plen <= 16 ? decodeLong(b.subarray(q - plen, q)) : 0n), at);
          break;
        case 0x8f: // EMPTY_SET
          this.push(this.empty('set'), at);
          break;
        case 0x90: {
          // ADDITEMS
          const m = this.markIndex(at);
          this.addFromStack(this.batchTarget(m, at), m, 'ADDITEMS', at);
          break;
        }
        case 0x91: // FROZENSET
          this.push(this.container('frozenset', this.popMark(at)), at);
          break;
        case 0x93: {
          // STACK_GLOBAL
          const nameV = this.pop(at);
          const modV = this.pop(at);
          const mod = this.strArg(modV, 'module', at);
          const name = this.strArg(nameV, 'name', at);
          if (mod === undefined || name === undefined) {
            this.ev.computedGlobal(at, modV, nameV);
            this.push({ t: 'global', g: { module: mod ?? '<computed>', name: name ?? '<computed>', offset: at, via: 'STACK_GLOBAL' } }, at);
          } else {
            if ((modV.t === 'str' && modV.computed) || (nameV.t === 'str' && nameV.computed)) this.ev.computedGlobal(at, modV, nameV);
            this.push(this.global(mod, name, at, 'STACK_GLOBAL'), at);
          }
          break;
        }
        case 0x95: {
          // FRAME: the C unpickler only checks the frame is fully present, then reads on linearly
          const lo = (b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24)) >>> 0;
          const hi = (b[p + 5]! | (b[p + 6]! << 8) | (b[p + 7]! << 16) | (b[p + 8]! << 24)) >>> 0;
          const flen = hi * 0x100000000 + lo;
          if (hi >= 0x80000000) this.fail('PARSE_ERROR', "FRAME length exceeds system's maximum", at);
          if (base + q + flen > win.size) this.fail('TRUNCATED', `FRAME of ${flen} bytes runs past end of data`, at);
          if (this.frameEnd >= 0 && at < this.frameEnd) {
            this.ev.frameDivergence(at, `FRAME at ${at} begins inside the frame ending at ${this.frameEnd}`, at + 1, this.frameEnd + 16);
          }
          this.frameEnd = base + q + flen;
          break;
        }
        case 0x97: // NEXT_BUFFER
          this.ev.buffer(at);
          this.push({ t: 'buffer', offset: at }, at);
          break;
        case 0x98: // READONLY_BUFFER
          this.top(at);
          break;
        default:
          this.fail('UNKNOWN_OPCODE', `opcode ${info.name} not handled`, at);
      }
      p = q;
      if (p > end) {
        // skipped a payload beyond the window
        this.pos = base + p;
        return S.SKIP;
      }
    }
  }

  private needMore(p: number, n: number): S {
    this.pos = this.win.start + p;
    this.need = n;
    return S.NEED;
  }

  private needLine(p: number, end: number): S {
    this.pos = this.win.start + p;
    const have = end - p;
    if (this.win.atEof) throw new PickleError('TRUNCATED', 'pickle data was truncated (unterminated line)', this.pos);
    if (have >= MAX_LINE) throw new PickleError('LIMIT_EXCEEDED', `text argument over ${MAX_LINE} bytes`, this.pos);
    this.need = Math.min(MAX_LINE + 1, Math.max(have * 2, 65536));
    return S.NEED;
  }

  private pyInt(s: string, base0: boolean, at: number): bigint {
    try {
      return parsePyInt(s, base0);
    } catch (e) {
      this.textFail(e, at);
    }
  }

  private textFail(e: unknown, at: number): never {
    if (e instanceof TextError) this.fail('PARSE_ERROR', e.message, at);
    throw e;
  }

  /**
   * joblib writes each numpy array's raw bytes straight after the BUILD of its NumpyArrayWrapper
   * (with an alignment pad), or, for object arrays, a whole pickle. Step over the first and scan
   * the second as part of this stream.
   */
  private async joblibArray(): Promise<void> {
    const layout = this.joblib!;
    this.joblib = undefined;
    let pos = this.pos;
    if (layout.aligned) {
      await this.win.ensure(pos, 1);
      if (pos >= this.win.size) this.fail('TRUNCATED', 'joblib array padding missing', pos);
      const pad = this.win.buf[pos - this.win.start]!;
      pos += 1 + pad;
    }
    if (layout.objectArray) {
      const inner = new PickleMachine(this.win, pos, this.ev, this.opts);
      this.pos = await inner.run();
      this.opcodes += inner.opcodes;
      return;
    }
    if (pos + layout.nbytes > this.win.size) {
      this.fail('TRUNCATED', `joblib array of ${layout.nbytes} bytes runs past end of data`, pos);
    }
    this.pos = pos + layout.nbytes;
  }
}

function payloadEncoding(code: number): PayloadRef['encoding'] {
  if (code === 0x58 || code === 0x8c || code === 0x8d) return 'utf8';
  if (code === 0x54 || code === 0x55) return 'latin1';
  return 'bytes';
}

/** REDUCE/NEWOBJ take an argument tuple; anything else is still recorded as a single argument. */
function argList(v: Value): Value[] {
  if (v.t === 'tuple') return v.items;
  return [v];
}

/**
 * Legacy (pre-zip) torch.save pickles classes as persistent ids `("module", cls, source_file,
 * source)`, and torch's persistent_load returns `cls`. Treat the id as the class it names, so the
 * call that follows is attributed to that (already reported) global.
 */
function legacyTorchModuleClass(pid: Value): Value | undefined {
  if (pid.t !== 'tuple' || pid.items.length < 2) return undefined;
  const [tag, cls] = pid.items;
  return tag?.t === 'str' && tag.v === 'module' && cls?.t === 'global' ? cls : undefined;
}

/** Shared stand-ins for containers created after the retention budget is spent: items are not kept. */
const FROZEN_LIST: Value = { t: 'list', items: [], n: 0 };
const FROZEN_DICT: Value = { t: 'dict', items: [], n: 0 };
const FROZEN_SET: Value = { t: 'set', items: [], n: 0 };

/** Short strings (dict keys, module names) without a TextDecoder call: ASCII is the common case. */
function shortStr(b: Uint8Array, p: number, n: number, enc: PayloadRef['encoding']): string {
  let s = '';
  for (let i = p; i < p + n; i++) {
    const c = b[i]!;
    if (c >= 0x80 && enc === 'utf8') return decodeUtf8(b.subarray(p, p + n));
    s += String.fromCharCode(c);
  }
  return s;
}

/** Shared empty item list: containers allocate their own only when they keep something. */
const NO_ITEMS: Value[] = [];

/** Whether a batch of new items could matter later (see addFromStack). */
function keepBatch(t: Value['t'], items: Value[], from: number): boolean {
  for (let i = from; i < items.length; i++) {
    const v = items[i]!;
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

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** A memo slot: a value, or a plain string kept bare (see compactMemo). */
type MemoSlot = Value | string;

/** Memo entries between compactions. */
const MEMO_COMPACT_EVERY = 1 << 18;
const FROZEN_TUPLE: Value = { t: 'tuple', items: [], n: 0 };

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
