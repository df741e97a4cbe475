/**
 * The memo keeps what a later GET could need and lets go of the rest (src/formats/pickle/memo.ts):
 * strings by reference to their bytes, read back once the window has moved on; containers in a ring
 * of recent indices, then kept (items that matter) or replaced by a shared stand-in; plain values up
 * to a budget. Each row: the stream, and what the machine reports (imports, or the preview of the
 * argument a call received).
 */
import { describe, expect, it } from 'vitest';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { isMlvetError } from '../../src/errors.js';
import { SILENT_EVENTS } from '../../src/formats/pickle/events.js';
import { PickleMachine, type MachineEvents } from '../../src/formats/pickle/machine.js';
import { PLAIN_KEEP } from '../../src/formats/pickle/memo.js';
import { MemoStrings } from '../../src/formats/pickle/memo-strings.js';
import { preview } from '../../src/formats/pickle/values.js';
import { Window } from '../../src/formats/pickle/window.js';
import { DEFAULT_BUDGETS, type Budgets } from '../../src/model/budgets.js';
import { asm, P } from '../helpers/pickle-asm.js';

interface Seen {
  imports: string[];
  args: string[];
  code?: string;
}

/** Run one machine over `bytes` through a window smaller than the stream (so it slides). */
async function run(bytes: Uint8Array, budgets: Partial<Budgets> = {}): Promise<Seen> {
  const seen: Seen = { imports: [], args: [] };
  const ev: MachineEvents = {
    ...SILENT_EVENTS,
    global: (g) => void seen.imports.push(`${g.module}.${g.name}`),
    call: (c) => void seen.args.push(c.args.map((a) => preview(a)).join(', ')),
  };
  const win = new Window(new BufferReader(bytes), 1 << 16);
  const m = new PickleMachine(win, 0, ev, { budgets: { ...DEFAULT_BUDGETS, ...budgets }, deadline: Date.now() + 20_000 });
  try {
    await m.run();
  } catch (e) {
    if (!isMlvetError(e)) throw e;
    seen.code = e.code;
  }
  return seen;
}

const cat = (...parts: Array<number[] | Uint8Array>): Uint8Array => Buffer.concat(parts.map((p) => Uint8Array.from(p)));
const repeat = (part: number[], n: number): Uint8Array => Buffer.concat(Array.from({ length: n }, () => Uint8Array.from(part)));

/** ~2 MiB of short bytes payloads, each pushed and popped: moves the window far past what came before */
const FAR = repeat([...P.sbb(Array<number>(250).fill(0x41)), ...P.POP], 8400);
/** 5,000 memoized strings: pushes every earlier container out of the memo's ring, every earlier string out of its cache */
const MANY = repeat([...P.sbu('x'), ...P.MEMOIZE, ...P.POP], 5000);
const u32le = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const longBinget = (n: number): number[] => [0x6a, ...u32le(n)];
/** builtins.len(memo[idx]): the call's argument shows what the GET returned */
const lenOf = (idx: number): number[] => [...P.global('builtins', 'len'), ...longBinget(idx), ...P.TUPLE1, ...P.REDUCE, ...P.STOP];
/** 6,000 distinct memoized strings s0 … s5999 */
const NAMES = Buffer.concat(Array.from({ length: 6000 }, (_, i) => Uint8Array.from([...P.sbu(`s${i}`), ...P.MEMOIZE, ...P.POP])));
const shortBinstring = (s: string): number[] => [0x55, s.length, ...Buffer.from(s, 'latin1')];

