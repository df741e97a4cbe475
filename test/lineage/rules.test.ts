/**
 * Rule tester for the `lineage` pack: every problem code has a rule, a doc page, and fires on its
 * own code only (positive and negative case per rule).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/rules/engine.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { PROBLEM_CODES } from '../../src/lineage/types.js';
import { ROOT } from '../helpers/cli.js';

const rules = loadRuleSet().rules.filter((r) => r.id.startsWith('lineage/'));
/** code → rule id, spelled out so the catalogue meta-test finds each id named in a test */
const RULE_OF: Record<(typeof PROBLEM_CODES)[number], string> = {
  BUNDLE_INVALID: 'lineage/bundle-invalid',
  KEY_UNTRUSTED: 'lineage/key-untrusted',
  SIGNATURE_INVALID: 'lineage/signature-invalid',
  PAYLOAD_UNSUPPORTED: 'lineage/payload-unsupported',
  STATEMENT_INVALID: 'lineage/statement-invalid',
  FILE_MISSING: 'lineage/file-missing',
  FILE_EXTRA: 'lineage/file-extra',
  DIGEST_MISMATCH: 'lineage/digest-mismatch',
  SIZE_MISMATCH: 'lineage/size-mismatch',
  PATH_UNSAFE: 'lineage/path-unsafe',
  SOURCE_UNPINNED: 'lineage/source-unpinned',
  SOURCE_WEAK_DIGEST: 'lineage/source-weak-digest',
  LINEAGE_DANGLING: 'lineage/lineage-dangling',
  LINEAGE_CYCLE: 'lineage/lineage-cycle',
};
const ruleFor = (code: (typeof PROBLEM_CODES)[number]): string => RULE_OF[code];
const fact = (code: string) => ({
  kind: 'lineage.problem',
  location: { path: 'weights.bin' },
  data: { code, detail: 'weights.bin: detail', path: 'weights.bin', expected: 'e3b0', actual: 'a9bb', manifest: 'm.json', key: code },
});

describe('lineage rule pack', () => {
  it('has exactly one rule per problem code, and nothing else', () => {
    expect(rules.map((r) => r.id).sort()).toEqual(PROBLEM_CODES.map(ruleFor).sort());
    expect(readdirSync(join(ROOT, 'rules', 'lineage')).length).toBe(PROBLEM_CODES.length);
  });

  it.each(PROBLEM_CODES.map((c) => [c]))('%s: doc page, fires on its code, not on another', (code) => {
    const id = ruleFor(code);
    expect(existsSync(join(ROOT, 'docs', 'rules', `${id}.md`))).toBe(true);
    const set = loadRuleSet();
    const hit = evaluate([fact(code)], set).filter((f) => f.ruleId.startsWith('lineage/'));
    expect(hit.map((f) => f.ruleId)).toEqual([id]);
    expect(hit[0]!.message).not.toMatch(/\{\{|\}\}/);
    expect(hit[0]!.evidence.code).toBe(code);
    const other = PROBLEM_CODES.find((c) => c !== code)!;
    expect(evaluate([fact(other)], set).map((f) => f.ruleId)).not.toContain(id);
  });
});
