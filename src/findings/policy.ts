/**
 * The findings policy: the rule set, the allowlist additions and the suppressions, loaded once, and
 * the one path from facts to a Report that every command takes (scan, validate, verify, and the
 * manifest check on scan). Commands build facts; the policy decides what they mean.
 */
import { resolve } from 'node:path';
import type { MlvetConfig } from '../config/config.js';
import type { Fact, InconclusiveEntry } from '../model/facts.js';
import type { AllowEntry, IgnoreEntry } from '../model/policy.js';
import type { FailOn, Finding, Report, Suppressed, TargetSummary } from '../model/report.js';
import { BUILTIN_RULES_DIR } from '../package.js';
import { evaluate } from '../rules/engine.js';
import { loadRuleSet } from '../rules/load.js';
import type { RuleSet } from '../rules/types.js';
import { makeReport } from './report.js';
import { applySuppressions, loadIgnoreFile, type IgnoreRule } from './suppress.js';

export interface PolicyOptions {
  config?: MlvetConfig;
  /** extra rule directories, after the built-in packs and the config's `rules` */
  rules?: string[];
  /** ignore file, relative to `cwd`; defaults to `.mlvetignore` in `cwd` when present */
  ignoreFile?: string;
  /** directory relative paths are resolved against (default: the process's cwd) */
  cwd?: string;
}

/** The facts one target produced. */
export interface TargetFacts {
  target: string;
  facts: readonly Fact[];
}

export interface ReportParts {
  command: string;
  targets: TargetSummary[];
  /** facts to evaluate, by target */
  facts?: readonly TargetFacts[];
  /** findings already made (e.g. an earlier report being extended); suppressions still apply */
  findings?: readonly Finding[];
  /** suppressed findings carried from an earlier report */
  suppressed?: readonly Suppressed[];
  inconclusive?: readonly InconclusiveEntry[];
  files?: Report['files'];
  /** the command's own sections (`validation`, `lineage`) */
  sections?: Pick<Report, 'validation' | 'lineage' | 'audit'>;
  now?: Date;
}

export interface Policy {
  readonly config: MlvetConfig;
  readonly rules: RuleSet;
  readonly ignores: readonly IgnoreEntry[];
  /** allowlist additions from config, by list name */
  readonly allow: ReadonlyMap<string, AllowEntry[]>;
  /** the config's `failOn`, else `medium` */
  readonly failOn: FailOn;
  /** The findings one target's facts give under this policy. */
  evaluate(facts: readonly Fact[], target: string): Finding[];
  /** Facts and findings into a Report, with suppressions applied. */
  report(parts: ReportParts): Report;
}

/** Config entries' paths are relative to the working directory, an ignore file's to its own directory. */
function ignoreEntries(config: MlvetConfig, ignoreFile: string | undefined, cwd: string): IgnoreRule[] {
  return [
    ...(config.ignore ?? []).map((e) => ({ ...e, source: 'mlvet.config.json', base: resolve(cwd) })),
    // shown as the user named it, so reports do not carry this machine's directories
    ...loadIgnoreFile(resolve(cwd, ignoreFile ?? '.mlvetignore'), ignoreFile !== undefined, ignoreFile ?? '.mlvetignore'),
  ];
}

/**
 * Load the rule packs, allowlist additions and suppressions once.
 *
 * @example
 * const policy = loadPolicy({ config, rules: ['my-rules/'], cwd: repoDir });
 * const report = await scan({ targets: ['models/'], policy });
 */
export function loadPolicy(opts: PolicyOptions = {}): Policy {
  const config = opts.config ?? {};
  const cwd = opts.cwd ?? process.cwd();
  const rules = loadRuleSet([BUILTIN_RULES_DIR, ...(config.rules ?? []), ...(opts.rules ?? []).map((d) => resolve(cwd, d))]);
  const ignores = ignoreEntries(config, opts.ignoreFile, cwd);
  // a config `allow` entry vouches for a callable wherever it is imported: pickle globals and Hydra targets
  const allow = new Map([['pickle-globals', config.allow ?? []], ['hydra-targets', config.allow ?? []]]);
  const policy: Policy = {
    config,
    rules,
    ignores,
    allow,
    failOn: config.failOn ?? 'medium',
    evaluate: (facts, target) => evaluate(facts, rules, { extraAllow: allow, target }),
    report(parts) {
      const findings = [...(parts.findings ?? []), ...(parts.facts ?? []).flatMap((t) => policy.evaluate(t.facts, t.target))];
      const { kept, suppressed } = applySuppressions(findings, [...ignores], parts.now, cwd);
      const report = makeReport({
        command: parts.command,
        targets: parts.targets,
        findings: kept,
        inconclusive: [...(parts.inconclusive ?? [])],
        suppressed: [...(parts.suppressed ?? []), ...suppressed],
        ...(parts.files ? { files: parts.files } : {}),
        ...(parts.now ? { now: parts.now } : {}),
      });
      return { ...report, ...(parts.sections ?? {}) };
    },
  };
  return policy;
}

/** The options a command takes: a ready policy, or what to build one from. */
export type WithPolicy = PolicyOptions & { policy?: Policy };

export function policyFor(opts: WithPolicy): Policy {
  return opts.policy ?? loadPolicy(opts);
}
