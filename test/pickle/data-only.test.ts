/**
 * The data-only pass (formats/pickle/data-only.ts) against the full machine. On every stream where the
 * pass runs to its end, both give the same outcome: the same end offset, or the same error code,
 * message and offset; the same opcode count; the same events (probes of embedded pickles, frame
 * divergences). Where the stream has a code opcode, the pass stops there and reports nothing. Streams:
 * the data-only fixtures, and generated data-only pickles (valid ones, then with bytes flipped, data
 * opcodes inserted, truncated), a tenth of them with a code opcode somewhere. Budgets are lowered on some
 * so the depth, memo and opcode limits are reached too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { isMlvetError } from '../../src/errors.js';
import { CODE_OPCODES, HeldEvents } from '../../src/formats/pickle/data-only.js';
import { SILENT_EVENTS, type MachineEvents } from '../../src/formats/pickle/events.js';
import { PickleMachine } from '../../src/formats/pickle/machine.js';
import { OPS } from '../../src/formats/pickle/opcodes.js';
import { Window } from '../../src/formats/pickle/window.js';
import { DEFAULT_BUDGETS, type Budgets } from '../../src/model/budgets.js';
import { FIXTURES } from '../helpers/cli.js';
import { prng } from '../helpers/scan-bytes.js';

type Outcome = { end: number } | { code: string; message: string; offset: unknown } | { codeOpcode: true };

function recorder(): { ev: MachineEvents; log: string[] } {
  const log: string[] = [];
  return {
    log,
    ev: {
      ...SILENT_EVENTS,
      frameDivergence: (offset, detail, from, to) => log.push(`frame ${offset} ${detail} ${from} ${to}`),
      embeddedPickle: (ref, offset) => log.push(`embedded ${offset} ${ref instanceof Uint8Array ? `${ref.length} bytes` : JSON.stringify(ref)}`),
    },
  };
}

async function outcome(f: () => Promise<number>): Promise<Outcome> {
  try {
    const end = await f();
    return end < 0 ? { codeOpcode: true } : { end };
  } catch (e) {
    if (!isMlvetError(e)) throw e;
    return { code: e.code, message: e.message, offset: e.details.offset };
  }
}

/** Both ways over `b`: what the full machine and the data-only pass report. */
async function both(b: Uint8Array, budgets: Budgets = DEFAULT_BUDGETS) {
  const opts = { budgets, deadline: Date.now() + 60_000 };
  const full = recorder();
  const fm = new PickleMachine(new Window(new BufferReader(b), 4096), 0, full.ev, opts);
  const fullOut = await outcome(() => fm.run());
  const held = new HeldEvents();
  const pass = recorder();
  const dm = new PickleMachine(new Window(new BufferReader(b), 4096), 0, held, opts);
  const passOut = await outcome(() => dm.runDataOnly());
  if (!('codeOpcode' in passOut)) held.replay(pass.ev);
  return { full: { out: fullOut, ops: fm.opcodes, log: full.log }, pass: { out: passOut, ops: dm.opcodes, log: pass.log } };
}

const sbu = (s: string): number[] => [0x8c, s.length, ...Buffer.from(s)];

