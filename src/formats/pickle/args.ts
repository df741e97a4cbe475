/**
 * Decoding of an opcode's text or length-prefixed argument. The machine owns one `OpArg` and this
 * overwrites it per opcode, so decoding allocates nothing but the strings of text arguments. The
 * cases are literals checked against `Arg` with `satisfies`, for the reason given at `Op` in opcodes.ts.
 */
import { fail } from './error.js';
import type { Arg, OpInfo } from './opcodes.js';
import { INLINE_MAX } from './payload.js';
import { decodeLatin1, decodeUtf8 } from './text.js';

/** The decoded argument of the current opcode; each field is meaningful only for its `Arg` kinds. */
export class OpArg {
  /** buffer index just past the argument (and its payload, once the machine accounts for it) */
  q = 0;
  /** Line, and the module of TwoLines */
  line = '';
  /** the name of TwoLines */
  line2 = '';
  /** payload length of the Len* kinds */
  plen = 0;
}

/** decodeArg results other than "decoded" (0) and "need this many bytes from the opcode on" (> 0). */
export const NEED_LINE = -1;
/** the payload is over INLINE_MAX: `q` is just past its length field, the machine decides */
export const BIG_PAYLOAD = -2;

/**
 * Decode the text or length-prefixed argument of the opcode at b[p] (the machine steps over fixed
 * arguments itself, see FIXED in opcodes.ts); 0 when `a` holds it (and `q` is past any payload).
 * The common kind (Len1) is first and the rest are in `decodeOther`, so that this stays small enough
 * for V8 to inline into the machine's loop.
 */
export function decodeArg(a: OpArg, b: Uint8Array, p: number, end: number, info: OpInfo, at: number): number {
  if ((info.arg as number) === (9 satisfies Arg.Len1)) {
    const q = p + 1;
    if (q + 1 > end) return 2;
    return payload(a, b[q]!, q + 1, p, end);
  }
  return decodeOther(a, b, p, end, info, at);
}

function decodeOther(a: OpArg, b: Uint8Array, p: number, end: number, info: OpInfo, at: number): number {
  const q = p + 1;
  switch (info.arg as number) {
    case 7 satisfies Arg.Line:
      return line(a, b, q, end);
    case 8 satisfies Arg.TwoLines:
      return twoLines(a, b, q, end);
    case 10 satisfies Arg.Len4:
      if (q + 4 > end) return 5;
      return payload(a, i32(b, q) >>> 0, q + 4, p, end);
    case 11 satisfies Arg.Len4Signed: {
      if (q + 4 > end) return 5;
      const len = i32(b, q);
      if (len < 0) fail('PARSE_ERROR', `${info.name} pickle has negative byte count`, at);
      return payload(a, len, q + 4, p, end);
    }
    case 12 satisfies Arg.Len8: {
      if (q + 8 > end) return 9;
      const hi = i32(b, q + 4) >>> 0;
      if (hi >= 0x200000) fail('TRUNCATED', `${info.name} length exceeds any file (${hi} * 2^32)`, at);
      return payload(a, hi * 0x100000000 + (i32(b, q) >>> 0), q + 8, p, end);
    }
  }
  fail('UNKNOWN_OPCODE', `${info.name} has no argument decoder`, at);
}

/** The fixed arguments of the opcode at b[p] (the machine has checked that they are in the window). */
export const argU2 = (b: Uint8Array, p: number): number => b[p + 1]! | (b[p + 2]! << 8);
export const argI4 = (b: Uint8Array, p: number): number => i32(b, p + 1);
export const argU4 = (b: Uint8Array, p: number): number => i32(b, p + 1) >>> 0;

function i32(b: Uint8Array, q: number): number {
  return b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24);
}

/** Small payloads must be in the window; big ones are the machine's to skip by offset. */
function payload(a: OpArg, len: number, q: number, p: number, end: number): number {
  a.plen = len;
  a.q = q;
  if (len > INLINE_MAX) return BIG_PAYLOAD;
  if (q + len > end) return q - p + len;
  a.q = q + len;
  return 0;
}

function line(a: OpArg, b: Uint8Array, q: number, end: number): number {
  const nl = b.indexOf(10, q);
  if (nl < 0 || nl >= end) return NEED_LINE;
  a.line = decodeLatin1(b.subarray(q, nl));
  a.q = nl + 1;
  return 0;
}

function twoLines(a: OpArg, b: Uint8Array, q: number, end: number): number {
  const nl = b.indexOf(10, q);
  if (nl < 0 || nl >= end) return NEED_LINE;
  const nl2 = b.indexOf(10, nl + 1);
  if (nl2 < 0 || nl2 >= end) return NEED_LINE;
  a.line = decodeUtf8(b.subarray(q, nl));
  a.line2 = decodeUtf8(b.subarray(nl + 1, nl2));
  a.q = nl2 + 1;
  return 0;
}
