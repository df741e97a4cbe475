/**
 * A stack-and-memo simulator of CPython's C unpickler. It executes every opcode symbolically: values
 * flow through PUT/GET/MEMOIZE/DUP exactly as in the real machine, every call (REDUCE, NEWOBJ,
 * NEWOBJ_EX, OBJ, INST) is attributed to a symbolic callable, and everything the real unpickler would
 * reject raises a `PickleError` with the offset, so a broken stream is never read as clean.
 *
 * The opcode loop is one synchronous switch over the current window; `run` refills the window
 * between passes.
 */
import { argI4, argU2, argU4, BIG_PAYLOAD, decodeArg, NEED_LINE, OpArg } from './args.js';
import { Containers } from './containers.js';
import { CODE_OPCODES, MemoKeys } from './data-only.js';
import { fail } from './error.js';
import type { EvalHost } from './evaluate.js';
import type { MachineEvents, MachineOptions } from './events.js';
import { Frames } from './frames.js';
import type { JoblibLayout } from './joblib.js';
import { floatLine, getIndex, intLine, longLine, putIndex, stringLine, unicodeLine } from './lines.js';
import { Memo } from './memo.js';
import { FIXED, NOT_AN_OPCODE, OPS, VARIABLE, type Op } from './opcodes.js';
import {
  addBatch, addTop, binPersid, build, dict, ext, importGlobal, inst, memoGet, newObj, newObjEx, nextBuffer, obj, persid,
  reduce, setProto, stackGlobal, tupleN,
} from './ops.js';
import { bigArg, bytearray, inlineArg, longArg, probeInlineArg } from './payload.js';
import { PickleStack } from './stack.js';
import { BOOL, FLOAT, NONE, STR_KEEP, type GlobalRef, type Value } from './values.js';
import type { Window } from './window.js';

export { PickleError, type PickleErrorCode } from './error.js';
export type { CallValue, MachineEvents, MachineOptions } from './events.js';

const MAX_LINE = 64 << 20;

const enum S {
  STOP,
  NEED,
  SKIP,
  JOBLIB,
  /** a GET of a memoized string whose bytes have left the window */
  MEMO_READ,
  /** the data-only pass met an opcode that can import or call something */
  CODE,
}

export class PickleMachine extends PickleStack implements EvalHost {
  readonly memo: Memo;
  readonly containers: Containers;
  proto = 0;
  opcodes = 0;
  pos: number;
  result: Value | undefined;
  /** the layout BUILD found, for `run` to step over the array bytes */
  joblib: JoblibLayout | undefined;
  /** per machine, so a stream's call ids do not depend on what was scanned before it */
  callIds = 0;
  private readonly frames: Frames;
  private need = 0;
  /** `need` is a read-ahead guess (a text line whose end is not in sight), not a length the data owes */
  private needIsGuess = false;
  private readonly arg = new OpArg();
  /** the string the last payload opcode pushed, and where its bytes are, so the memo can keep a reference */
  private lastStr: Value | undefined;
  private lastStrOff = 0;
  private lastStrLen = 0;
  private lastStrLatin1 = false;
  /** the offset of the GET whose string is being read back */
  private readAt = 0;
  /** the data-only pass: the stack's depth, the MARKs' depths, the memo's keys */
  private depth = 0;
  private readonly dmarks: number[] = [];
  private keys: MemoKeys | undefined;

  constructor(
    private readonly win: Window,
    start: number,
    readonly ev: MachineEvents,
    private readonly opts: MachineOptions,
  ) {
    super(opts.lenient ?? false, opts.budgets.maxStackDepth);
    this.memo = new Memo(opts.budgets.maxMemoEntries, win);
    this.containers = new Containers(opts.budgets.maxRetainedValues);
    this.frames = new Frames(ev);
    this.pos = start;
  }

