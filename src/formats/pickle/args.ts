/**
 * Decoding of an opcode's inline argument. The machine owns one `OpArg` and this overwrites it per
 * opcode, so decoding allocates nothing but the strings of text arguments. The cases are literals
 * checked against `Arg` with `satisfies`, for the reason given at `Op` in opcodes.ts.
 */
import { fail } from './error.js';
import type { Arg, OpInfo } from './opcodes.js';
import { INLINE_MAX } from './payload.js';
import { decodeLatin1, decodeUtf8 } from './text.js';

/** The decoded argument of the current opcode; each field is meaningful only for its `Arg` kinds. */
export class OpArg {
  /** buffer index just past the argument (and its payload, once the machine accounts for it) */
  q = 0;
  /** U1, U2, I4, U4 */
  n = 0;
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
 * Decode the argument of the opcode at b[p]; 0 when `a` holds it (and `q` is past any payload).
 * Only the kinds of most opcodes are here, so that this stays small enough for V8 to inline into the
 * machine's loop (a call per opcode costs the dense-pickle bench several percent); the rest are in
 * `decodeOther`.
 */
export function decodeArg(a: OpArg, b: Uint8Array, p: number, end: number, info: OpInfo, at: number): number {
  const q = p + 1;
  switch (info.arg as number) {
    case 0 satisfies Arg.None:
      a.q = q;
      return 0;
    case 1 satisfies Arg.U1:
      if (q + 1 > end) return 2;
      a.n = b[q]!;
      a.q = q + 1;
      return 0;
    case 9 satisfies Arg.Len1:
      if (q + 1 > end) return 2;
      return payload(a, b[q]!, q + 1, p, end);
  }
  return decodeOther(a, b, p, end, info, at);
}

function decodeOther(a: OpArg, b: Uint8Array, p: number, end: number, info: OpInfo, at: number): number {
  const q = p + 1;
  switch (info.arg as number) {
    case 2 satisfies Arg.U2:
      if (q + 2 > end) return 3;
      a.n = b[q]! | (b[q + 1]! << 8);
      a.q = q + 2;
      return 0;
    case 3 satisfies Arg.I4:
      if (q + 4 > end) return 5;
      a.n = i32(b, q);
      a.q = q + 4;
      return 0;
    case 4 satisfies Arg.U4:
      if (q + 4 > end) return 5;
      a.n = i32(b, q) >>> 0;
      a.q = q + 4;
      return 0;
    case 5 satisfies Arg.U8:
    case 6 satisfies Arg.F8:
      if (q + 8 > end) return 9;
      a.q = q + 8;
      return 0;
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
