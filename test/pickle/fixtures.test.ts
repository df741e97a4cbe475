/**
 * Every pickle fixture against fixtures/pickle/expected.json: benign ones produce no finding and are
 * not inconclusive; each malicious one produces its rule at the offset of the opcode that imports the
 * global (or calls it), nested payloads are found inside, and broken streams are inconclusive.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';

interface Must {
  ruleId: string;
  global?: string;
  offset?: number;
  nested?: Array<{ global: string }>;
  /** the finding is inside the rebuilt second stage, not on the outer pickle */
  inNested?: boolean;
}
interface Expected {
  technique: string;
  must: Must[];
  inconclusive: boolean;
}

const dir = join(FIXTURES, 'pickle');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Expected>;
const entries = Object.entries(expected);
const benign = entries.filter(([, e]) => e.must.length === 0);
const malicious = entries.filter(([, e]) => e.must.length > 0);

describe('benign pickle fixtures are clean', () => {
  it.each(benign)('%s', async (rel, e) => {
    const r = await scan({ targets: [join(dir, rel)] });
    expect(r.findings.map((f) => `${f.ruleId} ${JSON.stringify(f.evidence.qualname ?? '')}`)).toEqual([]);
    expect(r.inconclusive.length > 0).toBe(e.inconclusive);
  });
});

describe('malicious pickle fixtures are detected', () => {
  it.each(malicious)('%s', async (rel, e) => {
    const r = await scan({ targets: [join(dir, rel)] });
    for (const m of e.must) {
      const top = r.findings.filter((f) => f.ruleId === m.ruleId && (m.inNested ? f.location.member !== undefined : !f.location.member));
      const atOffset = top.filter(
        (f) =>
          m.offset === undefined ||
          m.inNested === true ||
          f.location.offset === m.offset ||
          f.evidence.callOffset === m.offset ||
          f.evidence.targetOffset === m.offset,
      );
      expect(atOffset.length, `${m.ruleId} ${m.global ?? ''} @${m.offset}`).toBeGreaterThan(0);
      for (const n of m.nested ?? []) {
        const inner = r.findings.filter(
          (f) =>
            f.location.member !== undefined &&
            ((f.evidence.readings as Array<{ module: string; name: string }> | undefined) ?? []).some(
              (x) => `${x.module}.${x.name}` === n.global,
            ),
        );
        expect(inner.length, `nested ${n.global}`).toBeGreaterThan(0);
      }
    }
    expect(r.inconclusive.length > 0, r.inconclusive.map((i) => i.message).join('; ')).toBe(e.inconclusive);
    // a finding is never hidden by an error: broken streams still report what came before
    expect(r.findings.length).toBeGreaterThan(0);
  });
});

describe('second benign corpus (fixtures/pickle/benign-extra)', () => {
  it('192 real sklearn / pandas / scipy / numpy / torch artifacts: no finding, nothing inconclusive', async () => {
    const r = await scan({ targets: [join(dir, 'benign-extra')] });
    expect(r.targets[0]?.files).toBe(192);
    expect(r.findings.map((f) => `${f.ruleId} ${f.location.path} ${JSON.stringify(f.evidence.qualname ?? '')}`)).toEqual([]);
    expect(r.inconclusive).toEqual([]);
  });
});

interface Gadget {
  class: string;
  ruleId: string;
  global: string;
}

describe('gadgets inside allowlisted libraries (fixtures/pickle/gadgets, make_gadgets.py)', () => {
  const gdir = join(dir, 'gadgets');
  const gadgets = JSON.parse(readFileSync(join(gdir, 'expected.json'), 'utf8')) as Record<string, Gadget>;
  const reading = (f: { evidence: Record<string, unknown> }): string[] =>
    ((f.evidence.readings as Array<{ module: string; name: string }> | undefined) ?? []).map((x) => `${x.module}.${x.name}`);
  it('every variant (assembler p4/p2, torch.save checkpoint, DataFrame attrs) is its rule, at the gadget', async () => {
    const r = await scan({ targets: [gdir] });
    const missed = Object.entries(gadgets).filter(
      ([file, g]) => !r.findings.some((f) => f.location.path === file && f.ruleId === g.ruleId && reading(f).includes(g.global)),
    );
    expect(missed.map(([file, g]) => `${file}: ${g.ruleId} ${g.global}`)).toEqual([]);
    expect(r.targets[0]?.files).toBe(Object.keys(gadgets).length + 1); // + expected.json
    expect(Object.keys(gadgets).length).toBeGreaterThanOrEqual(100);
  });
});
