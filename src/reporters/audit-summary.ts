/**
 * The audit summary that opens the text and HTML reports of `mlvet audit`: when the last run was,
 * how many objects were new, changed, removed or unchanged, what was read and what carried over, and
 * which objects started or stopped failing. Nothing for reports without an `audit` section.
 */
import type { AuditSection, Report } from '../model/report.js';
import { escapeHtml as h } from './escape.js';

/** past this many, a list says how many more there are */
const LIST_MAX = 20;

function counts(a: AuditSection): string {
  const o = a.objects;
  return `${o.total} objects: ${o.new} new, ${o.changed} changed, ${o.removed} removed, ${o.unchanged} unchanged; ${a.scanned} scanned, ${a.carriedOver} carried over`;
}

function since(a: AuditSection): string {
  return a.previousRunAt ? `since ${a.previousRunAt}` : 'first run';
}

function listed(items: readonly string[]): string[] {
  const shown = items.slice(0, LIST_MAX);
  return items.length > LIST_MAX ? [...shown, `… and ${items.length - LIST_MAX} more`] : shown;
}

export function auditSummaryText(report: Report): string[] {
  const a = report.audit;
  if (!a) return [];
  const out = [`audit ${a.runAt} (${since(a)}), state ${a.state}`, `  ${counts(a)}`];
  if (a.newlyFailing.length) out.push(`  newly failing (${a.newlyFailing.length}):`, ...listed(a.newlyFailing).map((p) => `    ${p}`));
  if (a.resolved.length) out.push(`  resolved (${a.resolved.length}):`, ...listed(a.resolved).map((p) => `    ${p}`));
  const changes = a.changes.map((c) => `${c.change.padEnd(8)} ${c.path}  (${c.verdict})`);
  if (changes.length) out.push(`  changes (${changes.length}):`, ...listed(changes).map((c) => `    ${c}`));
  return [...out, ''];
}

function htmlList(title: string, items: readonly string[]): string {
  if (!items.length) return '';
  return `<h3>${h(title)} (${items.length})</h3><ul>${listed(items).map((p) => `<li><code>${h(p)}</code></li>`).join('')}</ul>`;
}

export function auditSummaryHtml(report: Report): string {
  const a = report.audit;
  if (!a) return '';
  const rows = a.changes.slice(0, LIST_MAX * 5).map((c) => `<tr><td>${h(c.change)}</td><td><code>${h(c.path)}</code></td><td>${h(c.verdict)}</td></tr>`).join('');
  return [
    '<section class="audit"><h2>Audit</h2>',
    `<p>${h(a.runAt)} (${h(since(a))}), state <code>${h(a.state)}</code></p>`,
    `<p>${h(counts(a))}</p>`,
    htmlList('Newly failing', a.newlyFailing),
    htmlList('Resolved', a.resolved),
    rows ? `<table><thead><tr><th>change</th><th>object</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>` : '',
    a.changes.length > LIST_MAX * 5 ? `<p>… and ${a.changes.length - LIST_MAX * 5} more changes</p>` : '',
    '</section>',
  ].join('');
}