const rows: Array<[string, Uint8Array, Partial<Seen>]> = [
  [
    'UTF-8 strings read back after their bytes left the window',
    cat(P.proto(4), P.sbu('os'), P.MEMOIZE, P.POP, P.sbu('system'), P.MEMOIZE, P.POP, FAR, MANY, P.binget(0), P.binget(1), P.STACK_GLOBAL, P.STOP),
    { imports: ['os.system'] },
  ],
  [
    'latin-1 strings (SHORT_BINSTRING) read back, twice (the second from the cache)',
    cat(P.proto(4), shortBinstring('\xe9t\xe9'), P.binput(0), P.POP, FAR, MANY, lenOf(0).slice(0, -1), P.POP, lenOf(0)),
    { args: ['"été"', '"été"'] },
  ],
  [
    'thousands of old strings read back, each right (the cache grows while read-backs are many)',
    cat(P.proto(4), NAMES, FAR, ...Array.from({ length: 6000 }, (_, i) => [...longBinget(i), ...P.POP]),
      P.binget(0), P.binget(1), P.STACK_GLOBAL, longBinget(5998), longBinget(5999), P.STACK_GLOBAL, P.STOP),
    { imports: ['s0.s1', 's5998.s5999'] },
  ],
  ['a string index overwritten by an int', asm(P.proto(4), P.sbu('os'), P.binput(0), P.POP, P.binint1(5), P.binput(0), P.POP, lenOf(0)), { args: ['5'] }],
  ['an int overwritten by a string', asm(P.proto(4), P.binint(70000), P.binput(0), P.POP, P.sbu('os'), P.binput(0), P.POP, lenOf(0)), { args: ['"os"'] }],
  [
    'a list of strings leaves the ring and is kept',
    cat(P.proto(4), P.EMPTY_LIST, P.MEMOIZE, P.MARK, P.sbu('a'), P.sbu('b'), P.APPENDS, P.POP, MANY, lenOf(0)),
    { args: ['["a", "b"]'] },
  ],
  ['a tuple of ints leaves the ring and is kept', cat(P.proto(4), P.binint1(1), P.binint(1 << 20), P.TUPLE2, P.MEMOIZE, P.POP, MANY, lenOf(0)), { args: ['(1, 1048576)'] }],
  ['a tuple within the ring', cat(P.proto(4), P.binint1(1), P.binint1(2), P.TUPLE2, P.MEMOIZE, P.POP, lenOf(0)), { args: ['(1, 2)'] }],
  [
    'a dict of plain values leaves the ring: a stand-in that had items',
    cat(P.proto(4), P.EMPTY_DICT, P.MEMOIZE, P.binint1(1), P.binint1(2), P.SETITEM, P.POP, MANY, lenOf(0)),
    { args: ['{…}'] },
  ],
  ['an empty dict leaves the ring: an empty stand-in', cat(P.proto(4), P.EMPTY_DICT, P.MEMOIZE, P.POP, MANY, lenOf(0)), { args: ['{}'] }],
  [
    'a dict holding a global leaves the ring and is kept',
    cat(P.proto(4), P.EMPTY_DICT, P.MEMOIZE, P.sbu('f'), P.global('os', 'system'), P.SETITEM, P.POP, MANY, lenOf(0)),
    { args: ['{"f": os.system}'] },
  ],
  [
    'indices spaced 65,000 apart stay sparse (no array sized by the largest index)',
    cat(P.proto(4), P.sbu('os'), ...Array.from({ length: 3000 }, (_, i) => [0x72, ...u32le(i * 65000)]),
      P.POP, P.global('builtins', 'len'), longBinget(2999 * 65000), P.TUPLE1, P.REDUCE, P.STOP),
    { args: ['"os"'] },
  ],
  ['a memo over its budget is a limit, not a clean read', cat(P.proto(4), repeat([...P.NONE, ...P.MEMOIZE], 10_001), P.STOP), { code: 'LIMIT_EXCEEDED' }],
];

describe('memo', () => {
  it('MEMOIZE takes len(memo) after an index kept apart (LONG_BINPUT 100000 while the memo was small) is stored again once the dense range grew past it', async () => {
    const bytes = cat(P.proto(4), P.NONE, [0x72, ...u32le(100000)], repeat(P.MEMOIZE, 99_000), P.POP, P.sbu('x'), [0x72, ...u32le(100000)], P.POP,
      P.sbu('posix'), P.MEMOIZE, P.POP, P.sbu('system'), P.MEMOIZE, P.POP, longBinget(99001), longBinget(99002), P.STACK_GLOBAL, P.STOP);
    // counted twice, the re-stored index shifted every later MEMOIZE by one: the GET found nothing
    expect(await run(bytes)).toEqual({ imports: ['posix.system'], args: [] });
  });

  it.each(rows)('%s', async (_name, bytes, want) => {
    const seen = await run(bytes, { maxMemoEntries: 10_000 });
    expect(seen).toMatchObject(want);
    if (!want.code) expect(seen.code).toBeUndefined();
  });

  it(`plain values past the first ${PLAIN_KEEP} kept are unknown to a GET, never a wrong value`, async () => {
    const puts = repeat([...P.binint(1 << 20), ...P.MEMOIZE, ...P.POP], PLAIN_KEEP + 1);
    const seen = await run(cat(P.proto(4), puts, lenOf(PLAIN_KEEP - 1).slice(0, -1), P.POP, lenOf(PLAIN_KEEP)));
    expect(seen).toMatchObject({ args: ['1048576', '<memo value past the retention budget>'] });
    expect(seen.code).toBeUndefined();
  });
});

describe('memo strings past 4 GiB', () => {
  it('reads a string back from its full offset', async () => {
    const asked: number[] = [];
    const win = { start: 0, len: 0, buf: new Uint8Array(0), slice: (o: number) => (asked.push(o), Promise.resolve(Uint8Array.from([0x6f, 0x73]))) };
    const strs = new MemoStrings(win as unknown as Window);
    const far = 5 * 2 ** 32 + 7;
    strs.add({ t: 'str', v: 'os' }, far, 2, false);
    for (let i = 1; i <= 5000; i++) strs.add({ t: 'str', v: 'x' }, i, 1, false); // pushes position 0 out of the cache
    expect(strs.get(0)).toBeUndefined(); // not cached, not in the (empty) window
    expect(await strs.read(0)).toEqual({ t: 'str', v: 'os' });
    expect(asked).toEqual([far]);
  });
});