  /** Run to STOP. Returns the offset just past STOP. Throws PickleError on anything the unpickler rejects. */
  async run(): Promise<number> {
    return this.drive(false);
  }

  /**
   * The data-only pass (data-only.ts): run to STOP counting instead of building values. Returns the
   * offset just past STOP, or -1 at the first opcode that can import or call something, or where the
   * window would move over a reader with latency (nothing was reported: run a fresh machine from the start). Throws the PickleError the full machine would.
   * `result` stays undefined. Its events are the full machine's for the stream (hold them until it ends).
   */
  async runDataOnly(): Promise<number> {
    return this.drive(true);
  }

  private async drive(dataOnly: boolean): Promise<number> {
    for (;;) {
      if (!(await this.win.ensure(this.pos, Math.min(65536, Math.max(1, this.win.size - this.pos))))) {
        fail('LIMIT_EXCEEDED', 'window limit', this.pos);
      }
      if (this.pos >= this.win.size) fail('TRUNCATED', 'pickle data was truncated (no STOP)', this.pos);
      const s = dataOnly ? this.runSyncData() : this.runSync();
      if (s === S.STOP) return this.pos;
      if (s === S.CODE) return -1;
      // over a reader with latency the pass stays in the window it started in: the full machine, if it
      // must run after all, then reads nothing twice (a local file is read again from the page cache)
      if (dataOnly && this.win.latency) return -1;
      if (s === S.NEED) await this.fetchNeed();
      else if (s === S.JOBLIB) await this.joblibArray();
      else if (s === S.MEMO_READ) this.push(await this.memo.read(), this.readAt);
      // SKIP: pos was moved past a large payload; the next ensure() repositions the window
    }
  }

