import type { Report, Severity } from '../findings/types.js';
import type { RenderOptions } from './index.js';

const COLORS: Record<Severity, string> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
};

function where(l: { path: string; member?: string; offset?: number; line?: number; column?: number; row?: number }): string {
  let s = l.path;
  if (l.member) s += `!${l.member}`;
  if (l.line !== undefined) s += `:${l.line}${l.column !== undefined ? `:${l.column}` : ''}`;
  else if (l.row !== undefined) s += ` row ${l.row}`;
  else if (l.offset !== undefined) s += ` @${l.offset}`;
  return s;
}

export function renderText(report: Report, opts: RenderOptions = {}): string {
  const c = (sev: Severity, s: string): string => (opts.color ? `${COLORS[sev]}${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const t of report.targets) {
    lines.push(
      `target ${t.uri}${t.resolvedRevision ? ` @ ${t.resolvedRevision}` : ''}: ${t.files} file(s), ${t.bytesRead} of ${t.bytesTotal} bytes read`,
    );
  }
  for (const f of report.findings) {
    lines.push(`${c(f.severity, f.severity.toUpperCase().padEnd(8))} ${f.ruleId}  ${where(f.location)}`);
    lines.push(`         ${f.message}`);
  }
  for (const i of report.inconclusive) {
    lines.push(`${opts.color ? '\x1b[35m' : ''}INCONCLUSIVE${opts.color ? '\x1b[0m' : ''} ${i.code}  ${where(i)}`);
    lines.push(`         ${i.message}`);
  }
  if (report.suppressed.length) lines.push(`${report.suppressed.length} finding(s) suppressed (see JSON or SARIF output)`);
  const s = report.summary;
  const verdict =
    report.findings.length > 0 ? 'findings' : report.inconclusive.length > 0 ? 'INCONCLUSIVE (not everything could be scanned)' : 'clean';
  lines.push(
    `summary: ${s.critical} critical, ${s.high} high, ${s.medium} medium, ${s.low} low, ${s.info} info; ${report.inconclusive.length} inconclusive — ${verdict}`,
  );
  return lines.join('\n') + '\n';
}
