/**
 * Opcode semantics, one row per behaviour of CPython's C unpickler that a scanner can get wrong.
 * Each row: the bytes, the rule ids that must fire (exactly), and the inconclusive codes.
 */
import { describe, expect, it } from 'vitest';
import { asm, evilP4, P } from '../helpers/pickle-asm.js';
import { codes, ruleIds, scanBytes } from '../helpers/scan-bytes.js';

const sys = (proto = 4) => [P.proto(proto), P.sbu('os'), P.sbu('system'), P.STACK_GLOBAL];

const rows: Array<[string, Uint8Array, string[], string[]]> = [
  ['plain os.system REDUCE', evilP4(), ['pickle/code-execution'], []],
  ['clean data', asm(P.proto(4), P.EMPTY_DICT, P.sbu('a'), P.binint1(1), P.SETITEM, P.STOP), [], []],
  [
    'MEMOIZE index is the memo size, not a counter (E3a)',
    asm(P.proto(4), P.sbu('os'), P.binput(0), P.POP, P.sbu('system'), P.binput(1), P.POP, P.sbu('x'), P.MEMOIZE, P.POP,
      P.binget(0), P.binget(1), P.STACK_GLOBAL, P.sbu('id'), P.TUPLE1, P.REDUCE, P.STOP),
    ['pickle/code-execution'], [],
  ],
  [
    'DUP before PUT (E3e)',
    asm(P.proto(4), P.sbu('os'), P.DUP, P.binput(0), P.POP, P.POP, P.binget(0), P.sbu('system'), P.STACK_GLOBAL, P.sbu('id'),
      P.TUPLE1, P.REDUCE, P.STOP),
    ['pickle/code-execution'], [],
  ],
  [
    'POP removes a MARK on top of the stack, like the C unpickler',
    asm(P.proto(2), P.MARK, P.POP, P.global('os', 'system'), P.sbu('id'), P.TUPLE1, P.REDUCE, P.STOP),
    ['pickle/code-execution'], [],
  ],
  [
    'GET of a missing memo key after a payload (E3c): finding plus inconclusive',
    asm(...sys(), P.sbu('id'), P.TUPLE1, P.REDUCE, P.binget(9), P.STOP),
    ['pickle/code-execution'], ['MEMO_MISSING'],
  ],
  ['payload then garbage (E9)', asm(...sys(), P.sbu('id'), P.TUPLE1, P.REDUCE, [0xff, 0xfe]), ['pickle/code-execution'], ['UNKNOWN_OPCODE']],
  ['payload then end of data without STOP', asm(...sys(), P.sbu('id'), P.TUPLE1, P.REDUCE), ['pickle/code-execution'], ['TRUNCATED']],
  ['STOP on an empty stack', asm(P.proto(2), P.STOP), [], ['STACK_UNDERFLOW']],
  ['unsupported protocol 6 is inconclusive, not unrecognised', asm(P.proto(6), P.NONE, P.STOP), [], ['UNSUPPORTED']],
  ['STACK_GLOBAL on an int operand is an error, not an import (E3d)', asm(P.proto(4), P.binint1(42), P.sbu('os'), P.STACK_GLOBAL, P.STOP), [], ['PARSE_ERROR']],
  ['dotted attribute walk pathlib + os.system (E5)', asm(P.proto(4), P.sbu('pathlib'), P.sbu('os.system'), P.STACK_GLOBAL, P.sbu('id'), P.TUPLE1, P.REDUCE, P.STOP), ['pickle/code-execution'], []],
  ['protocol-0 STRING operands to STACK_GLOBAL (E4)', asm(P.string('os'), P.string('system'), P.STACK_GLOBAL, P.string('id'), P.TUPLE1, P.REDUCE, P.STOP), ['pickle/code-execution'], []],
  ['UNICODE with \\u escapes spelling os', asm(P.unicode('\\u006fs'), P.unicode('system'), P.STACK_GLOBAL, P.NONE, P.STOP), ['pickle/code-execution'], []],
  ['INST executes its class (E8)', asm(P.MARK, P.string('print(1)'), P.inst('builtins', 'exec'), P.STOP), ['pickle/code-execution'], []],
  ['OBJ result popped still counts (E8)', asm(P.proto(4), P.MARK, P.sbu('smtplib'), P.sbu('SMTP'), P.STACK_GLOBAL, P.sbu('127.0.0.1'), P.OBJ, P.POP, P.NONE, P.STOP), ['pickle/network-access'], []],
  ['EXT1 callable from the extension registry', asm(P.proto(2), P.ext1(7), P.sbu('id'), P.TUPLE1, P.REDUCE, P.STOP), ['pickle/extension-registry'], []],
  [
    'getattr(__import__("os"), "system") resolves to os.system (E7)',
    asm(P.proto(4), P.global('builtins', 'getattr'), P.global('builtins', '__import__'), P.sbu('os'), P.TUPLE1, P.REDUCE,
      P.sbu('system'), P.TUPLE2, P.REDUCE, P.sbu('id'), P.TUPLE1, P.REDUCE, P.STOP),
    ['pickle/code-execution', 'pickle/dynamic-import'], [],
  ],
  [
    'str.join builds the module name (E7): resolved and reported as computed',
    asm(P.proto(4), P.global('builtins', 'str.join'), P.sbu(''), P.EMPTY_LIST, P.MARK, P.sbu('o'), P.sbu('s'), P.APPENDS, P.TUPLE2, P.REDUCE,
      P.sbu('system'), P.STACK_GLOBAL, P.sbu('id'), P.TUPLE1, P.REDUCE, P.STOP),
    ['pickle/code-execution', 'pickle/computed-global', 'pickle/unknown-global'], [],
  ],
  [
    'STACK_GLOBAL on an unresolvable call result',
    asm(P.proto(4), P.global('mylib', 'name_of'), P.EMPTY_TUPLE, P.REDUCE, P.sbu('x'), P.STACK_GLOBAL, P.NONE, P.STOP),
    ['pickle/computed-global', 'pickle/unknown-global'], [],
  ],
  [
    'BUILD on a global mutates library state (E3f)',
    asm(P.proto(2), P.global('numpy', 'prod'), P.NONE, P.EMPTY_DICT, P.sbu('a'), P.sbu('os'), P.SETITEM, P.TUPLE2, P.BUILD, P.STOP),
    ['pickle/global-mutation'], [],
  ],
  ['dunder walk numpy.__builtins__ (E3g)', asm(P.proto(4), P.sbu('numpy'), P.sbu('__builtins__'), P.STACK_GLOBAL, P.STOP), ['pickle/dunder-access'], []],
  ['unknown but harmless-looking global is medium', asm(P.proto(4), P.sbu('mylib.models'), P.sbu('Net'), P.STACK_GLOBAL, P.EMPTY_TUPLE, P.NEWOBJ, P.STOP), ['pickle/unknown-global'], []],
  ['unknown global named like a shell function', asm(P.proto(4), P.sbu('mylib.util'), P.sbu('system'), P.STACK_GLOBAL, P.STOP), ['pickle/suspicious-name'], []],
  ['allowlisted OrderedDict', asm(P.proto(2), P.global('collections', 'OrderedDict'), P.EMPTY_TUPLE, P.REDUCE, P.STOP), [], []],
  ['__builtin__.set at protocol 2 maps to builtins.set', asm(P.proto(2), P.global('__builtin__', 'set'), P.EMPTY_LIST, P.TUPLE1, P.REDUCE, P.STOP), [], []],
  ['second pickle in the same file is scanned (E10)', asm(P.proto(2), P.NONE, P.STOP, evilP4()), ['pickle/code-execution'], []],
  ['non-pickle bytes after STOP are reported, not ignored', asm(P.proto(2), P.NONE, P.STOP, [0xff, 0xff, 0xff]), ['pickle/trailing-data'], []],
  ['negative BINSTRING length', asm(P.proto(2), [0x54, 0xff, 0xff, 0xff, 0xff], P.STOP), [], ['PARSE_ERROR']],
  ['declared length past end of data', asm(P.proto(4), [0x8e, 0, 0, 0, 0, 0, 0, 0, 0x40], P.STOP), [], ['TRUNCATED']],
  ['FRAME longer than the data', asm(P.proto(4), P.frame(1000), P.NONE, P.STOP), [], ['TRUNCATED']],
  [
    'opcode straddling its FRAME is read both ways',
    asm(P.proto(4), P.frame(2), [0x43, 3], P.global('os', 'system'), P.sbu('id'), P.TUPLE1, P.REDUCE, P.STOP),
    ['pickle/code-execution', 'pickle/frame-divergence'], ['PARSE_ERROR', 'UNKNOWN_OPCODE'],
  ],
  [
    'pickle.loads(_codecs.encode(inner, "latin1")) is rebuilt and scanned (E2)',
    asm(P.proto(2), P.global('pickle', 'loads'), P.global('_codecs', 'encode'),
      P.binunicode(String.fromCharCode(...evilP4())), P.sbu('latin1'), P.TUPLE2, P.REDUCE, P.TUPLE1, P.REDUCE, P.STOP),
    ['pickle/code-execution', 'pickle/nested-pickle'], [],
  ],
  [
    'loader fed with data that cannot be rebuilt',
    asm(P.proto(2), P.global('pickle', 'loads'), P.global('mylib', 'fetch'), P.EMPTY_TUPLE, P.REDUCE, P.TUPLE1, P.REDUCE, P.STOP),
    ['pickle/nested-opaque', 'pickle/nested-pickle', 'pickle/suspicious-name'], [],
  ],
  ['bytes that are a pickle, carried as data, are probed', asm(P.proto(4), P.binbytes(evilP4()), P.STOP), ['pickle/code-execution'], []],
  ['NEXT_BUFFER then a payload', asm(P.proto(5), P.NEXT_BUFFER, P.READONLY_BUFFER, P.POP, evilP4().subarray(2)), ['pickle/code-execution'], []],
  ['scanner tampering', asm(P.proto(4), P.sbu('picklescan.scanner'), P.sbu('scan_pickle_bytes'), P.STACK_GLOBAL, P.STOP), ['pickle/scanner-tamper'], []],
];

describe('pickle opcode semantics', () => {
  it.each(rows)('%s', async (_name, bytes, rules, incs) => {
    const r = await scanBytes(bytes);
    expect(ruleIds(r)).toEqual([...rules].sort());
    expect(codes(r)).toEqual(incs);
  });

  it('reports the offset of the importing opcode', async () => {
    const r = await scanBytes(evilP4());
    expect(r.findings[0]?.location.offset).toBe(17); // PROTO(2) + sbu posix (7) + sbu system (8) = 17
    expect(r.findings[0]?.evidence.call).toBe('("echo mlvet")');
  });

  it('a file named config.json that holds a protocol-0 pickle is still scanned', async () => {
    const r = await scanBytes(asm(P.global('posix', 'system'), P.string('id'), P.TUPLE1, P.REDUCE, P.STOP), 'config.json');
    expect(ruleIds(r)).toEqual(['pickle/code-execution']);
  });
});