  /** The synchronous opcode loop over the current window: one case per opcode, each a line or a call. */
  private runSync(): S {
    const b = this.win.buf;
    const base = this.win.start;
    const end = this.win.len;
    const a = this.arg;
    let p = this.pos - base;
    for (;;) {
      if (p >= end) return this.needMore(p, 1);
      const at = base + p;
      const code = b[p]!;
      const k = FIXED[code]!;
      if (k === NOT_AN_OPCODE) unknownOpcode(code, at);
      this.count(at);
      let big: Value | undefined;
      if (k !== VARIABLE) {
        if (p + 1 + k > end) return this.needMore(p, k + 1);
        a.q = p + 1 + k;
      } else {
        const info = OPS[code]!;
        const got = decodeArg(a, b, p, end, info, at);
        if (got === BIG_PAYLOAD) big = bigArg(this.ev, this.win, a, info, end, at);
        else if (got === NEED_LINE) return this.needLine(p, end);
        else if (got !== 0) return this.needMore(p, got);
      }
      if (this.frames.end >= 0) this.frames.check(OPS[code]!, at, base + a.q);
      // each case is the opcode's literal byte, checked against Op (see there for why not `case Op.X`)
      // prettier-ignore
      switch (code) {
        case 0x28 satisfies Op.MARK: this.mark(at); break;
        case 0x2e satisfies Op.STOP: return this.stop(at);
        case 0x30 satisfies Op.POP: this.popOne(at); break;
        case 0x31 satisfies Op.POP_MARK: this.popMark(at); break;
        case 0x32 satisfies Op.DUP: this.dup(at); break;
        case 0x46 satisfies Op.FLOAT: this.push(floatLine(a.line, at), at); break;
        case 0x49 satisfies Op.INT: this.push(intLine(a.line, at), at); break;
        case 0x4a satisfies Op.BININT: this.push(argI4(b, p), at); break;
        case 0x4b satisfies Op.BININT1: this.push(b[p + 1]!, at); break;
        case 0x4d satisfies Op.BININT2: this.push(argU2(b, p), at); break;
        case 0x4c satisfies Op.LONG: this.push(longLine(a.line, at), at); break;
        case 0x4e satisfies Op.NONE: this.push(NONE, at); break;
        case 0x50 satisfies Op.PERSID: persid(this, a.line, at); break;
        case 0x51 satisfies Op.BINPERSID: binPersid(this, at); break;
        case 0x52 satisfies Op.REDUCE: reduce(this, at); break;
        case 0x53 satisfies Op.STRING: this.push(stringLine(a.line, at), at); break;
        case 0x54 satisfies Op.BINSTRING: case 0x55 satisfies Op.SHORT_BINSTRING: this.pushStr(big, b, base, 'latin1', at); break;
        case 0x56 satisfies Op.UNICODE: this.push(unicodeLine(a.line, at), at); break;
        case 0x58 satisfies Op.BINUNICODE: case 0x8c satisfies Op.SHORT_BINUNICODE: case 0x8d satisfies Op.BINUNICODE8: this.pushStr(big, b, base, 'utf8', at); break;
        case 0x42 satisfies Op.BINBYTES: case 0x43 satisfies Op.SHORT_BINBYTES: case 0x8e satisfies Op.BINBYTES8: this.push(big ?? inlineArg(this.ev, b, base, a, 'bytes'), at); break;
        case 0x96 satisfies Op.BYTEARRAY8: this.push(bytearray(big ?? inlineArg(this.ev, b, base, a, 'bytes')), at); break;
        case 0x61 satisfies Op.APPEND: addTop(this, 1, 'APPEND', at); break;
        case 0x65 satisfies Op.APPENDS: addBatch(this, 'APPENDS', at); break;
        case 0x62 satisfies Op.BUILD: if (build(this, at)) return this.suspend(S.JOBLIB); break;
        case 0x63 satisfies Op.GLOBAL: this.push(importGlobal(this, a.line, a.line2, at, 'GLOBAL'), at); break;
        case 0x64 satisfies Op.DICT: dict(this, at); break;
        case 0x7d satisfies Op.EMPTY_DICT: this.push(this.containers.empty('dict'), at); break;
        case 0x67 satisfies Op.GET: if (memoGet(this, getIndex(a.line, at), at)) return this.memoRead(at); break;
        case 0x68 satisfies Op.BINGET: if (memoGet(this, b[p + 1]!, at)) return this.memoRead(at); break;
        case 0x6a satisfies Op.LONG_BINGET: if (memoGet(this, argU4(b, p), at)) return this.memoRead(at); break;
        case 0x69 satisfies Op.INST: inst(this, a.line, a.line2, at); break;
        case 0x6c satisfies Op.LIST: this.push(this.containers.make('list', this.popMark(at)), at); break;
        case 0x5d satisfies Op.EMPTY_LIST: this.push(this.containers.empty('list'), at); break;
        case 0x6f satisfies Op.OBJ: obj(this, at); break;
        case 0x70 satisfies Op.PUT: this.memoize(putIndex(a.line, at), at); break;
        case 0x71 satisfies Op.BINPUT: this.memoize(b[p + 1]!, at); break;
        case 0x72 satisfies Op.LONG_BINPUT: this.memoize(argU4(b, p), at); break;
        // MEMOIZE: the next index is the memo's current size
        case 0x94 satisfies Op.MEMOIZE: this.memoize(this.memo.size, at); break;
        // SETITEM reports a mutation under the name of its batch form, as it always has
        case 0x73 satisfies Op.SETITEM: addTop(this, 2, 'SETITEMS', at); break;
        case 0x75 satisfies Op.SETITEMS: addBatch(this, 'SETITEMS', at); break;
        case 0x74 satisfies Op.TUPLE: this.push(this.containers.make('tuple', this.popMark(at)), at); break;
        case 0x29 satisfies Op.EMPTY_TUPLE: this.push({ t: 'tuple', items: [], n: 0 }, at); break;
        case 0x85 satisfies Op.TUPLE1: tupleN(this, 1, at); break;
        case 0x86 satisfies Op.TUPLE2: tupleN(this, 2, at); break;
        case 0x87 satisfies Op.TUPLE3: tupleN(this, 3, at); break;
        case 0x47 satisfies Op.BINFLOAT: this.push(FLOAT, at); break;
        case 0x80 satisfies Op.PROTO: setProto(this, b[p + 1]!, at); break;
        case 0x81 satisfies Op.NEWOBJ: newObj(this, at); break;
        case 0x92 satisfies Op.NEWOBJ_EX: newObjEx(this, at); break;
        case 0x82 satisfies Op.EXT1: ext(this, b[p + 1]!, 'EXT1', at); break;
        case 0x83 satisfies Op.EXT2: ext(this, argU2(b, p), 'EXT2', at); break;
        case 0x84 satisfies Op.EXT4: ext(this, argI4(b, p), 'EXT4', at); break;
        case 0x88 satisfies Op.NEWTRUE: case 0x89 satisfies Op.NEWFALSE: this.push(BOOL, at); break;
        case 0x8a satisfies Op.LONG1: case 0x8b satisfies Op.LONG4: this.push(longArg(b, a), at); break;
        case 0x8f satisfies Op.EMPTY_SET: this.push(this.containers.empty('set'), at); break;
        case 0x90 satisfies Op.ADDITEMS: addBatch(this, 'ADDITEMS', at); break;
        case 0x91 satisfies Op.FROZENSET: this.push(this.containers.make('frozenset', this.popMark(at)), at); break;
        case 0x93 satisfies Op.STACK_GLOBAL: stackGlobal(this, at); break;
        case 0x95 satisfies Op.FRAME: this.frames.enter(b, p, at, base + a.q, this.win.size); break;
        case 0x97 satisfies Op.NEXT_BUFFER: nextBuffer(this, at); break;
        case 0x98 satisfies Op.READONLY_BUFFER: this.top(at); break;
        default: fail('UNKNOWN_OPCODE', `opcode ${OPS[code]!.name} not handled`, at);
      }
      p = a.q;
      // skipped a payload beyond the window
      if (p > end) return this.suspend(S.SKIP);
    }
  }

