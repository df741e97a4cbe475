/**
 * Findings grouped by file, worst file first: one collapsible `<details>` per file with its counts by
 * severity in the summary line and its findings in a fixed-layout table. Files with a finding at
 * medium or above start open; clean files are listed together in one closed group.
 */
import type { Finding, Report, Severity } from '../../model/report.js';
import { SEVERITIES, severityRank } from '../../model/report.js';
import { fileName, groupByFile, plural, where, type FileGroup } from '../common.js';
import { escapeHtml as h } from '../escape.js';
import type { RenderOptions } from '../formats.js';
import { ruleLink } from './layout.js';
import { barChart, clipStart } from './svg.js';

/** Files past this many are still listed, but start closed whatever they hold. */
const OPEN_MAX = 20;
/** a very long file table is cut here; the JSON and SARIF reports keep everything */
const ROWS_PER_FILE = 500;

function evidence(f: Finding): string {
  const json = JSON.stringify(f.evidence, null, 2);
  return `<details class="ev"><summary>evidence</summary><pre>${h(json)}</pre></details>`;
}

function findingRow(f: Finding, opts: RenderOptions): string {
  const tech = f.technique ? `<div class="muted">technique ${h(f.technique)}</div>` : '';
  const loc = where(f.location, false) || '—';
  return (
    `<tr><td class="sev s-${f.severity}">${h(f.severity)}</td><td>${ruleLink(f.ruleId, opts)}</td>` +
    `<td><code>${h(loc)}</code></td><td>${h(f.message)}${tech}${evidence(f)}</td></tr>`
  );
}

function badges(g: FileGroup): string {
  const by = new Map<Severity, number>();
  for (const f of g.findings) by.set(f.severity, (by.get(f.severity) ?? 0) + 1);
  const out = SEVERITIES.filter((s) => by.has(s)).map((s) => `<span class="badge s-${s}">${by.get(s)} ${s}</span>`);
  if (g.inconclusive.length) out.push(`<span class="badge s-inconclusive">${g.inconclusive.length} inconclusive</span>`);
  if (g.suppressed.length) out.push(`<span class="badge muted">${g.suppressed.length} suppressed</span>`);
  return out.join('');
}

function fileDetails(g: FileGroup, multi: boolean, open: boolean, opts: RenderOptions): string {
  const fmt = g.format && g.format !== 'unknown' ? ` <span class="muted">(${h(g.format)})</span>` : '';
  const head = '<tr><th class="w-sev">Severity</th><th class="w-rule">Rule</th><th class="w-loc">Where</th><th>Message</th></tr>';
  const shown = g.findings.slice(0, ROWS_PER_FILE);
  const rows = shown.map((f) => findingRow(f, opts));
  for (const i of g.inconclusive) {
    rows.push(`<tr><td class="sev s-inconclusive">inconclusive</td><td><code>${h(i.code)}</code></td><td><code>${h(where(i, false) || '—')}</code></td><td>${h(i.message)}</td></tr>`);
  }
  const more = g.findings.length > shown.length ? `<p class="muted">${g.findings.length - shown.length} more in the JSON and SARIF reports.</p>` : '';
  const table = rows.length ? `<table>${head}${rows.join('')}</table>${more}` : '<p class="muted">only suppressed findings</p>';
  return `<details class="file"${open ? ' open' : ''}><summary><code>${h(fileName(g, multi))}</code>${fmt}${badges(g)}</summary>${table}</details>`;
}

/** The files with the most findings, coloured by their worst one; only worth drawing for a few files or more. */
function worstFiles(groups: FileGroup[], multi: boolean): string {
  const counted = groups
    .map((g) => ({ g, n: g.findings.filter((f) => f.severity !== 'info').length }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n || groupOrder(a.g, b.g))
    .slice(0, 12);
  if (counted.length < 3) return '';
  const bars = counted.map(({ g, n }) => ({ label: clipStart(fileName(g, multi), 26), value: n, tone: g.findings[0]?.severity ?? 'info' }));
  return `<h3>Files with the most findings</h3>${barChart(bars, { title: 'findings per file' })}`;
}

const groupOrder = (a: FileGroup, b: FileGroup): number => a.path.localeCompare(b.path);

const busy = (g: FileGroup): boolean => g.inconclusive.length > 0 || g.findings.some((f) => f.severity !== 'info');

/** Files with something to say, one `<details>` each, then every clean file in one closed group. */
export function filesSection(report: Report, opts: RenderOptions, title = 'Findings by file'): string {
  const groups = groupByFile(report);
  const multi = report.targets.length > 1;
  const withFindings = groups.filter((g) => busy(g) || g.findings.length || g.suppressed.length);
  const clean = groups.filter((g) => !withFindings.includes(g));
  const out: string[] = [];
  if (withFindings.length) {
    out.push(`<h2>${h(title)} (${plural(report.findings.length, 'finding')} in ${plural(withFindings.length, 'file')})</h2>`, worstFiles(withFindings, multi));
    withFindings.forEach((g, i) => {
      const worst = Math.max(0, ...g.findings.map((f) => severityRank(f.severity)));
      out.push(fileDetails(g, multi, i < OPEN_MAX && (worst >= severityRank('medium') || g.inconclusive.length > 0), opts));
    });
  } else out.push(`<h2>${h(title)}</h2><p class="muted">No findings.</p>`);
  if (clean.length) {
    const items = clean.map((g) => `<li><code>${h(fileName(g, multi))}</code>${g.format ? ` <span class="muted">${h(g.format)}</span>` : ''}</li>`);
    out.push(`<details class="file"><summary>${plural(clean.length, 'clean file')}</summary><ul>${items.join('')}</ul></details>`);
  }
  return out.join('\n');
}
