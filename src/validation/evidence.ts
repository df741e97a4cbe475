/**
 * What a validation finding carries: the exact numbers (statistic, expected bounds, observed value,
 * details) for JSON, and `shown`, the same numbers rounded for people, which the rule messages
 * render. Every message placeholder names a field that exists for its check; a test renders every
 * rule from real runs and fails on an empty one.
 */
import type { GxResult } from './gx/engine.js';

/** kwargs that say where or how an expectation runs, not what it expects */
const NOT_BOUNDS = new Set(['column', 'column_A', 'column_B', 'column_list', 'result_format', 'catch_exceptions', 'meta', 'notes', 'description', 'id', 'batch_id', 'row_condition', 'condition_parser', 'label']);

/** 4 significant digits, and no float noise: 1.1634896649896016 → 1.163, 0.000012345 → 1.235e-5 */
export function roundForPeople(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return x.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(Number(x.toPrecision(4)));
}

export function show(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'number') return roundForPeople(v);
  if (typeof v === 'string') return v === '' ? '""' : v.length > 120 ? v.slice(0, 119) + '…' : v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return 'none';
    const head = v.slice(0, 5).map((x) => show(x, depth + 1)).join(', ');
    return v.length > 5 ? `${head} (+${v.length - 5} more)` : head;
  }
  if (typeof v === 'object') {
    if (depth > 1) return '…';
    const parts = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (!parts.length) return 'none';
    return parts.map(([k, x]) => `${k} ${show(x, depth + 1)}`).join(', ');
  }
  return typeof v === 'bigint' ? v.toString() : 'unknown';
}

/** the expected bounds of a GX expectation: every kwarg that is not a location or an option */
export function expectedBounds(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs).filter(([k, v]) => !NOT_BOUNDS.has(k) && v !== undefined));
}

export interface Example {
  /** 1-based data row (the header is not a row) */
  row?: number;
  rows?: number[];
  value?: unknown;
  [k: string]: unknown;
}

/** GX's partial unexpected lists as examples with 1-based rows */
export function gxExamples(r: GxResult): Example[] {
  const values = (r.result.partial_unexpected_list ?? []) as unknown[];
  const idx = (r.result.partial_unexpected_index_list ?? r.result.unexpected_index_list ?? []) as unknown[];
  return values.slice(0, 5).map((value, i) => {
    const at = idx[i];
    return typeof at === 'number' ? { row: at + 1, value } : { value };
  });
}

export function firstRow(examples: Example[]): number | undefined {
  for (const e of examples) {
    if (typeof e.row === 'number') return e.row;
    if (Array.isArray(e.rows) && typeof e.rows[0] === 'number') return e.rows[0];
  }
  return undefined;
}

/** `shown`: each number of the evidence rounded, each list and object flattened into a phrase */
export function shownOf(data: Record<string, unknown>, details: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(details)) out[k] = show(v);
  for (const k of ['statistic', 'observed_value', 'unexpected_count', 'unexpected_percent', 'element_count', 'threshold']) out[k] = show(data[k]);
  out.column = typeof data.column === 'string' ? data.column : 'the table';
  const upct = data.unexpected_percent;
  out.observed = typeof data.unexpected_count === 'number' ? `${data.unexpected_count} of ${show(data.element_count)} values unexpected${typeof upct === 'number' ? ` (${roundForPeople(upct)}%)` : ''}` : show(data.observed_value);
  if (typeof data.statistic === 'number') out.statistic_percent = `${roundForPeople(data.statistic * 100)}%`;
  const t = data.threshold !== null && typeof data.threshold === 'object' && !Array.isArray(data.threshold) ? (data.threshold as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(t)) out[`limit_${k}`] = show(v);
  out.bound = boundPhrase(t, details);
  out.examples = show((data.examples as unknown[] | undefined)?.slice(0, 3) ?? []);
  return out;
}

const pct = (x: unknown): string => (typeof x === 'number' ? `${roundForPeople(x * 100)}%` : show(x));

/** how a rate check decided: against a fixed limit, or a test against the baseline's rate */
function boundPhrase(t: Record<string, unknown>, details: Record<string, unknown>): string {
  if (typeof t.max_ratio === 'number') return `limit ${pct(t.max_ratio)}`;
  if (typeof t.alpha === 'number' && typeof details.p_value === 'number') {
    const base = typeof t.baseline_ratio === 'number' ? `baseline ${pct(t.baseline_ratio)}, ` : '';
    return `${base}p = ${roundForPeople(details.p_value)} < α ${roundForPeople(t.alpha)}`;
  }
  return show(t);
}
