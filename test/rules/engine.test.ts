/**
 * The engine and loader themselves: options checked at load (file and field named, every problem
 * at once), group precedence across checks, the documented order, a fresh check per run, and a
 * rule tester that fails on anything it was not told.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/rules/engine.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { builtinRules, defineRuleTests, fact, findingsOf, invalidResult } from '../helpers/rule-tester.js';

const rule = (id: string, extra: Record<string, unknown>) => ({
  id,
  severity: 'high',
  title: 'a test rule',
  message: 'm {{qualname}}',
  match: { fact: 'pickle.global' },
  ...extra,
});

function pack(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlvet-rules-'));
  for (const [name, doc] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), JSON.stringify(doc));
  }
  return dir;
}

function problemsOf(dir: string): string[] {
  try {
    loadRuleSet([dir]);
  } catch (e) {
    const err = e as { code: string; details: { problems: string[] } };
    expect(err.code).toBe('RULES_INVALID');
    return err.details.problems.map((p) => p.slice(dir.length + 1));
  }
  throw new Error('loaded');
}

describe('loading checks', () => {
  it('names the file and field of every bad check reference, all at once', () => {
    const dir = pack({
      'x/unknown.json': rule('x/unknown', { check: { name: 'no-such-check' } }),
      'x/missing.json': rule('x/missing', { check: { name: 'pickle-globals', options: {} } }),
      'x/typed.json': rule('x/typed', {
        check: { name: 'pickle-allowlist', options: { allowlisted: 'no' } },
      }),
      'x/regex.json': rule('x/regex', {
        check: {
          name: 'target-also-has',
          options: { fact: 'source.unpinned', as: 'u', where: { ref: { regex: '(' } } },
        },
      }),
      'x/where.json': rule('x/where', { match: { fact: 'pickle.global', where: { name: { regex: '[' } } } }),
    });
    expect(problemsOf(dir)).toEqual([
      "x/missing.json: check.options must have required property 'patterns'",
      'x/regex.json: check.options.where.ref.regex: Invalid regular expression: /(/u: Unterminated group',
      'x/typed.json: check.options.allowlisted must be boolean',
      'x/unknown.json: check.name: no built-in check "no-such-check" (known: pickle-globals, pickle-allowlist, target-also-has)',
      'x/where.json: match.where.name.regex: Invalid regular expression: /[/u: Unterminated character class',
    ]);
  });
  it('rejects the old inline conditions: globals and allowlisted are check options now', () => {
    const dir = pack({
      'x/old.json': rule('x/old', { match: { fact: 'pickle.global', allowlisted: false } }),
    });
    expect(problemsOf(dir)).toEqual(['x/old.json: /match must NOT have additional properties']);
  });
  it('indexes rules by the kind they anchor on and by the kinds their checks read', () => {
    const set = builtinRules();
    expect(set.byKind.get('pickle.global')!.map((c) => c.rule.id)).toEqual(
      [...set.byKind.get('pickle.global')!.map((c) => c.rule.id)].sort(),
    );
    expect([...set.watchers].map(([k, rs]) => [k, rs.map((c) => c.rule.id)])).toEqual([
      ['hf.auto-map', ['hf/remote-code-executes']],
      ['source.unpinned', ['hf/remote-code-unpinned']],
    ]);
  });
});

const g = (module: string, name: string, offset: number) =>
  fact(
    'pickle.global',
    {
      module,
      name,
      qualname: `${module}.${name}`,
      readings: [{ module, name }],
      dunders: [],
      lastName: name,
      key: `${module}.${name}`,
    },
    { path: 'p.pkl', offset },
  );
const autoMap = fact(
  'hf.auto-map',
  { files: ['m.py'], classes: ['AutoModel=m.M'], key: 'auto_map' },
  { path: 'config.json' },
);
const unpinned = fact(
  'source.unpinned',
  { scheme: 'hf', target: 'hf://o/m', ref: 'main', commit: 'c', pinTo: 'hf://o/m@c', key: 'hf://o/m' },
  { path: '.' },
);

describe('evaluation', () => {
  it('orders findings by fact, then severity, then rule id; a group keeps its most severe rule', () => {
    const facts = [g('mylib', 'run', 30), autoMap, g('posix', 'system', 10), unpinned];
    const ids = evaluate(facts, builtinRules()).map(
      (f) => `${f.location.path}@${f.location.offset ?? '-'} ${f.ruleId}`,
    );
    expect(ids).toEqual([
      'p.pkl@30 pickle/suspicious-name',
      'config.json@- hf/remote-code-unpinned',
      'config.json@- hf/remote-code',
      'p.pkl@10 pickle/code-execution',
      '.@- pinning/hf-unpinned-revision',
    ]);
    expect(evaluate(facts, builtinRules())).toEqual(evaluate(facts, builtinRules()));
  });
  it('instantiates checks per run: an earlier target does not leak into the next', () => {
    const set = builtinRules();
    expect(evaluate([unpinned, autoMap], set).map((f) => f.ruleId)).toContain('hf/remote-code-unpinned');
    expect(evaluate([autoMap], set).map((f) => f.ruleId)).not.toContain('hf/remote-code-unpinned');
  });
  it('the allowlist check reads config additions', () => {
    const allow = new Map([['pickle-globals', [{ module: 'mylib', names: ['Net'], reason: 'ours' }]]]);
    expect(evaluate([g('mylib', 'Net', 0)], builtinRules()).map((f) => f.ruleId)).toEqual([
      'pickle/unknown-global',
    ]);
    expect(evaluate([g('mylib', 'Net', 0)], builtinRules(), { extraAllow: allow })).toEqual([]);
  });
});

describe('the rule tester is strict', () => {
  const one = {
    name: 'auto_map',
    facts: [autoMap],
    findings: [
      {
        message:
          'auto_map wires in repository code (m.py): loading with trust_remote_code=True runs AutoModel=m.M',
      },
    ],
  };
  it.each([
    ['the table as written', one, true],
    ['another message', { ...one, findings: [{ message: 'auto_map wires in code' }] }, false],
    ['another severity', { ...one, findings: [{ ...one.findings[0]!, severity: 'low' as const }] }, false],
    ['other evidence', { ...one, findings: [{ ...one.findings[0]!, evidence: { files: ['m.py'] } }] }, false],
    [
      'another location',
      { ...one, findings: [{ ...one.findings[0]!, location: { path: 'config.json', line: 1 } }] },
      false,
    ],
    ['a finding left out', { ...one, facts: [autoMap, autoMap], findings: one.findings }, false],
  ])('%s', async (_n, c, same) => {
    const { actual, expected } = await invalidResult(
      defineRuleTests('hf/remote-code', { valid: [], invalid: [c] }),
      c,
    );
    expect(isDeepStrictEqual(actual, expected)).toBe(same);
  });
  it('a valid case sees every finding of its rule', async () => {
    expect(
      (await findingsOf('hf/remote-code', { name: 'x', facts: [autoMap] })).map((f) => f.ruleId),
    ).toEqual(['hf/remote-code']);
  });
});
