/**
 * The pickle opcode table (protocols 0–5), as CPython's C unpickler accepts it. The unpickler does not
 * gate opcodes by protocol: any opcode is legal anywhere, so neither do we.
 */

/** How an opcode's inline argument is encoded. */
export const enum Arg {
  None = 0,
  U1 = 1, // 1-byte unsigned
  U2 = 2, // 2-byte little-endian unsigned
  I4 = 3, // 4-byte little-endian signed
  U4 = 4, // 4-byte little-endian unsigned
  U8 = 5, // 8-byte little-endian unsigned
  F8 = 6, // 8-byte big-endian double
  Line = 7, // text up to '\n'
  TwoLines = 8, // module '\n' name '\n'
  Len1 = 9, // 1-byte length + payload
  Len4 = 10, // 4-byte unsigned length + payload
  Len4Signed = 11, // 4-byte signed length + payload (BINSTRING, LONG4)
  Len8 = 12, // 8-byte length + payload
}

export interface OpInfo {
  code: number;
  name: string;
  arg: Arg;
  proto: number;
}

const TABLE: Array<[string, string, Arg, number]> = [
  ['(', 'MARK', Arg.None, 0],
  ['.', 'STOP', Arg.None, 0],
  ['0', 'POP', Arg.None, 0],
  ['1', 'POP_MARK', Arg.None, 1],
  ['2', 'DUP', Arg.None, 0],
  ['F', 'FLOAT', Arg.Line, 0],
  ['I', 'INT', Arg.Line, 0],
  ['J', 'BININT', Arg.I4, 1],
  ['K', 'BININT1', Arg.U1, 1],
  ['L', 'LONG', Arg.Line, 0],
  ['M', 'BININT2', Arg.U2, 1],
  ['N', 'NONE', Arg.None, 0],
  ['P', 'PERSID', Arg.Line, 0],
  ['Q', 'BINPERSID', Arg.None, 1],
  ['R', 'REDUCE', Arg.None, 0],
  ['S', 'STRING', Arg.Line, 0],
  ['T', 'BINSTRING', Arg.Len4Signed, 1],
  ['U', 'SHORT_BINSTRING', Arg.Len1, 1],
  ['V', 'UNICODE', Arg.Line, 0],
  ['X', 'BINUNICODE', Arg.Len4, 1],
  ['a', 'APPEND', Arg.None, 0],
  ['b', 'BUILD', Arg.None, 0],
  ['c', 'GLOBAL', Arg.TwoLines, 0],
  ['d', 'DICT', Arg.None, 0],
  ['}', 'EMPTY_DICT', Arg.None, 1],
  ['e', 'APPENDS', Arg.None, 1],
  ['g', 'GET', Arg.Line, 0],
  ['h', 'BINGET', Arg.U1, 1],
  ['i', 'INST', Arg.TwoLines, 0],
  ['j', 'LONG_BINGET', Arg.U4, 1],
  ['l', 'LIST', Arg.None, 0],
  [']', 'EMPTY_LIST', Arg.None, 1],
  ['o', 'OBJ', Arg.None, 1],
  ['p', 'PUT', Arg.Line, 0],
  ['q', 'BINPUT', Arg.U1, 1],
  ['r', 'LONG_BINPUT', Arg.U4, 1],
  ['s', 'SETITEM', Arg.None, 0],
  ['t', 'TUPLE', Arg.None, 0],
  [')', 'EMPTY_TUPLE', Arg.None, 1],
  ['u', 'SETITEMS', Arg.None, 1],
  ['G', 'BINFLOAT', Arg.F8, 1],
  ['\x80', 'PROTO', Arg.U1, 2],
  ['\x81', 'NEWOBJ', Arg.None, 2],
  ['\x82', 'EXT1', Arg.U1, 2],
  ['\x83', 'EXT2', Arg.U2, 2],
  ['\x84', 'EXT4', Arg.I4, 2],
  ['\x85', 'TUPLE1', Arg.None, 2],
  ['\x86', 'TUPLE2', Arg.None, 2],
  ['\x87', 'TUPLE3', Arg.None, 2],
  ['\x88', 'NEWTRUE', Arg.None, 2],
  ['\x89', 'NEWFALSE', Arg.None, 2],
  ['\x8a', 'LONG1', Arg.Len1, 2],
  ['\x8b', 'LONG4', Arg.Len4Signed, 2],
  ['B', 'BINBYTES', Arg.Len4, 3],
  ['C', 'SHORT_BINBYTES', Arg.Len1, 3],
  ['\x8c', 'SHORT_BINUNICODE', Arg.Len1, 4],
  ['\x8d', 'BINUNICODE8', Arg.Len8, 4],
  ['\x8e', 'BINBYTES8', Arg.Len8, 4],
  ['\x8f', 'EMPTY_SET', Arg.None, 4],
  ['\x90', 'ADDITEMS', Arg.None, 4],
  ['\x91', 'FROZENSET', Arg.None, 4],
  ['\x92', 'NEWOBJ_EX', Arg.None, 4],
  ['\x93', 'STACK_GLOBAL', Arg.None, 4],
  ['\x94', 'MEMOIZE', Arg.None, 4],
  ['\x95', 'FRAME', Arg.U8, 4],
  ['\x96', 'BYTEARRAY8', Arg.Len8, 5],
  ['\x97', 'NEXT_BUFFER', Arg.None, 5],
  ['\x98', 'READONLY_BUFFER', Arg.None, 5],
];

