/**
 * A tiny pickle assembler for tests: build opcode streams by name so each test says exactly which
 * bytes it feeds the scanner.
 */
type Part = string | number[] | Uint8Array;

const enc = (s: string): number[] => [...Buffer.from(s, 'utf8')];
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u64 = (n: number): number[] => [...u32(n % 2 ** 32), ...u32(Math.floor(n / 2 ** 32))];

export const P = {
  proto: (n: number) => [0x80, n],
  frame: (n: number) => [0x95, ...u64(n)],
  global: (m: string, n: string) => [0x63, ...enc(`${m}\n${n}\n`)],
  inst: (m: string, n: string) => [0x69, ...enc(`${m}\n${n}\n`)],
  sbu: (s: string) => {
    const b = enc(s);
    return [0x8c, b.length, ...b];
  },
  binunicode: (s: string) => {
    const b = enc(s);
    return [0x58, ...u32(b.length), ...b];
  },
  string: (s: string) => [0x53, ...enc(`'${s}'\n`)],
  unicode: (s: string) => [0x56, ...enc(`${s}\n`)],
  sbb: (b: number[]) => [0x43, b.length, ...b],
  binbytes: (b: number[] | Uint8Array) => [0x42, ...u32(b.length), ...b],
  binint1: (n: number) => [0x4b, n],
  binint: (n: number) => [0x4a, ...u32(n)],
  int: (s: string) => [0x49, ...enc(`${s}\n`)],
  binput: (n: number) => [0x71, n],
  binget: (n: number) => [0x68, n],
  put: (n: number) => [0x70, ...enc(`${n}\n`)],
  get: (n: number) => [0x67, ...enc(`${n}\n`)],
  ext1: (n: number) => [0x82, n],
  ext2: (n: number) => [0x83, n & 0xff, n >> 8],
  MARK: [0x28],
  STOP: [0x2e],
  POP: [0x30],
  POP_MARK: [0x31],
  DUP: [0x32],
  NONE: [0x4e],
  REDUCE: [0x52],
  BUILD: [0x62],
  TUPLE: [0x74],
  TUPLE1: [0x85],
  TUPLE2: [0x86],
  TUPLE3: [0x87],
  EMPTY_TUPLE: [0x29],
  EMPTY_DICT: [0x7d],
  EMPTY_LIST: [0x5d],
  LIST: [0x6c],
  DICT: [0x64],
  APPEND: [0x61],
  APPENDS: [0x65],
  SETITEM: [0x73],
  SETITEMS: [0x75],
  OBJ: [0x6f],
  NEWOBJ: [0x81],
  NEWOBJ_EX: [0x92],
  STACK_GLOBAL: [0x93],
  MEMOIZE: [0x94],
  BINPERSID: [0x51],
  NEXT_BUFFER: [0x97],
  READONLY_BUFFER: [0x98],
  NEWTRUE: [0x88],
};

export function asm(...parts: Part[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') out.push(...enc(p));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

/** `posix.system("echo")` at protocol 4 via STACK_GLOBAL. */
export function evilP4(cmd = 'echo mlvet'): Uint8Array {
  return asm(P.proto(4), P.sbu('posix'), P.sbu('system'), P.STACK_GLOBAL, P.sbu(cmd), P.TUPLE1, P.REDUCE, P.STOP);
}
