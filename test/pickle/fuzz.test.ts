/**
 * Fuzzing the pickle engine: mutated and truncated fixtures and random opcode streams must never crash,
 * hang or allocate without bound, and a truncated malicious pickle must still report its payload.
 * CI runs a bounded number of iterations; `npm run fuzz` sets MLVET_FUZZ_ITERS for a long run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPS } from '../../src/formats/pickle/opcodes.js';
import { FIXTURES } from '../helpers/cli.js';
import { prng, scanBuffer } from '../helpers/scan-bytes.js';

const ITERS = Number(process.env.MLVET_FUZZ_ITERS ?? 1500);
const SEED = Number(process.env.MLVET_FUZZ_SEED ?? 20261123);
const dir = join(FIXTURES, 'pickle');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, { must: Array<{ offset?: number; ruleId: string }> }>;
const corpus = ['benign', 'malicious']
  .flatMap((d) => readdirSync(join(dir, d)).map((f) => `${d}/${f}`))
  .filter((f) => f.endsWith('.pkl'))
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }))
  .filter((c) => c.bytes.length <= 256 * 1024);
const opcodes = OPS.map((o, i) => (o ? i : -1)).filter((i) => i >= 0);

function mutate(b: Uint8Array, rnd: () => number): Uint8Array {
  const out = Uint8Array.from(b);
  const kind = Math.floor(rnd() * 5);
  const n = 1 + Math.floor(rnd() * 8);
  for (let k = 0; k < n && out.length; k++) {
    const i = Math.floor(rnd() * out.length);
    if (kind === 0) out[i] = out[i]! ^ (1 << Math.floor(rnd() * 8));
    else if (kind === 1) out[i] = opcodes[Math.floor(rnd() * opcodes.length)]!;
    else if (kind === 2) out[i] = [0, 0xff, 0x7f, 0x80][Math.floor(rnd() * 4)]!;
    else if (kind === 3) return out.subarray(0, i);
    else {
      const j = Math.floor(rnd() * out.length);
      return Uint8Array.from([...out.subarray(0, i), ...out.subarray(j, Math.min(out.length, j + 64)), ...out.subarray(i)]);
    }
  }
  return out;
}

function randomStream(rnd: () => number): Uint8Array {
  const out: number[] = [0x80, Math.floor(rnd() * 6)];
  const len = Math.floor(rnd() * 200);
  for (let i = 0; i < len; i++) {
    out.push(opcodes[Math.floor(rnd() * opcodes.length)]!);
    const extra = Math.floor(rnd() * 4);
    for (let k = 0; k < extra; k++) out.push(Math.floor(rnd() * 256));
  }
  return Uint8Array.from(out);
}

/** End of the importing opcode at `at` (the import only exists once its opcode is complete). */
function opEnd(b: Uint8Array, at: number): number {
  const code = b[at];
  if (code === 0x63 || code === 0x69) {
    const nl = b.indexOf(10, at + 1);
    return b.indexOf(10, nl + 1) + 1;
  }
  return at + ({ 0x82: 2, 0x83: 3, 0x84: 5 } as Record<number, number>)[code ?? 0]! || at + 1;
}

async function scanBounded(bytes: Uint8Array): Promise<void> {
  const before = process.memoryUsage().heapUsed;
  const t0 = Date.now();
  await scanBuffer(bytes, { maxSecondsPerFile: 5 });
  expect(Date.now() - t0).toBeLessThan(5000);
  expect(process.memoryUsage().heapUsed - before).toBeLessThan(512 * 1024 * 1024);
}

describe('pickle fuzz', () => {
  it(`survives ${ITERS} mutated fixtures`, async () => {
    const rnd = prng(SEED);
    for (let i = 0; i < ITERS; i++) {
      const c = corpus[Math.floor(rnd() * corpus.length)]!;
      await scanBounded(mutate(c.bytes, rnd));
    }
  });

  it(`survives ${ITERS} random opcode streams`, async () => {
    const rnd = prng(SEED + 1);
    for (let i = 0; i < ITERS; i++) await scanBounded(randomStream(rnd));
  });

  it('a malicious pickle cut anywhere after its import still reports it, and is never clean', async () => {
    const rnd = prng(SEED + 2);
    const mal = corpus.filter((c) => c.name.startsWith('malicious/') && (expected[c.name]?.must[0]?.offset ?? -1) >= 0);
    for (let i = 0; i < Math.min(ITERS, 600); i++) {
      const c = mal[Math.floor(rnd() * mal.length)]!;
      const must = expected[c.name]!.must[0]!;
      const end = opEnd(c.bytes, must.offset!);
      const cut = end + Math.floor(rnd() * Math.max(1, c.bytes.length - end));
      if (cut >= c.bytes.length) continue;
      const r = await scanBuffer(c.bytes.subarray(0, cut));
      const clean = r.facts.length === 0 && r.inconclusive.length === 0;
      expect(clean, `${c.name} cut at ${cut}`).toBe(false);
    }
  });
});