/** Indexed by byte value; undefined for bytes that are not opcodes. */
export const OPS: ReadonlyArray<OpInfo | undefined> = (() => {
  const t: Array<OpInfo | undefined> = new Array<OpInfo | undefined>(256).fill(undefined);
  for (const [ch, name, arg, proto] of TABLE) {
    const code = ch.charCodeAt(0);
    t[code] = { code, name, arg, proto };
  }
  return t;
})();

/**
 * By byte value: the length of an opcode's fixed-size argument (0, 1, 2, 4 or 8), VARIABLE for the
 * text and length-prefixed kinds, NOT_AN_OPCODE otherwise. The machine's loop steps over fixed
 * arguments without a call; each case reads its own bytes.
 */
export const VARIABLE = -2;
export const NOT_AN_OPCODE = -1;
export const FIXED: Int8Array = (() => {
  const sizes: Partial<Record<Arg, number>> = { [Arg.None]: 0, [Arg.U1]: 1, [Arg.U2]: 2, [Arg.I4]: 4, [Arg.U4]: 4, [Arg.U8]: 8, [Arg.F8]: 8 };
  const t = new Int8Array(256).fill(NOT_AN_OPCODE);
  for (const info of OPS) if (info) t[info.code] = sizes[info.arg] ?? VARIABLE;
  return t;
})();

export const HIGHEST_PROTOCOL = 5;

/**
 * Opcode byte values, for the machine's switch. Under `verbatimModuleSyntax` tsc does not inline a
 * `const enum` (every use is a property read, and a switch on reads is a chain of compares), so the
 * switch writes `case 0x28 satisfies Op.MARK`: the emitted case is the literal (a jump table), and a
 * literal that is not the member's value does not compile.
 */
export const enum Op {
  MARK = 0x28,
  STOP = 0x2e,
  POP = 0x30,
  POP_MARK = 0x31,
  DUP = 0x32,
  FLOAT = 0x46,
  INT = 0x49,
  BININT = 0x4a,
  BININT1 = 0x4b,
  LONG = 0x4c,
  BININT2 = 0x4d,
  NONE = 0x4e,
  PERSID = 0x50,
  BINPERSID = 0x51,
  REDUCE = 0x52,
  STRING = 0x53,
  BINSTRING = 0x54,
  SHORT_BINSTRING = 0x55,
  UNICODE = 0x56,
  BINUNICODE = 0x58,
  APPEND = 0x61,
  BUILD = 0x62,
  GLOBAL = 0x63,
  DICT = 0x64,
  EMPTY_DICT = 0x7d,
  APPENDS = 0x65,
  GET = 0x67,
  BINGET = 0x68,
  INST = 0x69,
  LONG_BINGET = 0x6a,
  LIST = 0x6c,
  EMPTY_LIST = 0x5d,
  OBJ = 0x6f,
  PUT = 0x70,
  BINPUT = 0x71,
  LONG_BINPUT = 0x72,
  SETITEM = 0x73,
  TUPLE = 0x74,
  EMPTY_TUPLE = 0x29,
  SETITEMS = 0x75,
  BINFLOAT = 0x47,
  PROTO = 0x80,
  NEWOBJ = 0x81,
  EXT1 = 0x82,
  EXT2 = 0x83,
  EXT4 = 0x84,
  TUPLE1 = 0x85,
  TUPLE2 = 0x86,
  TUPLE3 = 0x87,
  NEWTRUE = 0x88,
  NEWFALSE = 0x89,
  LONG1 = 0x8a,
  LONG4 = 0x8b,
  BINBYTES = 0x42,
  SHORT_BINBYTES = 0x43,
  SHORT_BINUNICODE = 0x8c,
  BINUNICODE8 = 0x8d,
  BINBYTES8 = 0x8e,
  EMPTY_SET = 0x8f,
  ADDITEMS = 0x90,
  FROZENSET = 0x91,
  NEWOBJ_EX = 0x92,
  STACK_GLOBAL = 0x93,
  MEMOIZE = 0x94,
  FRAME = 0x95,
  BYTEARRAY8 = 0x96,
  NEXT_BUFFER = 0x97,
  READONLY_BUFFER = 0x98,
}