  /**
   * runSync's loop for the data-only pass: the same decoding, budgets and frame checks, and for each
   * data opcode the same checks on counts (see the count helpers below); a code opcode ends the pass.
   */
  private runSyncData(): S {
    const b = this.win.buf;
    const base = this.win.start;
    const end = this.win.len;
    const a = this.arg;
    const keys = (this.keys ??= new MemoKeys(this.opts.budgets.maxMemoEntries));
    let p = this.pos - base;
    for (;;) {
      if (p >= end) return this.needMore(p, 1);
      const at = base + p;
      const code = b[p]!;
      if (CODE_OPCODES[code]) {
        this.pos = at;
        return S.CODE;
      }
      const k = FIXED[code]!;
      if (k === NOT_AN_OPCODE) unknownOpcode(code, at);
      this.count(at);
      let big = false;
      if (k !== VARIABLE) {
        if (p + 1 + k > end) return this.needMore(p, k + 1);
        a.q = p + 1 + k;
      } else {
        const info = OPS[code]!;
        const got = decodeArg(a, b, p, end, info, at);
        if (got === BIG_PAYLOAD) {
          bigArg(this.ev, this.win, a, info, end, at);
          big = true;
        } else if (got === NEED_LINE) return this.needLine(p, end);
        else if (got !== 0) return this.needMore(p, got);
      }
      if (this.frames.end >= 0) this.frames.check(OPS[code]!, at, base + a.q);
      // prettier-ignore
      switch (code) {
        case 0x28 satisfies Op.MARK: this.cMark(at); break;
        case 0x2e satisfies Op.STOP: this.cPop(1, at); return this.suspend(S.STOP);
        case 0x30 satisfies Op.POP: if (this.dmarks.length && this.dmarks[this.dmarks.length - 1] === this.depth) this.dmarks.pop(); else this.cPop(1, at); break;
        case 0x31 satisfies Op.POP_MARK: this.depth = this.cMarkIndex(at); break;
        case 0x32 satisfies Op.DUP: this.cPop(1, at); this.depth++; this.cPush(at); break;
        case 0x46 satisfies Op.FLOAT: floatLine(a.line, at); this.cPush(at); break;
        case 0x49 satisfies Op.INT: intLine(a.line, at); this.cPush(at); break;
        case 0x4c satisfies Op.LONG: longLine(a.line, at); this.cPush(at); break;
        case 0x53 satisfies Op.STRING: stringLine(a.line, at); this.cPush(at); break;
        case 0x56 satisfies Op.UNICODE: unicodeLine(a.line, at); this.cPush(at); break;
        case 0x4a satisfies Op.BININT: case 0x4b satisfies Op.BININT1: case 0x4d satisfies Op.BININT2: case 0x4e satisfies Op.NONE:
        case 0x47 satisfies Op.BINFLOAT: case 0x88 satisfies Op.NEWTRUE: case 0x89 satisfies Op.NEWFALSE:
        case 0x8a satisfies Op.LONG1: case 0x8b satisfies Op.LONG4:
        case 0x7d satisfies Op.EMPTY_DICT: case 0x5d satisfies Op.EMPTY_LIST: case 0x29 satisfies Op.EMPTY_TUPLE: case 0x8f satisfies Op.EMPTY_SET:
          this.cPush(at); break;
        case 0x54 satisfies Op.BINSTRING: case 0x55 satisfies Op.SHORT_BINSTRING:
          if (!big) probeInlineArg(this.ev, b, base, a, 'latin1');
          this.cPush(at); break;
        case 0x58 satisfies Op.BINUNICODE: case 0x8c satisfies Op.SHORT_BINUNICODE: case 0x8d satisfies Op.BINUNICODE8:
          if (!big) probeInlineArg(this.ev, b, base, a, 'utf8');
          this.cPush(at); break;
        case 0x42 satisfies Op.BINBYTES: case 0x43 satisfies Op.SHORT_BINBYTES: case 0x8e satisfies Op.BINBYTES8: case 0x96 satisfies Op.BYTEARRAY8:
          if (!big) probeInlineArg(this.ev, b, base, a, 'bytes');
          this.cPush(at); break;
        // APPEND: the value and the list under it; SETITEM: key, value and the dict under them
        case 0x61 satisfies Op.APPEND: this.cPop(2, at); this.depth++; break;
        case 0x73 satisfies Op.SETITEM: this.cPop(3, at); this.depth++; break;
        case 0x65 satisfies Op.APPENDS: case 0x90 satisfies Op.ADDITEMS: this.cBatch(false, at); break;
        case 0x75 satisfies Op.SETITEMS: this.cBatch(true, at); break;
        case 0x64 satisfies Op.DICT: {
          const m = this.cMarkIndex(at);
          if ((this.depth - m) % 2) fail('PARSE_ERROR', 'odd number of items for DICT', at);
          this.depth = m;
          this.cPush(at);
          break;
        }
        case 0x6c satisfies Op.LIST: case 0x74 satisfies Op.TUPLE: case 0x91 satisfies Op.FROZENSET: this.depth = this.cMarkIndex(at); this.cPush(at); break;
        case 0x85 satisfies Op.TUPLE1: this.cPop(1, at); this.cPush(at); break;
        case 0x86 satisfies Op.TUPLE2: this.cPop(2, at); this.cPush(at); break;
        case 0x87 satisfies Op.TUPLE3: this.cPop(3, at); this.cPush(at); break;
        case 0x67 satisfies Op.GET: this.cGet(keys, getIndex(a.line, at), at); break;
        case 0x68 satisfies Op.BINGET: this.cGet(keys, b[p + 1]!, at); break;
        case 0x6a satisfies Op.LONG_BINGET: this.cGet(keys, argU4(b, p), at); break;
        case 0x70 satisfies Op.PUT: this.cPut(keys, putIndex(a.line, at), at); break;
        case 0x71 satisfies Op.BINPUT: this.cPut(keys, b[p + 1]!, at); break;
        case 0x72 satisfies Op.LONG_BINPUT: this.cPut(keys, argU4(b, p), at); break;
        case 0x94 satisfies Op.MEMOIZE: this.cPut(keys, keys.size, at); break;
        case 0x80 satisfies Op.PROTO: setProto(this, b[p + 1]!, at); break;
        case 0x95 satisfies Op.FRAME: this.frames.enter(b, p, at, base + a.q, this.win.size); break;
        case 0x98 satisfies Op.READONLY_BUFFER: this.cPop(1, at); this.depth++; break;
        default: fail('UNKNOWN_OPCODE', `opcode ${OPS[code]!.name} not handled`, at);
      }
      p = a.q;
      if (p > end) return this.suspend(S.SKIP);
    }
  }

