/**
 * Values of the protocol-0 text opcodes (INT, LONG, FLOAT, STRING, UNICODE, GET, PUT). A text
 * argument the C unpickler would reject raises a PARSE_ERROR at the opcode's offset.
 */
import { fail } from './error.js';
import { decodeStringArg, parsePyFloat, parsePyInt, rawUnicodeEscape, TextError } from './text.js';
import { BOOL, FLOAT, intValue, STR_KEEP, type Value } from './values.js';

/** Run a text decoder; its TextError becomes the opcode's PARSE_ERROR. */
function decoded<T>(decode: (s: string) => T, s: string, at: number): T {
  try {
    return decode(s);
  } catch (e) {
    if (e instanceof TextError) fail('PARSE_ERROR', e.message, at);
    throw e;
  }
}

const pyInt = (s: string): bigint => parsePyInt(s, true);
const pyIntBase10 = (s: string): bigint => parsePyInt(s, false);

/** INT: "00"/"01" are False/True. */
export function intLine(line: string, at: number): Value {
  if (line === '00' || line === '01') return BOOL;
  return intValue(decoded(pyInt, line, at));
}

/** LONG: an optional trailing L, as protocol 0 under Python 2 wrote it. */
export function longLine(line: string, at: number): Value {
  return intValue(decoded(pyIntBase10, line.endsWith('L') ? line.slice(0, -1) : line, at));
}

export function floatLine(line: string, at: number): Value {
  decoded(parsePyFloat, line, at);
  return FLOAT;
}

export function stringLine(line: string, at: number): Value {
  return keptStr(decoded(decodeStringArg, line, at));
}

/** UNICODE: raw-unicode-escape. */
export function unicodeLine(line: string, at: number): Value {
  return keptStr(decoded(rawUnicodeEscape, line, at));
}

/** The memo index of GET. */
export function getIndex(line: string, at: number): number {
  return Number(decoded(pyIntBase10, line, at));
}

/** The memo index of PUT, which must not be negative. */
export function putIndex(line: string, at: number): number {
  const idx = decoded(pyIntBase10, line, at);
  if (idx < 0n) fail('PARSE_ERROR', 'negative PUT argument', at);
  return Number(idx);
}

function keptStr(s: string): Value {
  return s.length <= STR_KEEP ? { t: 'str', v: s } : { t: 'str', v: s.slice(0, STR_KEEP), truncated: true };
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
