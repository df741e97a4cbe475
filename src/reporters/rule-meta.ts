/**
 * Rule metadata for renderers that describe rules (SARIF `tool.driver.rules`, HTML links). The
 * caller may pass the rule set it scanned with; otherwise the built-in packs are loaded once. A rule
 * id that neither knows (a pack that was not passed in) still gets a descriptor built from its
 * findings, so no result points at a missing rule.
 */
import type { Finding, Severity } from '../model/report.js';
import { loadRuleSet } from '../rules/load.js';
import type { Rule } from '../rules/types.js';

/** the project's home; package.json `repository` says the same (test/ci/package.test.ts checks) */
export const REPOSITORY_URL = 'https://github.com/mlvet/mlvet';
/** rule docs in the repository, so a help link works for every released rule */
export const DEFAULT_DOCS_BASE = `${REPOSITORY_URL}/blob/main/docs/rules/`;

export type RuleMeta = Pick<Rule, 'id' | 'severity' | 'title'> &
  Partial<Pick<Rule, 'message' | 'technique' | 'references'>>;

let builtin: readonly Rule[] | undefined;

function builtinRules(): readonly Rule[] {
  if (!builtin) {
    try {
      builtin = loadRuleSet().rules;
    } catch {
      // a broken rules directory must not stop a report from being written
      builtin = [];
    }
  }
  return builtin;
}

/** Metadata for every rule id referenced by `findings`, sorted by id. */
export function rulesFor(findings: readonly Finding[], given?: readonly Rule[]): RuleMeta[] {
  const known = new Map<string, RuleMeta>();
  for (const r of [...builtinRules(), ...(given ?? [])]) known.set(r.id, r);
  const out = new Map<string, RuleMeta>();
  for (const f of findings) {
    if (out.has(f.ruleId)) continue;
    out.set(f.ruleId, known.get(f.ruleId) ?? synthesize(f.ruleId, f.severity, f.technique));
  }
  return [...out.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function synthesize(id: string, severity: Severity, technique: string | undefined): RuleMeta {
  return { id, severity, title: id, ...(technique ? { technique } : {}) };
}

export function helpUri(id: string, base = DEFAULT_DOCS_BASE): string {
  const b = base.endsWith('/') ? base : `${base}/`;
  return `${b}${id.split('/').map(encodeURIComponent).join('/')}.md`;
}
