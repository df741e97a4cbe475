/**
 * JUnit for `mlvet validate`: one testcase per expectation or poisoning check of the GX suite result
 * (`report.validation.results`), so a CI test view lists the 35 that passed beside the one that
 * failed. A failed expectation is a failure when its finding is at or above --fail-on, passes with a
 * note when below, and is skipped when the finding was suppressed; an expectation that raised is an
 * error. Rows that could not be read are one more errored case, never dropped.
 */
import type { FailOn, Finding, Report, Suppressed } from '../model/report.js';
import { severityRank } from '../model/report.js';
import { where } from './common.js';
import { escapeXml as x } from './escape.js';

interface GxLike {
  success: boolean;
  expectation_config: { type: string; kwargs: Record<string, unknown> };
  result: Record<string, unknown>;
  exception_info?: { raised_exception?: boolean; exception_message?: string | null };
}

/** The suite's results, when the report carries a GX validation result. */
export function expectationResults(report: Report): GxLike[] | undefined {
  const results = (report.validation as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(results)) return undefined;
  return results.filter((r): r is GxLike => typeof r === 'object' && r !== null && typeof (r as GxLike).expectation_config?.type === 'string');
}

/** the same column naming as the validation facts (`validation.expectation` key) */
function columnOf(kw: Record<string, unknown>): string | undefined {
  const c = kw.column ?? kw.column_A ?? (Array.isArray(kw.column_list) ? kw.column_list.join(',') : undefined);
  return typeof c === 'string' ? c : undefined;
}

interface Case {
  name: string;
  failure?: { type: string; message: string; body: string };
  error?: { type: string; message: string };
  skipped?: string;
  out?: string;
}

function observed(r: GxLike): string {
  const res = r.result;
  const parts: string[] = [];
  if (res.observed_value !== undefined) parts.push(`observed ${JSON.stringify(res.observed_value)}`);
  if (typeof res.unexpected_count === 'number') parts.push(`${res.unexpected_count} unexpected${typeof res.unexpected_percent === 'number' ? ` (${res.unexpected_percent.toFixed(2)}%)` : ''}`);
  const examples = (res.partial_unexpected_list as unknown[] | undefined)?.slice(0, 5);
  if (examples?.length) parts.push(`examples ${JSON.stringify(examples)}`);
  return parts.join('; ');
}

function caseFor(r: GxLike, min: number, findings: Map<string, Finding>, suppressed: Map<string, Suppressed>): Case {
  const kw = r.expectation_config.kwargs ?? {};
  const column = columnOf(kw);
  const key = `${r.expectation_config.type}:${column ?? ''}`;
  const name = `${r.expectation_config.type}${column !== undefined ? `(${column})` : ''}`;
  const expected = JSON.stringify(Object.fromEntries(Object.entries(kw).filter(([k]) => k !== 'column' && k !== 'result_format')));
  if (r.exception_info?.raised_exception) return { name, error: { type: 'EXPECTATION_ERROR', message: r.exception_info.exception_message ?? 'the expectation raised' } };
  if (r.success) return { name, out: `passed: expected ${expected}; ${observed(r)}` };
  const sup = suppressed.get(key);
  if (sup) return { name, skipped: `suppressed: ${sup.suppression.reason} (${sup.suppression.source})` };
  const f = findings.get(key);
  const body = `expected ${expected}\n${observed(r)}${f ? `\n${f.severity.toUpperCase()} ${f.ruleId} at ${where(f.location)}` : ''}`;
  if (f && severityRank(f.severity) < min) return { name, out: `failed below --fail-on (${f.severity}): ${body}` };
  return { name, failure: { type: f?.ruleId ?? r.expectation_config.type, message: f?.message ?? `${name} failed`, body } };
}

/** `<testsuite>` lines for a validation report, or undefined when it carries no suite result. */
export function validationSuite(report: Report, failOn: FailOn): string[] | undefined {
  const results = expectationResults(report);
  if (!results) return undefined;
  const min = failOn === 'none' ? Infinity : severityRank(failOn);
  const byKey = <T extends Finding>(list: T[]): Map<string, T> => new Map(list.filter((f) => typeof f.evidence.key === 'string').map((f) => [f.evidence.key as string, f]));
  const cases = results.map((r) => caseFor(r, min, byKey(report.findings), byKey(report.suppressed)));
  if (report.inconclusive.length) {
    const first = report.inconclusive[0]!;
    cases.push({ name: 'all rows read', error: { type: first.code, message: `${report.inconclusive.length} not read; first: ${where(first)}: ${first.message}` } });
  }
  const name = report.targets[0]?.uri ?? 'dataset';
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const out = [
    `<testsuites name="mlvet ${x(report.command)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    `  <testsuite name="${x(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${x(report.createdAt)}">`,
    '    <properties>',
    `      <property name="mlvet.version" value="${x(report.tool.version)}"/>`,
    `      <property name="mlvet.failOn" value="${x(failOn)}"/>`,
    '    </properties>',
  ];
  for (const c of cases) {
    out.push(`    <testcase name="${x(c.name)}" classname="${x(name)}">`);
    if (c.failure) out.push(`      <failure type="${x(c.failure.type)}" message="${x(c.failure.message)}">${x(c.failure.body)}</failure>`);
    if (c.error) out.push(`      <error type="${x(c.error.type)}" message="${x(c.error.message)}"/>`);
    if (c.skipped) out.push(`      <skipped message="${x(c.skipped)}"/>`);
    if (c.out) out.push(`      <system-out>${x(c.out)}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return out;
}
