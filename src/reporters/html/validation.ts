/**
 * The validation page: how many expectations passed, a drift-score chart across columns, the label
 * distribution against the baseline, a card per column, and the per-expectation table (failed ones
 * open, passed ones folded under "N expectations passed").
 */
import { plural } from '../common.js';
import { escapeHtml as h } from '../escape.js';
import { barChart, clip, histogram, pairChart, short } from './svg.js';
import { DRIFT, driftScore, label, labelShares, num, obj, type ColumnStats, type ExpectationRow, type ValidationView } from './validation-data.js';

/** `35 expectations passed` or `3 of 53 expectations failed` */
export function expectationTally(v: ValidationView): string {
  const failed = v.rows.filter((r) => !r.success).length;
  if (!v.rows.length) return 'no expectations were run';
  return failed ? `${failed} of ${plural(v.rows.length, 'expectation')} failed` : `${plural(v.rows.length, 'expectation')} passed`;
}

const HIDDEN_KWARGS = new Set(['column', 'column_A', 'column_list', 'batch_id', 'result_format', 'catch_exceptions', 'meta']);

/** A value in a cell: whole numbers as they are, others to 4 digits, lists cut, objects as short JSON. */
function show(x: unknown, max = 8): string {
  if (typeof x === 'number') return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
  if (Array.isArray(x)) {
    const head = x.slice(0, max).map((v) => show(v, 3));
    return `[${head.join(', ')}${x.length > max ? `, … ${x.length} in all` : ''}]`;
  }
  if (x && typeof x === 'object') return clip(`{${Object.entries(x).map(([k, v]) => `${k} ${show(v, 3)}`).join(', ')}}`, 160);
  return clip(String(x), 160);
}

function expected(r: ExpectationRow): string {
  const parts = Object.entries(r.kwargs)
    .filter(([k]) => !HIDDEN_KWARGS.has(k))
    .map(([k, v]) => `${k} ${show(v)}`);
  if (r.details.threshold !== undefined) parts.push(`threshold ${show(r.details.threshold)}`);
  return parts.join(' · ') || '—';
}

function observed(r: ExpectationRow): string {
  if (r.error) return `error: ${r.error}`;
  const res = r.result;
  const n = num(res.unexpected_count);
  if (n !== undefined) {
    const of = num(res.element_count);
    const p = num(res.unexpected_percent);
    return `${n}${of !== undefined ? ` of ${of}` : ''} unexpected${p !== undefined ? ` (${short(p)}%)` : ''}`;
  }
  return res.observed_value === undefined ? '—' : show(res.observed_value);
}

function examples(r: ExpectationRow): string {
  const list = Array.isArray(r.details.examples) ? r.details.examples : Array.isArray(r.result.partial_unexpected_list) ? r.result.partial_unexpected_list : [];
  if (!list.length) return '';
  const items = list.slice(0, 5).map((e) => {
    const o = obj(e);
    return o.row !== undefined && 'value' in o ? `row ${show(o.row)}: ${show(o.value, 3)}` : show(e, 3);
  });
  return `<code>${h(items.join('; '))}</code>${list.length > 5 ? ' …' : ''}`;
}

function expectationTable(rows: ExpectationRow[]): string {
  const head = '<tr><th class="w-st">Result</th><th class="w-exp">Expectation</th><th>Expected</th><th>Observed</th><th>Unexpected examples</th></tr>';
  const body = rows.map(
    (r) =>
      `<tr><td class="${r.success ? 'pass' : 'fail'}">${r.success ? 'pass' : 'fail'}</td>` +
      `<td><code>${h(r.type)}</code>${r.column ? `<div class="muted">column <code>${h(r.column)}</code></div>` : ''}</td>` +
      `<td>${h(expected(r))}</td><td>${h(observed(r))}</td><td>${examples(r)}</td></tr>`,
  );
  return `<table>${head}${body.join('')}</table>`;
}

function driftChart(rows: ExpectationRow[]): string {
  const drift = rows.flatMap((r) => {
    const d = r.type === DRIFT && r.column !== undefined ? driftScore(r) : undefined;
    return d ? [{ r, d }] : [];
  });
  if (!drift.length) return '';
  const thresholds = drift.map((x) => x.d.threshold);
  const same = thresholds.every((t) => t !== undefined && t === thresholds[0]);
  const bars = drift.map(({ r, d }) => ({
    label: r.column!,
    value: d.value,
    tone: r.success ? 'ok' : 'bad',
    text: [short(d.value), ...(same || d.threshold === undefined ? [] : [`/ ${short(d.threshold)}`]), ...(d.p !== undefined ? [`(p ${short(d.p)})`] : [])].join(' '),
  }));
  const methods = [...new Set(drift.map(({ r }) => (typeof r.details.method === 'string' ? r.details.method : '')).filter(Boolean))];
  const byP = drift.some((x) => x.d.p !== undefined);
  const what = byP ? 'Jensen-Shannon distance to the baseline, with the test\'s p-value' : 'drift score';
  return (
    `<h2>Drift by column</h2>` +
    barChart(bars, { title: 'drift by column', ...(same ? { threshold: thresholds[0], ...(byP ? { thresholdLabel: 'least distance that counts' } : {}) } : {}) }) +
    `<p class="muted">${h(what)}${methods.length ? `; test: ${h(methods.join(', '))}` : ''}; red bars are columns that drifted.</p>`
  );
}