/** A data-only pickle: nested lists, dicts, tuples and sets of numbers, strings, bytes and memo references. */
function dataPickle(rnd: () => number): Uint8Array {
  const out: number[] = [0x80, 2 + Math.floor(rnd() * 4)];
  if (rnd() < 0.3) out.push(0x95, 200, 0, 0, 0, 0, 0, 0, 0); // a FRAME the rest may or may not fit
  let memo = 0;
  const value = (depth: number): void => {
    const r = rnd();
    if (depth > 3 || r < 0.35) {
      const k = Math.floor(rnd() * 12);
      if (k === 0) out.push(0x4b, Math.floor(rnd() * 256));
      else if (k === 1) out.push(0x4a, 1, 2, 3, 4);
      else if (k === 2) out.push(0x47, 0, 0, 0, 0, 0, 0, 0, 0);
      else if (k === 3) out.push(...sbu(`s${Math.floor(rnd() * 50)}`));
      else if (k === 4) out.push(0x4e);
      else if (k === 5) out.push(0x88);
      else if (k === 6 && memo > 0) out.push(0x68, Math.floor(rnd() * memo));
      else if (k === 7) out.push(0x49, ...Buffer.from(`${Math.floor(rnd() * 1e6)}\n`));
      else if (k === 8) out.push(0x43, 3, 1, 2, 3);
      else if (k === 9) {
        // bytes that start like a pickle: a probe candidate
        const inner = [0x80, 4, 0x4b, 1, 0x2e, ...new Array<number>(14).fill(0x4e)];
        out.push(0x43, inner.length, ...inner);
      } else if (k === 10) out.push(0x8a, 2, 0xff, 0x7f);
      else out.push(0x58, 2, 0, 0, 0, 0x68, 0x69);
    } else if (r < 0.55) {
      out.push(0x5d);
      if (rnd() < 0.5) {
        out.push(0x94);
        memo++;
      }
      out.push(0x28);
      for (let i = Math.floor(rnd() * 4); i > 0; i--) value(depth + 1);
      out.push(0x65);
    } else if (r < 0.75) {
      out.push(0x7d);
      if (rnd() < 0.5) out.push(0x71, memo++ & 0xff);
      out.push(0x28);
      for (let i = Math.floor(rnd() * 3); i > 0; i--) {
        out.push(...sbu(`k${i}`));
        value(depth + 1);
      }
      out.push(0x75);
    } else if (r < 0.85) {
      const n = Math.floor(rnd() * 4);
      if (n === 0) out.push(0x29);
      else {
        for (let i = 0; i < n; i++) value(depth + 1);
        out.push([0, 0x85, 0x86, 0x87][n]!);
      }
    } else if (r < 0.92) {
      out.push(0x28);
      for (let i = Math.floor(rnd() * 3); i > 0; i--) value(depth + 1);
      out.push([0x6c, 0x74, 0x91][Math.floor(rnd() * 3)]!);
    } else {
      out.push(0x8f, 0x28);
      value(depth + 1);
      out.push(0x90);
    }
  };
  value(0);
  if (rnd() < 0.2) out.push(0x32, 0x30); // DUP, POP
  out.push(0x2e);
  return Uint8Array.from(out);
}

const dataOpcodes = OPS.map((o, i) => (o && !CODE_OPCODES[i] ? i : -1)).filter((i) => i >= 0);

function mutate(b: Uint8Array, rnd: () => number): Uint8Array {
  const out = Uint8Array.from(b);
  const kind = Math.floor(rnd() * 5);
  for (let k = 1 + Math.floor(rnd() * 4); k > 0 && out.length; k--) {
    const i = Math.floor(rnd() * out.length);
    if (kind === 0) out[i] = out[i]! ^ (1 << Math.floor(rnd() * 8));
    else if (kind === 1) out[i] = dataOpcodes[Math.floor(rnd() * dataOpcodes.length)]!;
    else if (kind === 2) return out.subarray(0, i);
    else if (kind === 3) return Uint8Array.from([...out.subarray(0, i), dataOpcodes[Math.floor(rnd() * dataOpcodes.length)]!, ...out.subarray(i)]);
    else out[i] = [0x63, 0x52, 0x93, 0x62, 0x81][Math.floor(rnd() * 5)]!; // a code opcode
  }
  return out;
}

const small: Budgets = { ...DEFAULT_BUDGETS, maxStackDepth: 6, maxMemoEntries: 3, maxPickleOpcodes: 40 };