  // The data-only pass's stack and memo, as counts, with PickleStack's and Memo's checks and messages.

  /** push: the depth limit counts the stack and the MARKs */
  private cPush(at: number): void {
    if (++this.depth + this.dmarks.length > this.opts.budgets.maxStackDepth) fail('LIMIT_EXCEEDED', `stack depth over ${this.opts.budgets.maxStackDepth}`, at);
  }

  /** `n` pops (or a pop and a top), each above the last MARK */
  private cPop(n: number, at: number): void {
    const m = this.dmarks;
    if (this.depth - n < (m.length ? m[m.length - 1]! : 0)) fail('STACK_UNDERFLOW', 'unpickling stack underflow', at);
    this.depth -= n;
  }

  private cMark(at: number): void {
    this.dmarks.push(this.depth);
    if (this.depth + this.dmarks.length > this.opts.budgets.maxStackDepth) fail('LIMIT_EXCEEDED', 'mark stack too deep', at);
  }

  /** the last MARK's depth, popped */
  private cMarkIndex(at: number): number {
    if (this.dmarks.length === 0) fail('STACK_UNDERFLOW', 'could not find MARK', at);
    return this.dmarks.pop()!;
  }

  /** APPENDS, ADDITEMS, SETITEMS: everything since MARK into the container under it */
  private cBatch(pairs: boolean, at: number): void {
    const from = this.cMarkIndex(at);
    if (pairs && (this.depth - from) % 2) fail('PARSE_ERROR', 'odd number of items for SETITEMS', at);
    const m = this.dmarks;
    if (from <= (m.length ? m[m.length - 1]! : 0) || from > this.depth) fail('STACK_UNDERFLOW', 'unpickling stack underflow', at);
    this.depth = from;
  }

