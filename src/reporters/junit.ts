/**
 * JUnit XML for CI test views: one testsuite per target, one testcase per scanned file (for a
 * validation, one per expectation: junit-validation.ts). A file fails
 * on findings at or above --fail-on (every non-info finding when no threshold is given) and errors on
 * inconclusive entries; findings below the threshold and suppressions are kept in system-out.
 */
import type { FailOn, Finding, Report } from '../model/report.js';
import { severityRank } from '../model/report.js';
import { groupByFile, where, type FileGroup } from './common.js';
import { escapeXml as x } from './escape.js';
import type { RenderOptions } from './formats.js';
import { validationSuite } from './junit-validation.js';

interface Case {
  group: FileGroup;
  failing: Finding[];
}

export function renderJunit(report: Report, opts: RenderOptions = {}): string {
  const failOn: FailOn = opts.failOn ?? 'low';
  // validate: one testcase per expectation and check, not one per file
  const validation = validationSuite(report, failOn);
  if (validation) return ['<?xml version="1.0" encoding="UTF-8"?>', ...validation].join('\n') + '\n';
  const min = failOn === 'none' ? Infinity : severityRank(failOn);
  const groups = groupByFile(report);
  const suites = report.targets.map((t) => t.uri);
  // entries that cannot be attributed to a target still get a suite, so nothing is dropped
  if (groups.some((g) => g.target === undefined || !suites.includes(g.target))) suites.push('(unattributed)');
  const cases = groups.map((group) => ({
    group,
    failing: group.findings.filter((f) => severityRank(f.severity) >= min),
  }));
  const bySuite = new Map(suites.map((name) => [name, [] as Case[]]));
  for (const c of cases) {
    const t = c.group.target;
    bySuite.get(t !== undefined && bySuite.has(t) ? t : '(unattributed)')!.push(c);
  }
  const total = count(cases);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mlvet ${x(report.command)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}">`,
  ];
  for (const [name, list] of bySuite) {
    out.push(
      ...suite(
        name,
        list.sort((x, y) => x.group.path.localeCompare(y.group.path)),
        report,
        failOn,
      ),
    );
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function count(cases: Case[]): { tests: number; failures: number; errors: number } {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.failing.length).length,
    errors: cases.filter((c) => c.group.inconclusive.length).length,
  };
}

function suite(name: string, cases: Case[], report: Report, failOn: FailOn): string[] {
  const n = count(cases);
  const out = [
    `  <testsuite name="${x(name)}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="0" timestamp="${x(report.createdAt)}">`,
    '    <properties>',
    `      <property name="mlvet.version" value="${x(report.tool.version)}"/>`,
    `      <property name="mlvet.failOn" value="${x(failOn)}"/>`,
    '    </properties>',
  ];
  for (const c of cases) out.push(...testcase(name, c));
  out.push('  </testsuite>');
  return out;
}

function findingLine(f: Finding): string {
  return `${f.severity.toUpperCase()} ${f.ruleId} at ${where(f.location)}: ${f.message}`;
}

function testcase(suiteName: string, c: Case): string[] {
  const g = c.group;
  const out = [`    <testcase name="${x(g.path)}" classname="${x(suiteName)}">`];
  if (c.failing.length) {
    const worst = c.failing[0]!;
    const msg = c.failing.length > 1 ? `${worst.message} (+${c.failing.length - 1} more)` : worst.message;
    out.push(
      `      <failure type="${x(worst.ruleId)}" message="${x(msg)}">${x(c.failing.map(findingLine).join('\n'))}</failure>`,
    );
  }
  if (g.inconclusive.length) {
    const first = g.inconclusive[0]!;
    const body = g.inconclusive.map((i) => `${i.code} at ${where(i)}: ${i.message}`).join('\n');
    out.push(
      `      <error type="${x(first.code)}" message="${x(`not fully scanned: ${first.message}`)}">${x(body)}</error>`,
    );
  }
  const failing = new Set(c.failing);
  const rest = g.findings.filter((f) => !failing.has(f)).map(findingLine);
  const suppressed = g.suppressed.map(
    (s) => `SUPPRESSED ${findingLine(s)} — ${s.suppression.reason} (${s.suppression.source})`,
  );
  const notes = [...(g.format ? [`content: ${g.format}`] : []), ...rest, ...suppressed];
  if (notes.length) out.push(`      <system-out>${x(notes.join('\n'))}</system-out>`);
  out.push('    </testcase>');
  return out;
}
