import type { AllowEntry } from '../model/policy.js';
import type { Severity } from '../model/report.js';

export interface GlobalPattern {
  module: string;
  names?: string[];
  note?: string;
}

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
  globals?: GlobalPattern[];
  allowlisted?: boolean;
  list?: string;
  where?: Record<string, Condition>;
}

export interface Rule {
  id: string;
  severity: Severity;
  title: string;
  message: string;
  technique?: string;
  references?: Array<{ type: string; id: string; url?: string }>;
  match: RuleMatch;
  /** file the rule was loaded from */
  source?: string;
}

export interface RuleSet {
  rules: Rule[];
  /** allowlists by name (`pickle-globals`, …) */
  lists: Map<string, AllowEntry[]>;
}
