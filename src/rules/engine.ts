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

/** The packs' lists with the config's additions; the packs' own lists (indexed once) when there are none. */
function mergedLists(set: RuleSet, extra: EngineOptions['extraAllow']): ReadonlyMap<string, readonly AllowEntry[]> {
  const adds = [...(extra ?? [])].filter(([, v]) => v.length > 0);
  if (adds.length === 0) return set.lists;
  const lists = new Map(set.lists);
  for (const [k, v] of adds) lists.set(k, [...(lists.get(k) ?? []), ...v]);
  return lists;
}

/** The rules that fire on one fact, after group precedence, in output order. */
function fired(hits: readonly Hit[]): readonly Hit[] {
  if (hits.length === 1) return hits; // most facts that fire fire one rule: nothing to order or group
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
  // hits per fact, made when the first rule fires on it: most facts fire none
  const hits: Array<Hit[] | undefined> = new Array<Hit[] | undefined>(facts.length);
  const hit = (i: number, h: Hit): void => void (hits[i] ??= []).push(h);
  let position: Map<Fact, number> | undefined;
  let current = -1;
  const indexOf = (fact: Fact): number => {
    // a check reports the fact it is handed far more often than one it kept for endTarget
    if (facts[current] === fact) return current;
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
        hit(indexOf(fact), { rule, ...(extra ? { extra } : {}) });
      h = cr.check!.impl.create({ options: cr.check!.options, lists, report });
      handlers.set(cr, h);
    }
    return h;
  };
  for (let i = 0; i < facts.length; i++) {
    const fact = facts[i]!;
    current = i;
    const rules = set.byKind.get(fact.kind);
    if (rules)
      for (const cr of rules) {
        if (!cr.where(fact)) continue;
        if (cr.check) handlersOf(cr).fact?.(fact);
        else hit(i, { rule: cr.rule });
      }
    const watchers = set.watchers.get(fact.kind);
    if (watchers) for (const cr of watchers) handlersOf(cr).on?.[fact.kind]?.(fact);
  }
  current = -1;
  for (const h of handlers.values()) h.endTarget?.();
  const out: Finding[] = [];
  for (let i = 0; i < facts.length; i++) {
    const hs = hits[i];
    if (hs) for (const h of fired(hs)) out.push(finding(h, facts[i]!, opts.target));
  }
  return out;
}
