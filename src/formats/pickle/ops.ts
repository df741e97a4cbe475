/**
 * The opcodes whose effect takes more than a line: calls, imports, BUILD, the MARK batches and the
 * extension registry. Each takes the machine and the opcode's offset, and leaves the stack as the C
 * unpickler would.
 */
import { argList } from './containers.js';
import { fail } from './error.js';
import { evaluateCall } from './evaluate.js';
import type { CallValue } from './events.js';
import { joblibArrayLayout } from './joblib.js';
import { isAscii } from './lines.js';
import type { PickleMachine } from './machine.js';
import { NEEDS_READ } from './memo.js';
import { HIGHEST_PROTOCOL } from './opcodes.js';
import { STR_KEEP, type CallKind, type GlobalRef, type Value } from './values.js';

export function call(m: PickleMachine, kind: CallKind, fn: Value, args: Value[], at: number, kwargs?: Value): void {
  const c: CallValue = { t: 'call', fn, args, kwargs, offset: at, kind, id: ++m.callIds };
  m.ev.call(c, m.proto);
  const v = evaluateCall(c, m);
  // a string built at load time stays marked, so a STACK_GLOBAL fed by it is still "computed"
  m.push(v?.t === 'str' ? { ...v, computed: true } : (v ?? c), at);
}

/** GLOBAL, INST and STACK_GLOBAL with known names: report the import, push the reference. */
export function importGlobal(m: PickleMachine, module: string, name: string, at: number, via: string): Value {
  const g: GlobalRef = { module, name, offset: at, via };
  m.ev.global(g, m.proto);
  return { t: 'global', g };
}

export function reduce(m: PickleMachine, at: number): void {
  const args = m.pop(at);
  const fn = m.pop(at);
  call(m, 'REDUCE', fn, argList(args), at);
}

export function newObj(m: PickleMachine, at: number): void {
  const args = m.pop(at);
  const cls = m.pop(at);
  call(m, 'NEWOBJ', cls, argList(args), at);
}

export function newObjEx(m: PickleMachine, at: number): void {
  const kwargs = m.pop(at);
  const args = m.pop(at);
  const cls = m.pop(at);
  call(m, 'NEWOBJ_EX', cls, argList(args), at, kwargs);
}

export function obj(m: PickleMachine, at: number): void {
  const items = m.popMark(at);
  if (items.length === 0) {
    if (!m.lenient) fail('STACK_UNDERFLOW', 'OBJ with no class after MARK', at);
    items.push({ t: 'unknown', why: 'underflow' });
  }
  call(m, 'OBJ', items[0]!, items.slice(1), at);
}

export function inst(m: PickleMachine, module: string, name: string, at: number): void {
  const cls = importGlobal(m, module, name, at, 'INST');
  call(m, 'INST', cls, m.popMark(at), at);
}

/** BUILD; true when the instance is a joblib array wrapper whose raw bytes follow in the stream. */
export function build(m: PickleMachine, at: number): boolean {
  const state = m.pop(at);
  const target = m.top(at);
  if (target.t === 'global' || target.t === 'module') m.ev.mutation(at, target, 'BUILD', state);
  else if (target.t === 'call') {
    target.state = state;
    m.joblib = joblibArrayLayout(target, state);
    return m.joblib !== undefined;
  }
  return false;
}

export function stackGlobal(m: PickleMachine, at: number): void {
  const nameV = m.pop(at);
  const modV = m.pop(at);
  const mod = strOperand(m, modV, 'module', at);
  const name = strOperand(m, nameV, 'name', at);
  if (mod === undefined || name === undefined) {
    m.ev.computedGlobal(at, modV, nameV);
    m.push({ t: 'global', g: { module: mod ?? '<computed>', name: name ?? '<computed>', offset: at, via: 'STACK_GLOBAL' } }, at);
    return;
  }
  // a string built at load time stays marked, so the import it feeds is still "computed"
  if ((modV.t === 'str' && modV.computed) || (nameV.t === 'str' && nameV.computed)) m.ev.computedGlobal(at, modV, nameV);
  m.push(importGlobal(m, mod, name, at, 'STACK_GLOBAL'), at);
}

