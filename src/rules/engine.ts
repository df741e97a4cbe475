/**
 * Turns one target's facts into findings. Each fact goes to the rules indexed under its kind; a rule
 * whose `where` holds either fires on it directly or, when it names a check, hands the fact to the
 * check's handlers, which report on it then or at the end of the target. Checks that read several
 * kinds also get those facts. Within a precedence `group`, only the most severe rule that fired on a
 * fact is kept (ties go to the lower id), so a denylisted global is reported once as code execution
 * and not again as "unknown".
 *
 * Order: findings follow the facts they sit on, in fact order; the findings on one fact go most
 * severe first, then by rule id. A finding a check makes at the end of the target still takes its
 * fact's place, so the same facts always give the same findings in the same order.
 */
import { createHash } from 'node:crypto';
import { MlvetError } from '../errors.js';
import type { Fact } from '../model/facts.js';
import type { AllowEntry } from '../model/policy.js';
import type { Finding } from '../model/report.js';
import { severityRank } from '../model/report.js';
import type { CheckHandlers } from './checks/types.js';
import { getField } from './conditions.js';
import { byCodeUnit } from './order.js';
import type { CompiledRule, Rule, RuleSet } from './types.js';

export interface EngineOptions {
  /** extra allowlist entries (from config), by list name */
  extraAllow?: ReadonlyMap<string, AllowEntry[]>;
  target?: string;
}

interface Hit {
  rule: Rule;
  extra?: Record<string, unknown>;
}

function fieldText(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return String(x);
  if (x === undefined) return 'undefined';
  return typeof x === 'symbol' ? x.toString() : JSON.stringify(x);
}

function render(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
    const v = getField(data, path);
    if (v === undefined || v === null) return '';
    return Array.isArray(v) ? v.map(fieldText).join(', ') : fieldText(v);
  });
}

/**
 * Stable across runs, distinct across targets: two copies of one model scanned in one run are two
 * findings, and `report merge` and GitHub code scanning keep both.
 */
export function fingerprint(ruleId: string, fact: Fact, target = ''): string {
  const l = fact.location;
  const k = fact.data.key ?? fact.data.qualname;
  const key =
    typeof k === 'string' || typeof k === 'number' ? String(k) : k === undefined ? '' : JSON.stringify(k);
  const h = createHash('sha256');
  h.update(
    [ruleId, target, l.path, l.member ?? '', String(l.offset ?? ''), String(l.line ?? ''), key].join('\u0000'),
  );
  return 'sha256:' + h.digest('hex');
}

function mergedLists(set: RuleSet, extra: EngineOptions['extraAllow']): Map<string, AllowEntry[]> {
  const lists = new Map(set.lists);
  for (const [k, v] of extra ?? []) lists.set(k, [...(lists.get(k) ?? []), ...v]);
  return lists;
}

/** The rules that fire on one fact, after group precedence, in output order. */
function fired(hits: readonly Hit[]): Hit[] {
  // a check may report the same fact twice; the first report stands
  const first = new Map<string, Hit>();
  for (const h of hits) if (!first.has(h.rule.id)) first.set(h.rule.id, h);
  const byId = [...first.values()].sort((a, b) => byCodeUnit(a.rule.id, b.rule.id));
  const best = new Map<string, Hit>();
  const out: Hit[] = [];
  for (const h of byId) {
    const group = h.rule.match.group;
    if (!group) out.push(h);
    else if (!best.has(group) || severityRank(h.rule.severity) > severityRank(best.get(group)!.rule.severity))
      best.set(group, h);
  }
  out.push(...best.values());
  return out.sort(
    (a, b) =>
      severityRank(b.rule.severity) - severityRank(a.rule.severity) || byCodeUnit(a.rule.id, b.rule.id),
  );
}

function finding(h: Hit, fact: Fact, target: string | undefined): Finding {
  const evidence = h.extra ? { ...fact.data, ...h.extra } : fact.data;
  const r = h.rule;
  return {
    ruleId: r.id,
    severity: r.severity,
    message: render(r.message, evidence),
    location: { ...(target ? { target } : {}), ...fact.location },
    evidence,
    fingerprint: fingerprint(r.id, fact, target),
    ...(r.technique ? { technique: r.technique } : {}),
  };
}

/**
 * Evaluate one target's facts against a loaded rule set. Checks are instantiated afresh for each
 * call, so nothing carries over from one target to the next.
 */
export function evaluate(facts: readonly Fact[], set: RuleSet, opts: EngineOptions = {}): Finding[] {
  const lists = mergedLists(set, opts.extraAllow);
  const hits: Hit[][] = facts.map(() => []);
  let position: Map<Fact, number> | undefined;
  const indexOf = (fact: Fact): number => {
    position ??= new Map(facts.map((f, i) => [f, i]));
    const i = position.get(fact);
    if (i === undefined) throw new MlvetError('RULES_INVALID', 'a check reported a fact it was not given');
    return i;
  };
  const handlers = new Map<CompiledRule, CheckHandlers>();
  const handlersOf = (cr: CompiledRule): CheckHandlers => {
    let h = handlers.get(cr);
    if (!h) {
      const rule = cr.rule;
      const report = (fact: Fact, extra?: Record<string, unknown>): void =>
        void hits[indexOf(fact)]!.push({ rule, ...(extra ? { extra } : {}) });
      h = cr.check!.impl.create({ options: cr.check!.options, lists, report });
      handlers.set(cr, h);
    }
    return h;
  };
  for (const [i, fact] of facts.entries()) {
    for (const cr of set.byKind.get(fact.kind) ?? []) {
      if (!cr.where(fact)) continue;
      if (cr.check) handlersOf(cr).fact?.(fact);
      else hits[i]!.push({ rule: cr.rule });
    }
    for (const cr of set.watchers.get(fact.kind) ?? []) handlersOf(cr).on?.[fact.kind]?.(fact);
  }
  for (const h of handlers.values()) h.endTarget?.();
  return hits.flatMap((hs, i) => (hs.length ? fired(hs).map((h) => finding(h, facts[i]!, opts.target)) : []));
}
