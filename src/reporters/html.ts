/**
 * One self-contained HTML page: inline CSS, no script, no external requests (a CSP meta tag forbids
 * them, so even a missed escape could not run code). Summary, findings by severity, inconclusive
 * entries, suppressions and the list of scanned files.
 */
import type { Finding, Report, Suppressed } from '../model/report.js';
import { SEVERITIES } from '../model/report.js';
import { fileName, groupByFile, plural, targetSize, verdictOf, where } from './common.js';
import { escapeHtml as h } from './escape.js';
import type { RenderOptions } from './index.js';
import { helpUri } from './rule-meta.js';

const CSS = `
:root{--crit:#b3001b;--high:#d9480f;--med:#b08800;--low:#1c7ed6;--info:#2b8a3e;--inc:#862e9c;--fg:#1f2328;--mut:#59636e;--bd:#d0d7de}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);margin:2rem auto;max-width:72rem;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--bd);padding-bottom:.25rem}
.meta{color:var(--mut)}.verdict{font-weight:600;padding:.5rem .75rem;border-radius:6px;display:inline-block;margin:.75rem 0}
.v-findings{background:#ffe3e3;color:var(--crit)}.v-inconclusive{background:#f3d9fa;color:var(--inc)}.v-clean{background:#d3f9d8;color:var(--info)}
.cards{display:flex;flex-wrap:wrap;gap:.5rem}.card{border:1px solid var(--bd);border-radius:6px;padding:.4rem .8rem;min-width:6rem}
.card b{display:block;font-size:1.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid var(--bd);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
pre{white-space:pre-wrap;word-break:break-all;margin:.25rem 0 0;background:#f6f8fa;padding:.4rem;border-radius:4px}
.sev{font-weight:700;text-transform:uppercase;font-size:12px}.s-critical{color:var(--crit)}.s-high{color:var(--high)}
.s-medium{color:var(--med)}.s-low{color:var(--low)}.s-info{color:var(--info)}.s-inconclusive{color:var(--inc)}
.muted{color:var(--mut)}details summary{cursor:pointer;color:var(--mut)}`;

export function renderHtml(report: Report, opts: RenderOptions = {}): string {
  const title = `mlvet ${report.command} report`;
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${h(title)}</h1>`,
    `<div class="meta">${h(report.tool.name)} ${h(report.tool.version)} · ${h(report.createdAt)}</div>`,
    summary(report),
    findingsSection(report, opts),
    inconclusiveSection(report),
    suppressedSection(report, opts),
    filesSection(report),
    '</body></html>',
  ];
  return parts.filter(Boolean).join('\n') + '\n';
}

function summary(report: Report): string {
  const verdict = verdictOf(report);
  const text = {
    findings: 'Findings',
    inconclusive: 'Inconclusive: not everything could be scanned',
    clean: 'Clean',
  }[verdict];
  const cards = SEVERITIES.map(
    (s) => `<div class="card"><b class="s-${s}">${report.summary[s]}</b>${s}</div>`,
  );
  cards.push(
    `<div class="card"><b class="s-inconclusive">${report.inconclusive.length}</b>inconclusive</div>`,
  );
  cards.push(`<div class="card"><b class="muted">${report.suppressed.length}</b>suppressed</div>`);
  const targets = report.targets.map(
    (t) =>
      `<li><code>${h(t.uri)}</code>${t.resolvedRevision ? ` @ <code>${h(t.resolvedRevision)}</code>` : ''} — ` +
      `${h(targetSize(t))}</li>`,
  );
  return [
    `<div class="verdict v-${verdict}">${h(text)}</div>`,
    `<div class="cards">${cards.join('')}</div>`,
    `<h2>Targets</h2><ul>${targets.join('')}</ul>`,
  ].join('\n');
}

function evidence(f: Finding): string {
  const json = JSON.stringify(f.evidence, null, 2);
  return `<details><summary>evidence</summary><pre>${h(json)}</pre></details>`;
}

function ruleCell(f: Finding, opts: RenderOptions): string {
  return `<a href="${h(helpUri(f.ruleId, opts.docsBaseUri))}"><code>${h(f.ruleId)}</code></a>`;
}

function findingRow(f: Finding, opts: RenderOptions): string {
  const tech = f.technique ? `<div class="muted">technique ${h(f.technique)}</div>` : '';
  return (
    `<tr><td class="sev s-${f.severity}">${h(f.severity)}</td><td>${ruleCell(f, opts)}</td>` +
    `<td><code>${h(where(f.location))}</code></td><td>${h(f.message)}${tech}${evidence(f)}</td></tr>`
  );
}

function findingsSection(report: Report, opts: RenderOptions): string {
  if (!report.findings.length) return '<h2>Findings</h2><p class="muted">No findings.</p>';
  const head = '<tr><th>Severity</th><th>Rule</th><th>Location</th><th>Message</th></tr>';
  // report.findings is already sorted by severity, then location
  return `<h2>Findings (${report.findings.length})</h2><table>${head}${report.findings.map((f) => findingRow(f, opts)).join('')}</table>`;
}

function inconclusiveSection(report: Report): string {
  if (!report.inconclusive.length) return '';
  const head = '<tr><th>Code</th><th>Location</th><th>Scanner</th><th>Message</th></tr>';
  const rows = report.inconclusive.map(
    (i) =>
      `<tr><td class="sev s-inconclusive">${h(i.code)}</td><td><code>${h(where(i))}</code></td>` +
      `<td>${h(i.scanner ?? '')}</td><td>${h(i.message)}</td></tr>`,
  );
  return `<h2>Inconclusive (${report.inconclusive.length})</h2><p>These could not be fully scanned; they are not clean.</p><table>${head}${rows.join('')}</table>`;
}

function suppressedRow(s: Suppressed, opts: RenderOptions): string {
  const until = s.suppression.expires ? ` until ${h(s.suppression.expires)}` : '';
  return (
    `<tr><td class="sev s-${s.severity}">${h(s.severity)}</td><td>${ruleCell(s, opts)}</td><td><code>${h(where(s.location))}</code></td>` +
    `<td>${h(s.message)}</td><td>${h(s.suppression.reason)}<div class="muted">${h(s.suppression.source)}${until}</div></td></tr>`
  );
}

function suppressedSection(report: Report, opts: RenderOptions): string {
  if (!report.suppressed.length) return '';
  const head = '<tr><th>Severity</th><th>Rule</th><th>Location</th><th>Message</th><th>Reason</th></tr>';
  return `<h2>Suppressed (${report.suppressed.length})</h2><table>${head}${report.suppressed.map((s) => suppressedRow(s, opts)).join('')}</table>`;
}

function filesSection(report: Report): string {
  const groups = groupByFile(report);
  if (!groups.length) return '';
  const multi = report.targets.length > 1;
  const rows = groups.map((g) => {
    const status = g.findings.some((f) => f.severity !== 'info')
      ? `${plural(g.findings.length, 'finding')}`
      : g.inconclusive.length
        ? 'inconclusive'
        : 'clean';
    const cls = status === 'clean' ? 's-info' : status === 'inconclusive' ? 's-inconclusive' : 's-high';
    const name = fileName(g, multi);
    return `<tr><td><code>${h(name)}</code></td><td>${h(g.format ?? '')}</td><td class="${cls}">${h(status)}</td></tr>`;
  });
  return `<h2>Files (${groups.length})</h2><table><tr><th>File</th><th>Content</th><th>Status</th></tr>${rows.join('')}</table>`;
}