function labelChart(rows: ExpectationRow[]): string {
  const l = labelShares(rows);
  if (!l) return '';
  const name = l.column ? ` (<code>${h(l.column)}</code>)` : '';
  return `<h2>Label distribution${name}</h2>` + pairChart(l.classes.map((c) => ({ label: c.label, current: c.current, ...(c.baseline !== undefined ? { baseline: c.baseline } : {}) })), { title: 'label distribution', shares: true });
}

/** What the expectations themselves say about a column, for when the validation carried no statistics. */
function statsFromRows(name: string, rows: ExpectationRow[]): ColumnStats {
  const of = (type: string): ExpectationRow | undefined => rows.find((r) => r.type === type);
  const nulls = of('expect_column_values_to_not_be_null');
  const distinct = num(of('expect_column_unique_value_count_to_be_between')?.result.observed_value);
  const counts = of('expect_column_distinct_values_to_be_in_set')?.details.value_counts;
  const numeric = rows.some((r) => /_(mean|median|stdev)_to_be_between$/.test(r.type));
  const top = Array.isArray(counts)
    ? counts.flatMap((c) => {
        const o = obj(c);
        const count = num(o.count);
        return count === undefined ? [] : [{ value: label(o.value), count }];
      })
    : [];
  const rowsN = rows.map((r) => num(r.result.element_count)).find((v) => v !== undefined);
  return {
    name,
    kind: numeric ? 'number' : top.length ? 'categorical' : 'unknown',
    ...(rowsN !== undefined ? { rows: rowsN } : {}),
    ...(num(nulls?.result.unexpected_count) !== undefined ? { nulls: num(nulls?.result.unexpected_count) } : {}),
    ...(distinct !== undefined ? { distinct } : {}),
    ...(top.length ? { top: top.sort((a, b) => b.count - a.count).slice(0, 12) } : {}),
  };
}

function driftText(r: ExpectationRow | undefined): string | undefined {
  const d = r && driftScore(r);
  return d ? `${short(d.value)}${d.p !== undefined ? ` (p ${short(d.p)})` : ''}` : undefined;
}

function columnCard(c: ColumnStats, rows: ExpectationRow[]): string {
  const failed = rows.filter((r) => !r.success).length;
  const drift = rows.find((r) => r.type === DRIFT);
  const dd = (k: string, v: string | undefined): string => (v === undefined ? '' : `<dt>${k}</dt><dd>${h(v)}</dd>`);
  const chart = c.histogram
    ? histogram(c.histogram.edges, c.histogram.counts, c.histogram.baseline, `${c.name} histogram`, CARD_W)
    : c.top?.length
      ? pairChart(c.top.slice(0, 12).map((t) => ({ label: t.value, current: t.count, ...(t.baseline !== undefined ? { baseline: t.baseline } : {}) })), { title: `${c.name} top values`, width: CARD_W })
      : '';
  const status = rows.length ? `<span class="${failed ? 'fail' : 'pass'}">${failed ? `${failed} of ${rows.length} failed` : `${rows.length} passed`}</span>` : '';
  return (
    `<div class="col"><h3><code>${h(c.name)}</code></h3>${status}<dl>` +
    dd('type', c.kind) +
    dd('rows', c.rows !== undefined ? String(c.rows) : undefined) +
    dd('nulls', c.nulls !== undefined ? String(c.nulls) : undefined) +
    dd('distinct', c.distinct !== undefined ? String(c.distinct) : undefined) +
    dd('drift', driftText(drift)) +
    `</dl>${chart}</div>`
  );
}

/** natural width of a chart in a column card (a card is about 20rem) */
const CARD_W = 320;

/** a page for a table of 500 columns stays readable: the rest are in the JSON report */
const CARDS_MAX = 60;

function columnCards(v: ValidationView): string {
  const names = [...new Set([...v.columns.map((c) => c.name), ...v.rows.flatMap((r) => (r.column !== undefined && !r.column.includes(', ') ? [r.column] : []))])];
  if (!names.length) return '';
  const cards = names.slice(0, CARDS_MAX).map((name) => {
    const rows = v.rows.filter((r) => r.column === name);
    const own = v.columns.find((c) => c.name === name);
    const derived = statsFromRows(name, rows);
    return columnCard({ ...derived, ...own, ...(own?.histogram || own?.top ? {} : derived.top ? { top: derived.top } : {}) }, rows);
  });
  const more = names.length > CARDS_MAX ? `<p class="muted">${names.length - CARDS_MAX} more columns in the JSON report.</p>` : '';
  return `<h2>Columns (${names.length})</h2><div class="grid">${cards.join('')}</div>${more}`;
}

function expectationsSection(v: ValidationView): string {
  const failed = v.rows.filter((r) => !r.success);
  const passed = v.rows.filter((r) => r.success);
  const out = [`<h2>Expectations (${h(expectationTally(v))})</h2>`];
  if (v.name) out.push(`<p class="muted">suite <code>${h(v.name)}</code>${v.rowsScanned !== undefined ? ` · ${plural(v.rowsScanned, 'row')} scanned` : ''}</p>`);
  if (failed.length) out.push(`<h3 class="fail">${plural(failed.length, 'expectation')} failed</h3>`, expectationTable(failed));
  if (passed.length) {
    out.push(`<details${failed.length ? '' : ' open'}><summary class="pass">${plural(passed.length, 'expectation')} passed</summary>${expectationTable(passed)}</details>`);
  }
  return out.join('\n');
}

/** Every validation part of the page, in reading order. */
export function validationSections(v: ValidationView): string[] {
  return [driftChart(v.rows), labelChart(v.rows), columnCards(v), expectationsSection(v)];
}
