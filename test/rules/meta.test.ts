/**
 * Keeps rules, checks, fact kinds, docs and tests in step: every rule loads against the schema with
 * an id equal to its path, has a doc page with the standard sections, reads only catalogued fact
 * kinds, and goes through the rule tester with at least one valid and one invalid case; every
 * built-in check sits in its own file and is used; every fact kind `src/` emits is catalogued.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FACT_KINDS, isFactKind } from '../../src/model/fact-kinds.js';
import { CHECKS } from '../../src/rules/checks/index.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { ROOT } from '../helpers/cli.js';
import { RULE_TESTS } from './cases/index.js';

const set = loadRuleSet();
const tables = new Map(RULE_TESTS.map((t) => [t.ruleId, t]));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : n.endsWith('.ts') ? [p] : [];
  });
}

/** `kind: …` expressions in the emitting stages: dotted string literals, and `prefix.${…}` templates. */
function emittedKinds(): { literals: Set<string>; prefixes: Set<string>; strings: Set<string> } {
  const literals = new Set<string>();
  const prefixes = new Set<string>();
  const strings = new Set<string>();
  for (const dir of ['scanners', 'sources', 'lineage', 'validation', 'formats']) {
    for (const file of walk(join(ROOT, 'src', dir))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/'([a-z0-9-]+)'/g)) strings.add(m[1]!);
      for (const m of text.matchAll(/\bkind: ([^,}\n]+)/g)) {
        for (const s of m[1]!.matchAll(/'([a-z0-9-]+(?:\.[a-z0-9-]+)+)'/g)) literals.add(s[1]!);
        const t = /^`([a-z0-9-]+\.)\$\{/.exec(m[1]!);
        if (t) prefixes.add(t[1]!);
      }
    }
  }
  return { literals, prefixes, strings };
}

describe('rule catalogue', () => {
  it('loads and is non-empty', () => {
    expect(set.rules.length).toBeGreaterThan(90);
  });
  it.each(set.rules.map((r) => [r.id, r] as const))(
    '%s: id is its path, doc page, catalogued fact kinds',
    (id, rule) => {
      expect(relative(join(ROOT, 'rules'), rule.source!).replace(/\.json$/, '')).toBe(id);
      const doc = join(ROOT, 'docs', 'rules', `${id}.md`);
      expect(existsSync(doc), `missing ${doc}`).toBe(true);
      const text = readFileSync(doc, 'utf8');
      expect(text).toMatch(new RegExp(`^# ${id}$`, 'm'));
      expect(text).toMatch(/## (Why|What)/);
      expect(
        isFactKind(rule.match.fact),
        `${id}: match.fact ${rule.match.fact} is not in src/model/fact-kinds.ts`,
      ).toBe(true);
    },
  );
  it.each(set.rules.map((r) => [r.id]))('%s goes through the rule tester (valid and invalid cases)', (id) => {
    const t = tables.get(id);
    expect(t, `no table in test/rules/cases/ for ${id}`).toBeDefined();
    expect(t!.valid.length).toBeGreaterThan(0);
    expect(t!.invalid.length).toBeGreaterThan(0);
    for (const c of t!.invalid)
      expect(c.findings.length, `${id} / ${c.name} lists no findings`).toBeGreaterThan(0);
  });
  it('has one table per rule, and none for a rule that does not exist', () => {
    expect(RULE_TESTS.map((t) => t.ruleId).sort()).toEqual(set.rules.map((r) => r.id).sort());
  });
  it('every kind a check reads is catalogued', () => {
    const watched = [...set.watchers.keys()];
    expect(watched.length).toBeGreaterThan(0);
    expect(watched.filter((k) => !isFactKind(k))).toEqual([]);
  });
  it('every allowlist entry gives a reason', () => {
    for (const [, entries] of set.lists) for (const e of entries) expect(e.reason.length).toBeGreaterThan(2);
  });
});

describe('built-in checks', () => {
  const used = new Set(set.rules.flatMap((r) => (r.check ? [r.check.name] : [])));
  it.each([...CHECKS.values()].map((c) => [c.meta.name, c] as const))(
    '%s: own file, described, used by a rule',
    (name, c) => {
      expect(existsSync(join(ROOT, 'src', 'rules', 'checks', `${name}.ts`))).toBe(true);
      expect(c.meta.description.length).toBeGreaterThan(10);
      expect(c.meta.options.type).toBe('object');
      expect(used.has(name), `no rule names check ${name}`).toBe(true);
    },
  );
});

describe('fact-kind catalogue', () => {
  const { literals, prefixes, strings } = emittedKinds();
  it('lists every kind src/ emits', () => {
    expect(literals.size).toBeGreaterThan(30);
    expect([...literals].filter((k) => !isFactKind(k)).sort()).toEqual([]);
    const kinds = Object.keys(FACT_KINDS);
    expect([...prefixes].filter((p) => !kinds.some((k) => k.startsWith(p))).sort()).toEqual([]);
  });
  it('lists nothing src/ does not emit', () => {
    const emitted = (k: string): boolean =>
      literals.has(k) || [...prefixes].some((p) => k.startsWith(p) && strings.has(k.slice(p.length)));
    expect(
      Object.keys(FACT_KINDS)
        .filter((k) => !emitted(k))
        .sort(),
    ).toEqual([]);
  });
});
