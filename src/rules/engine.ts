/**
 * Turns facts into findings. A rule matches a fact by kind, then by its conditions: `globals`
 * (module/name patterns tested against every reading of a reference), `allowlisted`, and `where`
 * (field conditions). Within a precedence `group`, only the most severe matching rule fires per fact,
 * so a denylisted global is reported once as code execution and not again as "unknown".
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../model/report.js';
import { severityRank } from '../model/report.js';
import type { Fact } from '../model/facts.js';
import type { AllowEntry } from '../model/policy.js';
import type { Condition, GlobalPattern, Rule, RuleSet } from './types.js';

export interface EngineOptions {
  /** extra allowlist entries (from config), by list name */
  extraAllow?: Map<string, AllowEntry[]>;
  target?: string;
}

interface Reading {
  module: string;
  name: string;
}

export function getField(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function testCondition(v: unknown, c: Condition): boolean {
  if (c.exists !== undefined && (v !== undefined && v !== null) !== c.exists) return false;
  if (c.eq !== undefined && v !== c.eq) return false;
  if (c.in !== undefined && !c.in.includes(v)) return false;
  if (c.nonEmpty !== undefined) {
    const ne = Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v.length > 0 : v !== undefined && v !== null;
    if (ne !== c.nonEmpty) return false;
  }
  if (c.gte !== undefined && !(typeof v === 'number' && v >= c.gte)) return false;
  if (c.regex !== undefined) {
    const vals = Array.isArray(v) ? v : [v];
    const re = new RegExp(c.regex, 'u');
    if (!vals.some((x) => typeof x === 'string' && re.test(x))) return false;
  }
  return true;
}

export function patternMatches(p: GlobalPattern, r: Reading): boolean {
  if (r.module !== p.module && !r.module.startsWith(p.module + '.')) return false;
  if (!p.names) return true;
  return p.names.some((n) => r.name === n || r.name.startsWith(n + '.'));
}

function isPlainOrClassPath(name: string): boolean {
  if (!name.includes('.')) return true;
  // a dotted name under a wildcard entry is allowed only as Class.attr, never a walk into a module
  return /^[A-Z]/.test(name) && !name.split('.').some((p) => p.startsWith('__'));
}

export function isAllowlisted(module: string, name: string, entries: readonly AllowEntry[]): boolean {
  for (const e of entries) {
    if (e.names === '*') {
      const modOk = module === e.module || (e.submodules === true && module.startsWith(e.module + '.'));
      if (modOk && (name === '*' || isPlainOrClassPath(name))) return true;
    } else if (module === e.module && e.names.includes(name)) {
      return true;
    }
  }
  return false;
}

function ruleMatches(rule: Rule, fact: Fact, lists: Map<string, AllowEntry[]>): boolean {
  const m = rule.match;
  if (m.fact !== fact.kind) return false;
  if (m.where) {
    for (const [field, cond] of Object.entries(m.where)) {
      if (!testCondition(getField(fact.data, field), cond)) return false;
    }
  }
  if (m.globals) {
    const readings = (fact.data.readings as Reading[] | undefined) ?? [];
    if (!readings.some((r) => m.globals!.some((p) => patternMatches(p, r)))) return false;
  }
  if (m.allowlisted !== undefined) {
    const entries = lists.get(m.list ?? 'pickle-globals') ?? [];
    const d = fact.data;
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    const allowed =
      isAllowlisted(text(d.module), text(d.name), entries) ||
      (d.canonicalModule !== undefined && isAllowlisted(text(d.canonicalModule), text(d.canonicalName), entries));
    if (allowed !== m.allowlisted) return false;
  }
  return true;
}

function render(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
    const v = getField(data, path);
    if (v === undefined || v === null) return '';
    const one = (x: unknown): string => (typeof x === 'string' ? x : typeof x === 'object' ? JSON.stringify(x) : String(x));
    return Array.isArray(v) ? v.map(one).join(', ') : one(v);
  });
}

export function fingerprint(ruleId: string, fact: Fact): string {
  const l = fact.location;
  const k = fact.data.key ?? fact.data.qualname;
  const key = typeof k === 'string' || typeof k === 'number' ? String(k) : k === undefined ? '' : JSON.stringify(k);
  const h = createHash('sha256');
  h.update([ruleId, l.path, l.member ?? '', String(l.offset ?? ''), String(l.line ?? ''), key].join('\u0000'));
  return 'sha256:' + h.digest('hex');
}

/** Evaluate every fact against every rule. Findings come out in fact order, then rule id order. */
export function evaluate(facts: readonly Fact[], set: RuleSet, opts: EngineOptions = {}): Finding[] {
  const lists = new Map(set.lists);
  for (const [k, v] of opts.extraAllow ?? []) lists.set(k, [...(lists.get(k) ?? []), ...v]);
  const byKind = new Map<string, Rule[]>();
  for (const r of set.rules) byKind.set(r.match.fact, [...(byKind.get(r.match.fact) ?? []), r]);
  const out: Finding[] = [];
  for (const fact of facts) {
    const candidates = byKind.get(fact.kind);
    if (!candidates) continue;
    const hits = candidates.filter((r) => ruleMatches(r, fact, lists));
    const best = new Map<string, Rule>();
    const fired: Rule[] = [];
    for (const r of hits) {
      if (!r.match.group) {
        fired.push(r);
        continue;
      }
      const cur = best.get(r.match.group);
      if (!cur || severityRank(r.severity) > severityRank(cur.severity)) best.set(r.match.group, r);
    }
    fired.push(...best.values());
    fired.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id));
    for (const r of fired) {
      out.push({
        ruleId: r.id,
        severity: r.severity,
        message: render(r.message, fact.data),
        location: { ...(opts.target ? { target: opts.target } : {}), ...fact.location },
        evidence: fact.data,
        fingerprint: fingerprint(r.id, fact),
        ...(r.technique ? { technique: r.technique } : {}),
      });
    }
  }
  return out;
}
