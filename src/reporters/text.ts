/**
 * The terminal report: one block per file, worst first, then suppressions and a one-line verdict.
 * Colour only when the caller says the stream is a TTY. Info-level findings are labelled INFO like the
 * other severities (a file with only those is still clean), never behind a ✓ as if they were checks.
 */
import type { Finding, Report, Severity } from '../model/report.js';
import { severityRank } from '../model/report.js';
import type { InconclusiveEntry } from '../model/facts.js';
import { fileName, groupByFile, plural, targetSize, verdictOf, where, type FileGroup } from './common.js';
import type { RenderOptions } from './formats.js';
import { auditSummaryText } from './audit-summary.js';

const SGR: Record<Severity | 'inconclusive' | 'ok' | 'dim' | 'bold', string> = {
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
  info: '32',
  inconclusive: '35',
  ok: '32',
  dim: '2',
  bold: '1',
};

/** Clean files are listed one per line up to this many; past it they are counted. */
const CLEAN_LIST_MAX = 20;
/** message lines start under the rule id: 2 + 8 (label) + 2 */
const INDENT = ' '.repeat(12);

type Paint = (kind: keyof typeof SGR, s: string) => string;

export function renderText(report: Report, opts: RenderOptions = {}): string {
  const paint: Paint = (kind, s) => (opts.color ? `\x1b[${SGR[kind]}m${s}\x1b[0m` : s);
  const lines: string[] = auditSummaryText(report);
  for (const t of report.targets) {
    const rev = t.resolvedRevision ? ` @ ${t.resolvedRevision}` : '';
    lines.push(`${paint('bold', t.uri)}${rev}  ${paint('dim', targetSize(t))}`);
  }
  const groups = groupByFile(report);
  const multiTarget = report.targets.length > 1;
  // a file whose only findings are info-level is clean, and its info findings are listed with it
  const hasProblem = (g: FileGroup): boolean =>
    g.inconclusive.length > 0 || g.findings.some((f) => f.severity !== 'info');
  const busy = groups.filter(hasProblem);
  const clean = groups.filter((g) => !hasProblem(g));
  for (const g of busy) lines.push('', ...fileBlock(g, multiTarget, paint));
  lines.push(...cleanBlock(clean, multiTarget, paint));
  lines.push(...suppressedBlock(report, paint));
  lines.push('', summaryLine(report, opts, paint));
  return lines.join('\n') + '\n';
}

function fileLabel(g: FileGroup, multiTarget: boolean): string {
  const name = fileName(g, multiTarget);
  return g.format && g.format !== 'unknown' ? `${name}  (${g.format})` : name;
}

function fileBlock(g: FileGroup, multiTarget: boolean, paint: Paint): string[] {
  const out = [paint('bold', fileLabel(g, multiTarget))];
  const problems = g.findings.filter((f) => f.severity !== 'info');
  for (const f of problems) out.push(...findingLines(f, paint));
  for (const i of g.inconclusive) out.push(...inconclusiveLines(i, paint));
  for (const f of g.findings.filter((x) => x.severity === 'info')) out.push(...findingLines(f, paint));
  if (g.suppressed.length)
    out.push(`  ${paint('dim', `${plural(g.suppressed.length, 'finding')} suppressed`)}`);
  return out;
}

function findingLines(f: Finding, paint: Paint): string[] {
  const loc = where(f.location, false);
  const label = paint(f.severity, f.severity.toUpperCase().padEnd(8));
  return [`  ${label}  ${f.ruleId}${loc ? `  ${paint('dim', loc)}` : ''}`, `${INDENT}${f.message}`];
}

function inconclusiveLines(i: InconclusiveEntry, paint: Paint): string[] {
  const loc = where(i, false);
  const head = `  ${paint('inconclusive', 'INCONCLUSIVE')}  ${i.code}${loc ? `  ${paint('dim', loc)}` : ''}`;
  return [head, `${INDENT}${i.message}`];
}

function cleanBlock(clean: FileGroup[], multiTarget: boolean, paint: Paint): string[] {
  if (!clean.length) return [];
  const out = [''];
  for (const g of clean.slice(0, CLEAN_LIST_MAX)) {
    out.push(
      `${paint('ok', '✓')} ${fileLabel(g, multiTarget)}  ${paint('dim', g.suppressed.length ? 'clean (findings suppressed)' : 'clean')}`,
    );
    for (const f of g.findings) out.push(...findingLines(f, paint));
  }
  if (clean.length > CLEAN_LIST_MAX)
    out.push(paint('ok', `✓ ${plural(clean.length - CLEAN_LIST_MAX, 'more file')} clean`));
  return out;
}

function suppressedBlock(report: Report, paint: Paint): string[] {
  if (!report.suppressed.length) return [];
  const out = [
    '',
    paint('dim', `${plural(report.suppressed.length, 'finding')} suppressed (kept in JSON and SARIF):`),
  ];
  for (const s of report.suppressed) {
    const until = s.suppression.expires ? `, until ${s.suppression.expires}` : '';
    out.push(
      paint(
        'dim',
        `  ${s.severity} ${s.ruleId}  ${where(s.location)}  — ${s.suppression.reason} (${s.suppression.source}${until})`,
      ),
    );
  }
  return out;
}

function summaryLine(report: Report, opts: RenderOptions, paint: Paint): string {
  const s = report.summary;
  const counts = `${s.critical} critical, ${s.high} high, ${s.medium} medium, ${s.low} low, ${s.info} info`;
  const extra = `${report.inconclusive.length} inconclusive, ${report.suppressed.length} suppressed`;
  return `${counts}; ${extra} — ${verdictText(report, opts, paint)}`;
}

function verdictText(report: Report, opts: RenderOptions, paint: Paint): string {
  const failOn = opts.failOn;
  const verdict = verdictOf(report);
  if (verdict === 'findings') {
    if (failOn === undefined) return paint('critical', 'FINDINGS');
    const min = failOn === 'none' ? Infinity : severityRank(failOn);
    const failing = report.findings.filter((f) => severityRank(f.severity) >= min).length;
    if (failing) return paint('critical', `FAIL (${plural(failing, 'finding')} at or above ${failOn})`);
  }
  if (report.inconclusive.length)
    return paint('inconclusive', 'INCONCLUSIVE (not everything could be scanned)');
  return verdict === 'findings'
    ? paint('medium', `findings below --fail-on ${failOn ?? ''}`.trim())
    : paint('ok', 'clean');
}
