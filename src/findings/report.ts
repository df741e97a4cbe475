import { readFileSync } from 'node:fs';
import { redact, USAGE_CODES, type MlvetError } from '../errors.js';
import { packagePath } from '../package.js';
import { byCodeUnit } from '../rules/order.js';
import type { InconclusiveEntry } from '../model/facts.js';
import { SEVERITIES, severityRank, type FailOn, type Finding, type Report, type Summary, type Suppressed, type TargetSummary } from '../model/report.js';

export const VERSION: string = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string })
  .version;

export const EXIT = { CLEAN: 0, FINDINGS: 1, INCONCLUSIVE: 2, USAGE: 3 } as const;

export function summarize(findings: readonly Finding[]): Summary {
  const s: Summary = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) s[f.severity]++;
  return s;
}

/** Stable order: severity, then path, member, offset, rule. Same input, same report. */
export function sortFindings<T extends Finding>(findings: T[]): T[] {
  return findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      byCodeUnit(a.location.path, b.location.path) ||
      byCodeUnit(a.location.member ?? '', b.location.member ?? '') ||
      (a.location.offset ?? 0) - (b.location.offset ?? 0) ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      byCodeUnit(a.ruleId, b.ruleId),
  );
}

export function makeReport(parts: {
  command: string;
  targets: TargetSummary[];
  findings: Finding[];
  inconclusive: InconclusiveEntry[];
  suppressed?: Suppressed[];
  files?: Report['files'];
  now?: Date;
}): Report {
  const findings = sortFindings([...parts.findings]);
  return {
    schemaVersion: 1,
    tool: { name: 'mlvet', version: VERSION },
    createdAt: (parts.now ?? new Date()).toISOString(),
    command: parts.command,
    targets: parts.targets,
    findings,
    inconclusive: [...parts.inconclusive].sort(
      (a, b) => byCodeUnit(a.path, b.path) || byCodeUnit(a.member ?? '', b.member ?? '') || (a.offset ?? 0) - (b.offset ?? 0),
    ),
    suppressed: sortFindings([...(parts.suppressed ?? [])]),
    summary: summarize(findings),
    ...(parts.files ? { files: parts.files } : {}),
  };
}

/**
 * A target that failed before any file was read (credentials, an API 5xx, DNS, offline, missing): its
 * summary and one inconclusive entry for the whole target, so a report still says what happened.
 */
export function failedTarget(target: string, e: MlvetError): { summary: TargetSummary; inconclusive: InconclusiveEntry } {
  return {
    summary: { uri: target, kind: 'unknown', files: 0, bytesRead: 0, bytesTotal: 0 },
    inconclusive: { target, path: '', code: e.code, message: `${target}: ${redact(e.message)}`, scanner: 'source' },
  };
}

/** The whole report of a command that failed before it read its target. */
export function failureReport(command: string, target: string, e: MlvetError): Report {
  const f = failedTarget(target, e);
  return makeReport({ command, targets: [f.summary], findings: [], inconclusive: [f.inconclusive] });
}

/**
 * 1 when a finding reaches the threshold; else 3 when something could not be read because the
 * environment or the invocation is wrong (credentials, offline, a missing target); else 2 when anything
 * was inconclusive; else 0. A finding is never hidden by an error.
 */
export function exitCodeFor(report: Pick<Report, 'findings' | 'inconclusive'>, failOn: FailOn): number {
  if (failOn !== 'none') {
    const min = severityRank(failOn);
    if (report.findings.some((f) => severityRank(f.severity) >= min)) return EXIT.FINDINGS;
  }
  if (report.inconclusive.some((i) => USAGE_CODES.has(i.code))) return EXIT.USAGE;
  if (report.inconclusive.length > 0) return EXIT.INCONCLUSIVE;
  return EXIT.CLEAN;
}

export { SEVERITIES };