describe('the data-only pass gives what the full machine gives', () => {
  const fixtures = ['benign', 'benign-extra']
    .flatMap((d) => readdirSync(join(FIXTURES, 'pickle', d)).map((f) => join(FIXTURES, 'pickle', d, f)))
    .filter((f) => f.endsWith('.pkl'))
    .map((f) => ({ f, b: new Uint8Array(readFileSync(f)) }))
    .filter(({ b }) => b.length < 4 << 20);

  it('on the benign fixtures: data-only ones are counted alike, the others stop at their first code opcode', async () => {
    let dataOnly = 0;
    for (const { f, b } of fixtures) {
      const r = await both(b);
      if ('codeOpcode' in r.pass.out) {
        expect(r.pass.log, f).toEqual([]);
        continue;
      }
      dataOnly++;
      expect(r.pass, f).toEqual(r.full);
    }
    expect(dataOnly).toBeGreaterThan(0);
    expect(fixtures.length - dataOnly).toBeGreaterThan(10);
  });

  it('on generated data-only pickles, valid, mutated and truncated, at default and small budgets', async () => {
    const rnd = prng(20261203);
    const seen = { ok: 0, errors: new Set<string>(), code: 0 };
    for (let i = 0; i < 6000; i++) {
      let b = dataPickle(rnd);
      if (i % 3) b = mutate(b, rnd);
      const r = await both(b, i % 5 === 0 ? small : DEFAULT_BUDGETS);
      if ('codeOpcode' in r.pass.out) {
        seen.code++;
        expect(r.pass.log).toEqual([]);
        continue;
      }
      if ('end' in r.pass.out) seen.ok++;
      else seen.errors.add(r.pass.out.code);
      expect(r.pass, Buffer.from(b).toString('hex')).toEqual(r.full);
    }
    // the comparison reached successes, every kind of error and the code-opcode stop
    expect(seen.ok).toBeGreaterThan(1000);
    expect([...seen.errors].sort()).toEqual(expect.arrayContaining(['LIMIT_EXCEEDED', 'MEMO_MISSING', 'PARSE_ERROR', 'STACK_UNDERFLOW', 'TRUNCATED', 'UNKNOWN_OPCODE']));
    expect(seen.code).toBeGreaterThan(100);
  });

  it('over a reader with latency it stays in its first window, so the full machine reads nothing twice', async () => {
    // a data-only list of 15,000 short strings: ~110 KB, past the 64 KiB the first fill reads
    const body: number[] = [0x80, 4, 0x5d, 0x28];
    for (let i = 0; i < 15000; i++) body.push(...sbu(`v${i}`));
    body.push(0x65, 0x2e);
    const bytes = Uint8Array.from(body);
    const reads: number[] = [];
    class Remote extends BufferReader {
      override readInto(buf: Uint8Array, bufOffset: number, length: number, position: number): Promise<number> {
        reads.push(position);
        return super.readInto(buf, bufOffset, length, position);
      }
      prefetch(): Promise<void> {
        return Promise.resolve();
      }
    }
    const win = new Window(new Remote(bytes), 4096);
    const opts = { budgets: DEFAULT_BUDGETS, deadline: Date.now() + 60_000 };
    expect(await new PickleMachine(win, 0, new HeldEvents(), opts).runDataOnly()).toBe(-1);
    expect(reads).toEqual([0]);
    expect(await new PickleMachine(win, 0, SILENT_EVENTS, opts).run()).toBe(bytes.length);
    expect(reads[1]).toBeGreaterThan(0);
    // without latency the pass reads on to STOP
    expect(await new PickleMachine(new Window(new BufferReader(bytes), 4096), 0, new HeldEvents(), opts).runDataOnly()).toBe(bytes.length);
  });

  it('a memo index stored sparse stays defined once the dense range grows past it', async () => {
    // LONG_BINPUT 100000 while the memo is small (kept apart from the dense range), then 99,000 MEMOIZEs
    // grow the dense range past 100000, then LONG_BINGET 100000
    const body: number[] = [0x80, 4, 0x4e, 0x72, 0xa0, 0x86, 0x01, 0x00];
    for (let i = 0; i < 99_000; i++) body.push(0x94);
    // then stores it again (one entry, not two) and MEMOIZEs once more: index 99001, as len(memo) says
    body.push(0x30, 0x6a, 0xa0, 0x86, 0x01, 0x00, 0x72, 0xa0, 0x86, 0x01, 0x00, 0x94, 0x30, 0x6a, 0xb9, 0x82, 0x01, 0x00, 0x2e);
    const r = await both(Uint8Array.from(body));
    expect(r.full.out).toEqual({ end: body.length });
    expect(r.pass).toEqual(r.full);
  });
});
