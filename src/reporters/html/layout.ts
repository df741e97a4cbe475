/**
 * The page around every report: head with the CSP, stylesheet, title, verdict and severity cards,
 * targets, and the inconclusive and suppressed tables every command shares. Long strings (paths,
 * rule ids, messages) wrap anywhere, and tables are fixed-layout, so nothing a scanned file names can
 * push the page wider than the window.
 */
import type { Report, Suppressed } from '../../model/report.js';
import { SEVERITIES } from '../../model/report.js';
import { targetSize, where } from '../common.js';
import { escapeHtml as h } from '../escape.js';
import type { RenderOptions } from '../formats.js';
import { helpUri } from '../rule-meta.js';
import { stackedBar } from './svg.js';

const CSS = `
:root{--crit:#b3001b;--high:#d9480f;--med:#9c6f00;--low:#1c7ed6;--info:#2b8a3e;--inc:#862e9c;--fg:#1f2328;--mut:#59636e;--bd:#d0d7de;--bg2:#f6f8fa;--cur:#4263eb;--base:#adb5bd}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);margin:2rem auto;max-width:72rem;padding:0 1rem;overflow-wrap:anywhere}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--bd);padding-bottom:.25rem}
h3{font-size:1rem;margin:1rem 0 .35rem}
.meta,.muted,.mut{color:var(--mut)}.verdict{font-weight:600;padding:.5rem .75rem;border-radius:6px;display:inline-block;margin:.75rem 0}
.v-findings{background:#ffe3e3;color:var(--crit)}.v-inconclusive{background:#f3d9fa;color:var(--inc)}.v-clean{background:#d3f9d8;color:var(--info)}
.cards{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}.card{border:1px solid var(--bd);border-radius:6px;padding:.4rem .8rem;min-width:6rem}
.card b{display:block;font-size:1.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;table-layout:fixed}th,td{border:1px solid var(--bd);padding:.35rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--bg2)}code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px;overflow-wrap:anywhere;word-break:break-word}
pre{white-space:pre-wrap;margin:.25rem 0 0;background:var(--bg2);padding:.4rem;border-radius:4px;max-height:24rem;overflow:auto}
.sev{font-weight:700;text-transform:uppercase;font-size:12px}.s-critical{color:var(--crit)}.s-high{color:var(--high)}
.s-medium{color:var(--med)}.s-low{color:var(--low)}.s-info{color:var(--info)}.s-inconclusive{color:var(--inc)}
.pass{color:var(--info);font-weight:600}.fail{color:var(--crit);font-weight:600}
details{margin:.35rem 0}details>summary{cursor:pointer}details.file{border:1px solid var(--bd);border-radius:6px;padding:.35rem .6rem}
details.file>summary{font-weight:600}details.ev>summary{color:var(--mut)}
.badge{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;border-radius:10px;padding:0 .45rem;margin-left:.35rem;border:1px solid currentColor}
.w-sev{width:6.5rem}.w-rule{width:17rem}.w-exp{width:20rem}.w-loc{width:10rem}.w-st{width:4.5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:.75rem}
.col{border:1px solid var(--bd);border-radius:6px;padding:.5rem .75rem;min-width:0}.col h3{margin:0 0 .25rem}
.col dl{display:grid;grid-template-columns:auto 1fr;gap:0 .75rem;margin:.25rem 0}.col dt{color:var(--mut)}.col dd{margin:0}
svg.chart{display:block;max-width:100%;height:auto;margin:.25rem 0}svg.strip{height:14px;border-radius:3px}svg .lbl,svg .val{font:12px system-ui,sans-serif;fill:var(--fg)}svg .mut{fill:var(--mut)}
svg .bar{fill:var(--cur)}svg .bar.base{fill:var(--base)}svg .bar.bad{fill:var(--crit)}svg .bar.ok{fill:var(--info)}
svg .bar.critical{fill:var(--crit)}svg .bar.high{fill:var(--high)}svg .bar.medium{fill:var(--med)}svg .bar.low{fill:var(--low)}svg .bar.info{fill:var(--info)}svg .bar.inconclusive{fill:var(--inc)}
svg .thr{stroke:var(--fg);stroke-dasharray:4 3;stroke-width:1}svg .axis{stroke:var(--bd)}svg .step{fill:none;stroke:#495057;stroke-width:2}
.legend{font-size:12px;color:var(--mut)}.sw{display:inline-block;width:.8rem;height:.8rem;vertical-align:middle;margin:0 .25rem 0 .6rem}.sw.cur{background:var(--cur)}.sw.base{background:var(--base)}.sw.line{height:3px;background:#495057}
.slot:empty{display:none}`;

