/**
 * Rule packs as written (`Rule`, the JSON a pack file holds) and as loaded (`RuleSet`, compiled
 * once: conditions turned into predicates, checks resolved, rules indexed by the fact kinds they
 * read).
 */
import type { Fact } from '../model/facts.js';
import type { AllowEntry } from '../model/policy.js';
import type { Severity } from '../model/report.js';
import type { Check } from './checks/types.js';

export type Condition = {
  eq?: unknown;
  in?: unknown[];
  regex?: string;
  exists?: boolean;
  nonEmpty?: boolean;
  gte?: number;
};

export interface RuleMatch {
  fact: string;
  group?: string;
  where?: Record<string, Condition>;
}

/** A built-in check named by a rule, with options its `meta.options` schema accepts. */
export interface CheckRef {
  name: string;
  options?: unknown;
}

export interface Rule {
  id: string;
  severity: Severity;
  title: string;
  message: string;
  technique?: string;
  references?: Array<{ type: string; id: string; url?: string }>;
  match: RuleMatch;
  check?: CheckRef;
  /** file the rule was loaded from */
  source?: string;
}

/** A rule ready to run: `where` compiled to one predicate, its check resolved and its options decoded. */
export interface CompiledRule {
  rule: Rule;
  where: (fact: Fact) => boolean;
  check?: { impl: Check<unknown>; options: unknown };
}

export interface RuleSet {
  /** the rules as written, sorted by id */
  rules: Rule[];
  /** allowlists by name (`pickle-globals`, …) */
  lists: Map<string, AllowEntry[]>;
  /** compiled rules by the `match.fact` they anchor on, each list in id order */
  byKind: ReadonlyMap<string, readonly CompiledRule[]>;
  /** compiled rules whose check also reads facts of another kind, by that kind */
  watchers: ReadonlyMap<string, readonly CompiledRule[]>;
}