/** A STACK_GLOBAL operand: its text when known, undefined when symbolic; anything else is rejected. */
function strOperand(m: PickleMachine, v: Value, what: string, at: number): string | undefined {
  if (v.t === 'str') return v.truncated ? undefined : v.v;
  if (v.t === 'unknown' || v.t === 'call' || v.t === 'persid' || v.t === 'global' || v.t === 'module') return undefined;
  if (m.lenient) return undefined;
  fail('PARSE_ERROR', `STACK_GLOBAL requires str ${what}, got ${v.t}`, at);
}

export function ext(m: PickleMachine, code: number, via: string, at: number): void {
  if (code <= 0) fail('PARSE_ERROR', 'EXT specifies code <= 0', at);
  m.ev.ext(at, code);
  m.push({ t: 'global', g: { module: '<copyreg extension>', name: String(code), offset: at, via } }, at);
}

export function persid(m: PickleMachine, line: string, at: number): void {
  if (!isAscii(line)) fail('PARSE_ERROR', 'persistent IDs in protocol 0 must be ASCII strings', at);
  m.ev.persid(at);
  m.push({ t: 'persid', pid: { t: 'str', v: line.slice(0, STR_KEEP) }, offset: at }, at);
}

export function binPersid(m: PickleMachine, at: number): void {
  const pid = m.pop(at);
  m.ev.persid(at);
  m.push(legacyTorchModuleClass(pid) ?? { t: 'persid', pid, offset: at }, at);
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

/** APPEND and SETITEM: the last `count` stack values go into the container under them. */
export function addTop(m: PickleMachine, count: 1 | 2, op: string, at: number): void {
  const v = m.pop(at);
  const k = count === 2 ? m.pop(at) : undefined;
  const target = m.top(at);
  if (k !== undefined) m.stack.push(k);
  m.stack.push(v);
  addFromStack(m, target, m.stack.length - count, op, at);
}

/** APPENDS, SETITEMS, ADDITEMS: everything since MARK goes into the container under the MARK. */
export function addBatch(m: PickleMachine, op: string, at: number): void {
  const from = m.markIndex(at);
  if (op === 'SETITEMS' && (m.stack.length - from) % 2) fail('PARSE_ERROR', 'odd number of items for SETITEMS', at);
  addFromStack(m, m.batchTarget(from, at), from, op, at);
}

export function dict(m: PickleMachine, at: number): void {
  const items = m.popMark(at);
  if (items.length % 2) fail('PARSE_ERROR', 'odd number of items for DICT', at);
  m.push(m.containers.make('dict', items), at);
}

/** TUPLE1, TUPLE2, TUPLE3. */
export function tupleN(m: PickleMachine, k: number, at: number): void {
  const items: Value[] = new Array<Value>(k);
  for (let i = k - 1; i >= 0; i--) items[i] = m.pop(at);
  m.push(m.containers.make('tuple', items), at);
}

/** Move stack[from..] into `target` (see Containers.add); on a global or module it is a mutation. */
function addFromStack(m: PickleMachine, target: Value, from: number, op: string, at: number): void {
  if (target.t === 'global' || target.t === 'module') m.ev.mutation(at, target, op);
  else m.containers.add(target, m.stack, from);
  m.truncate(from);
}

/** GET, BINGET, LONG_BINGET; true when the value is a string to read back first (the machine pushes it). */
export function memoGet(m: PickleMachine, idx: number, at: number): boolean {
  const v = m.memo.get(idx);
  if (v === NEEDS_READ) return true;
  if (v?.t === 'global') m.ev.copied?.(v);
  if (v !== undefined) m.push(v, at);
  else if (!m.lenient) fail('MEMO_MISSING', `memo value not found at index ${idx}`, at);
  else m.push({ t: 'unknown', why: `memo ${idx}` }, at);
  return false;
}

export function setProto(m: PickleMachine, n: number, at: number): void {
  if (n > HIGHEST_PROTOCOL) fail('UNSUPPORTED', `unsupported pickle protocol: ${n}`, at);
  m.proto = n;
}

export function nextBuffer(m: PickleMachine, at: number): void {
  m.ev.buffer(at);
  m.push({ t: 'buffer', offset: at }, at);
}
