/**
 * ESLint-RuleTester-style tables for rules: `valid` inputs must not produce the rule, `invalid`
 * inputs must produce it (exactly `count` times when given).
 */
import { describe, expect, it } from 'vitest';
import { scanBytes } from './scan-bytes.js';

export interface RuleCase {
  name: string;
  bytes: Uint8Array;
  count?: number;
}

export function ruleTester(ruleId: string, cases: { valid: RuleCase[]; invalid: RuleCase[] }): void {
  describe(ruleId, () => {
    it('has at least one valid and one invalid case', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
    });
    it.each(cases.valid.map((c) => [c.name, c] as const))('valid: %s', async (_n, c) => {
      const r = await scanBytes(c.bytes);
      expect(r.findings.filter((f) => f.ruleId === ruleId)).toEqual([]);
    });
    it.each(cases.invalid.map((c) => [c.name, c] as const))('invalid: %s', async (_n, c) => {
      const r = await scanBytes(c.bytes);
      const hits = r.findings.filter((f) => f.ruleId === ruleId);
      if (c.count !== undefined) expect(hits.length).toBe(c.count);
      else expect(hits.length).toBeGreaterThan(0);
    });
  });
}
