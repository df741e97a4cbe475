/**
 * Warm-up pickles for the opcode loop (issue 16). V8 optimises `runSync` while the first large window
 * is still running, before the loop has ever left a window (`needMore`), stopped, or checked its time
 * budget; each of those paths, reached later for the first time, throws the optimised code away
 * (an "insufficient type feedback" deopt) and the loop runs unoptimised until V8 compiles it again. A
 * 12 MB dense pickle paid ~7 such cycles. Running these few small pickles first (in memory, silent
 * events, ~0.1 ms) gives every common opcode and every exit of the loop its feedback, so the first
 * compile is the one that stays. Nothing here is reported: the machine runs them with its own events.
 */

const SBU = 0x8c;
const MEMOIZE = 0x94;

/** A protocol-4 stream of `units` dicts in a list, the shapes dense data and state dicts use. */
function body(units: number, framed: boolean): number[] {
  const out: number[] = [];
  let memo = 0;
  const keys = new Map<string, number>();
  const str = (s: string): void => {
    out.push(SBU, s.length, ...Array.from(s, (c) => c.charCodeAt(0)), MEMOIZE);
    memo++;
  };
  const key = (k: string): void => {
    const i = keys.get(k);
    if (i !== undefined) out.push(0x68, i); // BINGET
    else {
      keys.set(k, memo);
      str(k);
    }
  };
  out.push(0x5d, MEMOIZE, 0x28); // EMPTY_LIST MEMOIZE MARK
  memo++;
  for (let i = 0; i < units; i++) {
    out.push(0x7d, 0x71, memo & 0xff, 0x28); // EMPTY_DICT BINPUT MARK
    memo++;
    key('id');
    out.push(0x4a, i & 0xff, 1, 0, 0); // BININT
    key('score');
    out.push(0x47, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0); // BINFLOAT 1.0
    key('name');
    str(`n${i}`);
    key('tags');
    out.push(0x5d, MEMOIZE, 0x28, 0x4b, i & 0x7f, 0x4d, 1, 2, 0x65); // EMPTY_LIST MEMOIZE MARK BININT1 BININT2 APPENDS
    memo++;
    key('flags');
    out.push(0x4e, 0x88, 0x89, 0x87); // NONE NEWTRUE NEWFALSE TUPLE3
    key('pair');
    out.push(0x4b, 1, 0x85, 0x4b, 2, 0x86); // BININT1 TUPLE1 BININT1 TUPLE2
    key('empty');
    out.push(0x29, 0x75); // EMPTY_TUPLE SETITEMS
    key('more');
    out.push(0x5d, 0x4b, 3, 0x61, 0x73); // EMPTY_LIST BININT1 APPEND SETITEM
    if (i % 8 === 7) out.push(0x65, 0x28); // APPENDS MARK: the list is extended in batches
  }
  out.push(0x65, 0x2e); // APPENDS STOP
  if (!framed) return [0x80, 4, ...out];
  const len = out.length;
  return [0x80, 4, 0x95, len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff, 0, 0, 0, 0, 0, ...out];
}

export interface WarmRun {
  bytes: Uint8Array;
  /** the opcode count to start at: just under a time-budget check, so that path runs too */
  opcodes: number;
}

/**
 * The warm-up runs: whole pickles (one framed, one reaching a time-budget check), then one cut at an
 * opcode, inside a fixed-size argument and inside a string (each ends TRUNCATED, after leaving the
 * loop through that exit).
 */
export function warmRuns(): WarmRun[] {
  const plain = body(48, false);
  const open = plain.slice(0, -1); // without STOP
  const run = (b: number[], opcodes = 0): WarmRun => ({ bytes: Uint8Array.from(b), opcodes });
  return [
    run(plain),
    run(body(48, true)),
    run(plain, 0xfffff - 64),
    run(open), // ends at an opcode
    run([...open, 0x4a, 1, 2]), // inside BININT's argument
    run([...open, SBU, 5, 0x61]), // inside SHORT_BINUNICODE's string
  ];
}