  private cGet(keys: MemoKeys, idx: number, at: number): void {
    if (!keys.has(idx)) fail('MEMO_MISSING', `memo value not found at index ${idx}`, at);
    this.cPush(at);
  }

  /** PUT and friends: the value on top is memoized (it must be there) */
  private cPut(keys: MemoKeys, idx: number, at: number): void {
    this.cPop(1, at);
    this.depth++;
    keys.put(idx, at);
  }

  /** BINSTRING, SHORT_BINSTRING and the BINUNICODE family: push the string, and remember where its bytes are. */
  private pushStr(big: Value | undefined, b: Uint8Array, base: number, enc: 'utf8' | 'latin1', at: number): void {
    const a = this.arg;
    const v = big ?? inlineArg(this.ev, b, base, a, enc);
    this.push(v, at);
    if (big === undefined && a.plen <= STR_KEEP) {
      this.lastStr = v;
      this.lastStrOff = base + a.q - a.plen;
      this.lastStrLen = a.plen;
      this.lastStrLatin1 = enc === 'latin1';
    }
  }

  /** PUT, BINPUT, LONG_BINPUT, MEMOIZE: a string just decoded is memoized by reference to its bytes. */
  private memoize(idx: number, at: number): void {
    const v = this.top(at);
    if (v === this.lastStr && v.t === 'str' && this.memo.putStr(idx, v, this.lastStrOff, this.lastStrLen, this.lastStrLatin1, at)) return;
    this.memo.put(idx, v, at);
  }

