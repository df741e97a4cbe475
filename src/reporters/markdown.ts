/**
 * A Markdown summary for CI pages (GitHub's `$GITHUB_STEP_SUMMARY`, a merge-request note): the
 * verdict, the targets, the findings worst first (the first MAX_ROWS), what could not be read, and
 * for a validation how many expectations passed. Everything from a scanned file is escaped: GitHub
 * renders HTML inside Markdown, so `<`, `>` and `&` are entities, `|` cannot split a table cell, and no
 * code spans are used (an entity inside one would show as typed).
 */
import type { Finding, Report } from '../model/report.js';
import { severityRank, SEVERITIES } from '../model/report.js';
import { escapeHtml } from './escape.js';
import { fileName, plural, targetSize, verdictOf, where } from './common.js';
import type { RenderOptions } from './formats.js';

/** GitHub caps a step summary at 1 MiB; a few hundred rows stay far below it */
export const MAX_ROWS = 200;

/** one table cell: no newlines, no pipes, no markup */
export function cell(s: unknown): string {
  return escapeHtml(String(s))
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '&#124;')
    .replace(/[`*_[\]\\]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const ICON = { findings: '❌', inconclusive: '⚠️', clean: '✅' } as const;

export function renderMarkdown(report: Report, opts: RenderOptions = {}): string {
  const verdict = verdictOf(report);
  const counts = SEVERITIES.filter((s) => s !== 'info' && report.summary[s] > 0).map((s) => `${report.summary[s]} ${s}`);
  const head =
    verdict === 'findings'
      ? `${plural(report.findings.filter((f) => f.severity !== 'info').length, 'finding')} (${counts.join(', ')})`
      : verdict === 'inconclusive'
        ? `inconclusive: ${plural(report.inconclusive.length, 'entry', 'entries')} could not be fully read`
        : 'clean';
  const out = [`## ${ICON[verdict]} mlvet ${cell(report.command)}: ${head}`, ''];
  if (opts.failOn) out.push(`Fails on: **${opts.failOn}** and above.`, '');
  out.push('| target | read |', '| --- | --- |');
  for (const t of report.targets) out.push(`| ${cell(t.uri)}${t.resolvedRevision ? ` @ ${cell(t.resolvedRevision.slice(0, 12))}` : ''} | ${cell(targetSize(t))} |`);
  out.push('', ...validationLines(report.validation), ...findingLines(report), ...inconclusiveLines(report));
  if (report.suppressed.length) out.push(`${plural(report.suppressed.length, 'finding')} suppressed (listed in the JSON and SARIF reports).`, '');
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function findingLines(report: Report): string[] {
  const shown = [...report.findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  if (!shown.length) return [];
  const multi = report.targets.length > 1;
  const out = ['### Findings', '', '| severity | rule | location | message |', '| --- | --- | --- | --- |'];
  for (const f of shown.slice(0, MAX_ROWS)) out.push(row(f, multi));
  if (shown.length > MAX_ROWS) out.push('', `… and ${shown.length - MAX_ROWS} more in the JSON and SARIF reports.`);
  return [...out, ''];
}

function row(f: Finding, multi: boolean): string {
  const loc = where({ ...f.location, path: fileName({ ...(f.location.target !== undefined ? { target: f.location.target } : {}), path: f.location.path }, multi) });
  return `| ${f.severity} | ${cell(f.ruleId)} | ${cell(loc)} | ${cell(f.message)} |`;
}

function inconclusiveLines(report: Report): string[] {
  if (!report.inconclusive.length) return [];
  const out = ['### Not fully read', '', '| code | where | why |', '| --- | --- | --- |'];
  for (const i of report.inconclusive.slice(0, MAX_ROWS)) out.push(`| ${cell(i.code)} | ${cell(where(i) || i.target || '(target)')} | ${cell(i.message)} |`);
  if (report.inconclusive.length > MAX_ROWS) out.push('', `… and ${report.inconclusive.length - MAX_ROWS} more.`);
  return [...out, ''];
}

interface SuiteStats {
  statistics?: { evaluated_expectations?: number; successful_expectations?: number };
  suite_name?: string;
}

function validationLines(v: unknown): string[] {
  const s = (v as SuiteStats | undefined)?.statistics;
  if (!s || typeof s.evaluated_expectations !== 'number') return [];
  const name = (v as SuiteStats).suite_name;
  return [`Validation${name ? ` (${cell(name)})` : ''}: **${s.successful_expectations ?? 0} of ${s.evaluated_expectations}** expectations and checks passed.`, ''];
}