/** The whole document: `sections` in order, inside the head with the CSP and the stylesheet. */
export function page(report: Report, sections: string[]): string {
  const title = `mlvet ${report.command} report`;
  return (
    [
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${h(title)}</title><style>${CSS}</style></head><body>`,
      `<h1>${h(title)}</h1>`,
      `<div class="meta">${h(report.tool.name)} ${h(report.tool.version)} · ${h(report.createdAt)}</div>`,
      ...sections.filter(Boolean),
      '</body></html>',
    ].join('\n') + '\n'
  );
}

const VERDICT_TEXT = {
  findings: 'Findings',
  inconclusive: 'Inconclusive: not everything could be scanned',
  clean: 'Clean',
};

/** Verdict, one card per severity (plus inconclusive and suppressed), a stacked bar, and the targets. */
export function summary(report: Report, verdict: keyof typeof VERDICT_TEXT, detail?: string): string {
  const cards = SEVERITIES.map((s) => `<div class="card"><b class="s-${s}">${report.summary[s]}</b>${s}</div>`);
  cards.push(`<div class="card"><b class="s-inconclusive">${report.inconclusive.length}</b>inconclusive</div>`);
  cards.push(`<div class="card"><b class="muted">${report.suppressed.length}</b>suppressed</div>`);
  const bar = stackedBar(
    [
      ...SEVERITIES.map((s) => ({ label: s, value: report.summary[s], tone: s })),
      { label: 'inconclusive', value: report.inconclusive.length, tone: 'inconclusive' },
    ],
    'findings by severity',
  );
  const targets = report.targets.map(
    (t) =>
      `<li><code>${h(t.uri)}</code>${t.resolvedRevision ? ` @ <code>${h(t.resolvedRevision)}</code>` : ''} — ${h(targetSize(t))}</li>`,
  );
  return [
    `<div class="verdict v-${verdict}">${h(VERDICT_TEXT[verdict])}${detail ? `: ${h(detail)}` : ''}</div>`,
    `<div class="cards">${cards.join('')}</div>`,
    bar,
    `<h2>Targets</h2><ul>${targets.join('')}</ul>`,
  ].join('\n');
}

export function ruleLink(ruleId: string, opts: RenderOptions): string {
  return `<a href="${h(helpUri(ruleId, opts.docsBaseUri))}"><code>${h(ruleId)}</code></a>`;
}

export function inconclusiveSection(report: Report): string {
  if (!report.inconclusive.length) return '';
  const head = '<tr><th class="w-rule">Code</th><th>Location</th><th class="w-loc">Scanner</th><th>Message</th></tr>';
  const rows = report.inconclusive.map(
    (i) =>
      `<tr><td class="sev s-inconclusive">${h(i.code)}</td><td><code>${h(where(i))}</code></td>` +
      `<td>${h(i.scanner ?? '')}</td><td>${h(i.message)}</td></tr>`,
  );
  return `<h2>Inconclusive (${report.inconclusive.length})</h2><p>These could not be fully read; they are not clean.</p><table>${head}${rows.join('')}</table>`;
}

function suppressedRow(s: Suppressed, opts: RenderOptions): string {
  const until = s.suppression.expires ? ` until ${h(s.suppression.expires)}` : '';
  return (
    `<tr><td class="sev s-${s.severity}">${h(s.severity)}</td><td>${ruleLink(s.ruleId, opts)}</td><td><code>${h(where(s.location))}</code></td>` +
    `<td>${h(s.message)}</td><td>${h(s.suppression.reason)}<div class="muted">${h(s.suppression.source)}${until}</div></td></tr>`
  );
}

export function suppressedSection(report: Report, opts: RenderOptions): string {
  if (!report.suppressed.length) return '';
  const head = '<tr><th class="w-sev">Severity</th><th class="w-rule">Rule</th><th>Location</th><th>Message</th><th>Reason</th></tr>';
  return `<h2>Suppressed (${report.suppressed.length})</h2><table>${head}${report.suppressed.map((s) => suppressedRow(s, opts)).join('')}</table>`;
}