  private memoRead(at: number): S {
    this.readAt = at;
    return this.suspend(S.MEMO_READ);
  }

  private stop(at: number): S {
    this.result = this.pop(at);
    return this.suspend(S.STOP);
  }

  /** Leave the loop with `pos` just past the current opcode. */
  private suspend(s: S): S {
    this.pos = this.win.start + this.arg.q;
    return s;
  }

  /** DUP: a global pushed again is reported, so a copy that ends as a value rather than a callable is seen. */
  private dup(at: number): void {
    const v = this.top(at);
    if (v.t === 'global') this.ev.copied?.(v);
    this.push(v, at);
  }

  private count(at: number): void {
    const budgets = this.opts.budgets;
    if (++this.opcodes > budgets.maxPickleOpcodes) fail('LIMIT_EXCEEDED', `over ${budgets.maxPickleOpcodes} opcodes`, at);
    if ((this.opcodes & 0xfffff) === 0 && Date.now() > this.opts.deadline) fail('LIMIT_EXCEEDED', 'time budget exceeded', at);
  }

  /** EvalHost: a resolver call produced a new global reference. */
  emitGlobal(g: GlobalRef): void {
    this.ev.global(g, Math.max(this.proto, 4));
  }

  private needMore(p: number, n: number): S {
    this.pos = this.win.start + p;
    this.need = n;
    this.needIsGuess = false;
    return S.NEED;
  }

  private needLine(p: number, end: number): S {
    this.pos = this.win.start + p;
    const have = end - p;
    if (this.win.atEof) fail('TRUNCATED', 'pickle data was truncated (unterminated line)', this.pos);
    if (have >= MAX_LINE) fail('LIMIT_EXCEEDED', `text argument over ${MAX_LINE} bytes`, this.pos);
    this.need = Math.min(MAX_LINE + 1, Math.max(have * 2, 65536));
    this.needIsGuess = true; // a line may end before the file does; the next pass decides
    return S.NEED;
  }

  private async fetchNeed(): Promise<void> {
    if (this.need > MAX_LINE + 16) fail('LIMIT_EXCEEDED', `opcode argument over ${MAX_LINE} bytes`, this.pos);
    if (!(await this.win.ensure(this.pos, this.need))) fail('LIMIT_EXCEEDED', `opcode needs ${this.need} bytes in memory`, this.pos);
    if (this.win.end < this.pos + this.need && this.win.atEof && !this.needIsGuess) fail('TRUNCATED', 'pickle data was truncated', this.pos);
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
      if (pos >= this.win.size) fail('TRUNCATED', 'joblib array padding missing', pos);
      pos += 1 + this.win.buf[pos - this.win.start]!;
    }
    if (layout.objectArray) {
      const inner = new PickleMachine(this.win, pos, this.ev, this.opts);
      inner.callIds = this.callIds; // one sequence of ids per stream
      this.pos = await inner.run();
      this.opcodes += inner.opcodes;
      this.callIds = inner.callIds;
      return;
    }
    if (pos + layout.nbytes > this.win.size) fail('TRUNCATED', `joblib array of ${layout.nbytes} bytes runs past end of data`, pos);
    this.pos = pos + layout.nbytes;
  }
}

function unknownOpcode(code: number, at: number): never {
  fail('UNKNOWN_OPCODE', `invalid load key ${JSON.stringify(String.fromCharCode(code))} (0x${code.toString(16).padStart(2, '0')})`, at);
}
