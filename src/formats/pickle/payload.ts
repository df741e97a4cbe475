/**
 * Values of the payload-bearing opcodes (BINSTRING, BINUNICODE*, BINBYTES*, BYTEARRAY8). Short
 * payloads are decoded from the window; long ones keep a head and a reference by offset, and a
 * payload that starts like a pickle is handed on as a probe candidate.
 */
import type { OpArg } from './args.js';
import { fail } from './error.js';
import type { OpInfo } from './opcodes.js';
import { decodeLatin1, decodeLong, decodeUtf8 } from './text.js';
import { intValue, STR_KEEP, type PayloadRef, type Value } from './values.js';
import type { Window } from './window.js';

/** Payloads above this are skipped by offset, not copied into the window. */
export const INLINE_MAX = 1 << 20;

/** Receives payloads that start like a pickle (see MachineEvents.embeddedPickle). */
export interface ProbeSink {
  embeddedPickle(ref: PayloadRef | Uint8Array, offset: number): void;
}

function payloadEncoding(op: string): PayloadRef['encoding'] {
  if (op === 'BINUNICODE' || op === 'SHORT_BINUNICODE' || op === 'BINUNICODE8') return 'utf8';
  if (op === 'BINSTRING' || op === 'SHORT_BINSTRING') return 'latin1';
  return 'bytes';
}

/** The payload `a` was decoded with, in the window `b` starting at absolute offset `base`. */
export function inlineArg(sink: ProbeSink, b: Uint8Array, base: number, a: OpArg, enc: PayloadRef['encoding']): Value {
  const p = a.q - a.plen;
  return inlinePayload(sink, b, p, a.plen, base + p, enc);
}

/**
 * A payload over INLINE_MAX (decodeArg's BIG_PAYLOAD): skipped by offset, so `a.q` may end past the
 * window. LONG4 is not a payload to skip: it must fit the window.
 */
export function bigArg(sink: ProbeSink, win: Window, a: OpArg, info: OpInfo, end: number, at: number): Value | undefined {
  let v: Value | undefined;
  if (info.name === 'LONG4') {
    if (a.q + a.plen > end) fail('LIMIT_EXCEEDED', `LONG4 of ${a.plen} bytes`, at);
  } else {
    v = bigPayload(sink, win, win.start + a.q, a.plen, payloadEncoding(info.name), at);
  }
  a.q += a.plen;
  return v;
}

/** LONG1/LONG4: only small ones are decoded; the value of a huge one matters to no resolver. */
export function longArg(b: Uint8Array, a: OpArg): Value {
  return intValue(a.plen <= 16 ? decodeLong(b.subarray(a.q - a.plen, a.q)) : 0n);
}

export function bytearray(v: Value): Value {
  if (v.t === 'bytes') v.mutable = true;
  return v;
}

/** PROTO 2–5 at b[i]: how every pickle a payload could carry begins. */
function startsLikePickle(b: Uint8Array, i: number): boolean {
  return b[i] === 0x80 && b[i + 1]! >= 2 && b[i + 1]! <= 5;
}

/** A payload of `len` bytes at buffer index `p` that starts like a pickle is a probe candidate. */
function probe(sink: ProbeSink, b: Uint8Array, p: number, len: number, abs: number, enc: PayloadRef['encoding']): void {
  if (len >= 16 && startsLikePickle(b, p)) {
    sink.embeddedPickle(len <= INLINE_MAX ? b.slice(p, p + len) : { offset: abs, length: len, encoding: enc }, abs);
  }
}

/** What `inlineArg` reports of the payload `a` was decoded with, without decoding it (the data-only pass). */
export function probeInlineArg(sink: ProbeSink, b: Uint8Array, base: number, a: OpArg, enc: PayloadRef['encoding']): void {
  const p = a.q - a.plen;
  probe(sink, b, p, a.plen, base + p, enc);
}

/** Decode a payload of `len` bytes at buffer index `p` (absolute offset `abs`). */
function inlinePayload(sink: ProbeSink, b: Uint8Array, p: number, len: number, abs: number, enc: PayloadRef['encoding']): Value {
  probe(sink, b, p, len, abs, enc);
  if (enc === 'bytes') {
    return len <= STR_KEEP ? { t: 'bytes', v: b.slice(p, p + len) } : { t: 'bytes', ref: { offset: abs, length: len, encoding: enc } };
  }
  const keep = Math.min(len, STR_KEEP);
  const s = keep <= 64 ? shortStr(b, p, keep, enc) : enc === 'utf8' ? decodeUtf8(b.subarray(p, p + keep)) : decodeLatin1(b.subarray(p, p + keep));
  return len <= STR_KEEP ? { t: 'str', v: s } : { t: 'str', v: s, truncated: true, ref: { offset: abs, length: len, encoding: enc } };
}

/** A payload too big for the window: reference it by offset, probe its head, and move on. */
function bigPayload(sink: ProbeSink, win: Window, start: number, len: number, enc: PayloadRef['encoding'], at: number): Value {
  if (start + len > win.size) fail('TRUNCATED', `payload of ${len} bytes runs past end of data`, at);
  const b = win.buf;
  const i = start - win.start;
  if (i + 2 <= win.len && startsLikePickle(b, i)) sink.embeddedPickle({ offset: start, length: len, encoding: enc }, start);
  const ref: PayloadRef = { offset: start, length: len, encoding: enc };
  if (enc === 'bytes') return { t: 'bytes', ref };
  const headLen = Math.max(0, Math.min(STR_KEEP, win.len - i));
  const head = headLen > 0 ? b.subarray(i, i + headLen) : new Uint8Array(0);
  return { t: 'str', v: enc === 'utf8' ? decodeUtf8(head) : decodeLatin1(head), truncated: true, ref };
}

/** Short strings (dict keys, module names) without a TextDecoder call: ASCII is the common case. */
function shortStr(b: Uint8Array, p: number, n: number, enc: PayloadRef['encoding']): string {
  if (enc === 'utf8') for (let i = p; i < p + n; i++) if (b[i]! >= 0x80) return decodeUtf8(b.subarray(p, p + n));
  let s = '';
  let i = p;
  // eight characters per call: a string per character is garbage the collector has to sweep
  for (; i + 8 <= p + n; i += 8) s += String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
  switch (p + n - i) {
    case 1: return s + String.fromCharCode(b[i]!);
    case 2: return s + String.fromCharCode(b[i]!, b[i + 1]!);
    case 3: return s + String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!);
    case 4: return s + String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
    case 5: return s + String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!);
    case 6: return s + String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!);
    case 7: return s + String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!);
    default: return s;
  }
}
