/**
 * From rules as written to a rule set ready to run, once per load: `where` compiled, the named check
 * resolved and its options validated against the check's own schema and compiled, and the rules
 * indexed by the fact kinds they read. Every problem is returned with the field it is in.
 */
import type { ErrorObject } from 'ajv';
import type { AllowEntry } from '../model/policy.js';
import { compiledInline } from '../schemas.js';
import { CHECKS } from './checks/index.js';
import { compileWhere } from './conditions.js';
import type { CompiledRule, Rule, RuleSet } from './types.js';

const optionErrors = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map(
    (e) => `check.options${e.instancePath.replace(/\//g, '.')} ${e.message ?? 'is invalid'}`,
  );

/** One rule compiled; problems are pushed as field-first text (`check.options.patterns …`). */
function compileRule(rule: Rule, problems: string[]): CompiledRule {
  const where = compileWhere(rule.match.where, 'match.where', problems);
  if (!rule.check) return { rule, where };
  const impl = CHECKS.get(rule.check.name);
  if (!impl) {
    problems.push(
      `check.name: no built-in check "${rule.check.name}" (known: ${[...CHECKS.keys()].join(', ')})`,
    );
    return { rule, where };
  }
  const raw = rule.check.options ?? {};
  const validate = compiledInline(`check:${impl.meta.name}`, impl.meta.options);
  if (!validate(raw)) {
    problems.push(...optionErrors(validate.errors));
    return { rule, where };
  }
  const own: string[] = [];
  const options = impl.compile(raw, own);
  problems.push(...own.map((p) => `check.options.${p}`));
  return { rule, where, check: { impl, options } };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * Compile validated rules (sorted by id) into a rule set. `problemsOf(rule, text)` receives each
 * problem with the rule it belongs to, so the loader can name the file.
 */
export function compileRuleSet(
  rules: Rule[],
  lists: Map<string, AllowEntry[]>,
  problem: (rule: Rule, text: string) => void,
): RuleSet {
  const byKind = new Map<string, CompiledRule[]>();
  const watchers = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    const problems: string[] = [];
    const cr = compileRule(rule, problems);
    for (const p of problems) problem(rule, p);
    push(byKind, rule.match.fact, cr);
    if (cr.check?.impl.watches)
      for (const kind of cr.check.impl.watches(cr.check.options)) push(watchers, kind, cr);
  }
  return { rules, lists, byKind, watchers };
}
