/**
 * A rule tester as strict as ESLint's RuleTester. Each rule gets `valid` inputs, which must produce no
 * finding of that rule, and `invalid` inputs, which must produce exactly the listed findings of it,
 * in order: rule id, severity, message, location and evidence all compared, nothing extra.
 *
 * An input is a list of facts (fast, and how most rules are tested) or bytes put through the real
 * scanners. An expected finding on fact input may leave out `location` and `evidence`: they are
 * then those of the fact it sits `on` (index into `facts`, default 0), which is what a rule that
 * reports the fact it matched must give. Severity defaults to the rule file's own.
 *
 * Tables are data (`defineRuleTests`), run by `runRuleTests`; the rule meta-test reads the same
 * tables to check that every rule is exercised.
 */
import { describe, expect, it } from 'vitest';
import type { Fact, Location } from '../../src/model/facts.js';
import type { AllowEntry } from '../../src/model/policy.js';
import type { Finding, Severity } from '../../src/model/report.js';
import { evaluate } from '../../src/rules/engine.js';
import { loadRuleSet } from '../../src/rules/load.js';
import type { RuleSet } from '../../src/rules/types.js';
import { scanBuffer } from './scan-bytes.js';

export interface ExpectedFinding {
  message: string;
  severity?: Severity;
  /** fact input only: index of the fact the finding sits on (default 0) */
  on?: number;
  location?: Location;
  evidence?: Record<string, unknown>;
}

interface CaseBase {
  name: string;
  /** the target findings name (location.target) */
  target?: string;
  /** allowlist additions, as a config's `allow` gives them */
  allow?: AllowEntry[];
}
export type CaseInput = CaseBase & ({ facts: Fact[] } | { bytes: Uint8Array });
export type InvalidCase = CaseInput & { findings: ExpectedFinding[] };

export interface RuleTests {
  ruleId: string;
  valid: CaseInput[];
  invalid: InvalidCase[];
}

type Projected = Pick<Finding, 'ruleId' | 'severity' | 'message' | 'location' | 'evidence'>;

let builtin: RuleSet | undefined;
export const builtinRules = (): RuleSet => (builtin ??= loadRuleSet());

/** A fact, for tables: `fact('zip.overlap', { member: 'b' }, { path: 'm.pt' })`. */
export function fact(
  kind: string,
  data: Record<string, unknown>,
  location: Location = { path: 'model.bin' },
): Fact {
  return { kind, location, data };
}

export function defineRuleTests(ruleId: string, cases: Omit<RuleTests, 'ruleId'>): RuleTests {
  return { ruleId, ...cases };
}

async function factsOf(input: CaseInput): Promise<Fact[]> {
  if ('facts' in input) return input.facts;
  const r = await scanBuffer(input.bytes);
  return r.facts;
}

/** The findings of one rule that an input gives, in engine order. */
export async function findingsOf(
  ruleId: string,
  input: CaseInput,
  set = builtinRules(),
): Promise<Projected[]> {
  const allow = new Map([['pickle-globals', input.allow ?? []]]);
  const findings = evaluate(await factsOf(input), set, {
    extraAllow: allow,
    ...(input.target ? { target: input.target } : {}),
  });
  return findings
    .filter((f) => f.ruleId === ruleId)
    .map(({ ruleId: id, severity, message, location, evidence }) => ({
      ruleId: id,
      severity,
      message,
      location,
      evidence,
    }));
}

function expected(ruleId: string, severity: Severity, c: InvalidCase): Projected[] {
  return c.findings.map((e) => {
    const anchor = 'facts' in c ? c.facts[e.on ?? 0] : undefined;
    const location =
      e.location ?? (anchor ? { ...(c.target ? { target: c.target } : {}), ...anchor.location } : undefined);
    const evidence = e.evidence ?? anchor?.data;
    if (!location || !evidence)
      throw new Error(`${ruleId} / ${c.name}: give location and evidence for byte input`);
    return { ruleId, severity: e.severity ?? severity, message: e.message, location, evidence };
  });
}

/** What an invalid case gives and what its table says it must give. */
export async function invalidResult(
  t: RuleTests,
  c: InvalidCase,
  set = builtinRules(),
): Promise<{ actual: Projected[]; expected: Projected[] }> {
  const rule = set.rules.find((r) => r.id === t.ruleId);
  if (!rule) throw new Error(`no rule ${t.ruleId}`);
  return { actual: await findingsOf(t.ruleId, c, set), expected: expected(t.ruleId, rule.severity, c) };
}

export function runRuleTests(tables: readonly RuleTests[]): void {
  for (const t of tables) {
    describe(t.ruleId, () => {
      it('is a loaded rule with at least one valid and one invalid case', () => {
        expect(builtinRules().rules.map((r) => r.id)).toContain(t.ruleId);
        expect(t.valid.length).toBeGreaterThan(0);
        expect(t.invalid.length).toBeGreaterThan(0);
      });
      it.each(t.valid.map((c) => [c.name, c] as const))('valid: %s', async (_n, c) => {
        expect(await findingsOf(t.ruleId, c)).toEqual([]);
      });
      it.each(t.invalid.map((c) => [c.name, c] as const))('invalid: %s', async (_n, c) => {
        const { actual, expected: want } = await invalidResult(t, c);
        expect(actual).toStrictEqual(want);
      });
    });
  }
}
