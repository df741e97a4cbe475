/**
 * What the validation page draws, read from the report's `validation` field (a GX 1.x suite
 * validation result, with mlvet's checks as extra expectation types). The field is `unknown` in the
 * model and may come from another version or a hand-edited file, so every value is checked here and
 * an absent or odd one just leaves its part of the page out.
 */

export interface ExpectationRow {
  type: string;
  column?: string;
  success: boolean;
  error?: string;
  kwargs: Record<string, unknown>;
  result: Record<string, unknown>;
  details: Record<string, unknown>;
}

export interface ColumnStats {
  name: string;
  kind?: string;
  rows?: number;
  nulls?: number;
  distinct?: number;
  histogram?: { edges: number[]; counts: number[]; baseline?: number[] };
  top?: Array<{ value: string; count: number; baseline?: number }>;
}

export interface ValidationView {
  name?: string;
  rows: ExpectationRow[];
  /** per-column statistics, when the validation carried them (`meta.mlvet.columns`) */
  columns: ColumnStats[];
  rowsScanned?: number;
}

export const obj = (x: unknown): Record<string, unknown> => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {});
export const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
/** a category or label value as text: strings, numbers and booleans as written, anything else as JSON */
export const label = (x: unknown): string => (typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : JSON.stringify(x) ?? '');
const nums = (x: unknown): number[] | undefined => (Array.isArray(x) && x.every((v) => num(v) !== undefined) ? (x as number[]) : undefined);

function columnOf(kw: Record<string, unknown>): string | undefined {
  const c = kw.column ?? kw.column_A;
  if (typeof c === 'string') return c;
  if (Array.isArray(kw.column_list)) return kw.column_list.filter((v) => typeof v === 'string').join(', ');
  return undefined;
}

function expectationRow(x: unknown): ExpectationRow | undefined {
  const r = obj(x);
  const cfg = obj(r.expectation_config);
  const type = str(cfg.type);
  if (!type || typeof r.success !== 'boolean') return undefined;
  const kwargs = obj(cfg.kwargs);
  const result = obj(r.result);
  const exc = obj(r.exception_info);
  const column = columnOf(kwargs);
  return {
    type,
    ...(column !== undefined ? { column } : {}),
    success: r.success,
    ...(exc.raised_exception === true ? { error: str(exc.exception_message) ?? 'raised an exception' } : {}),
    kwargs,
    result,
    details: obj(result.details),
  };
}

function columnStats(x: unknown): ColumnStats | undefined {
  const c = obj(x);
  const name = str(c.name);
  if (name === undefined) return undefined;
  const hist = obj(c.histogram);
  const edges = nums(hist.edges);
  const counts = nums(hist.counts);
  const base = nums(hist.baseline);
  const top = Array.isArray(c.top)
    ? c.top.flatMap((t) => {
        const o = obj(t);
        const count = num(o.count);
        if (count === undefined || o.value === undefined) return [];
        const b = num(o.baseline);
        return [{ value: label(o.value), count, ...(b !== undefined ? { baseline: b } : {}) }];
      })
    : undefined;
  return {
    name,
    ...(str(c.kind) ? { kind: str(c.kind) } : {}),
    ...(num(c.rows) !== undefined ? { rows: num(c.rows) } : {}),
    ...(num(c.nulls) !== undefined ? { nulls: num(c.nulls) } : {}),
    ...(num(c.distinct) !== undefined ? { distinct: num(c.distinct) } : {}),
    ...(edges && counts && edges.length === counts.length + 1 ? { histogram: { edges, counts, ...(base && base.length === counts.length ? { baseline: base } : {}) } } : {}),
    ...(top?.length ? { top } : {}),
  };
}

/** The validation section as the page needs it, or undefined when the report has none. */
export function validationView(v: unknown): ValidationView | undefined {
  const o = obj(v);
  if (!Array.isArray(o.results)) return undefined;
  const mlvet = obj(obj(o.meta).mlvet);
  return {
    ...(str(o.suite_name) ? { name: str(o.suite_name) } : {}),
    rows: o.results.map(expectationRow).filter((r): r is ExpectationRow => r !== undefined),
    columns: Array.isArray(mlvet.columns) ? mlvet.columns.map(columnStats).filter((c): c is ColumnStats => c !== undefined) : [],
    ...(num(mlvet.rows_scanned) !== undefined ? { rowsScanned: num(mlvet.rows_scanned) } : {}),
  };
}

export const DRIFT = 'expect_column_drift_score_to_be_at_most';
export const LABEL_SHIFT = 'expect_column_label_distribution_shift_to_be_at_most';
export const IMBALANCE = 'expect_column_class_imbalance_to_be_at_most';

/** Class shares for the label chart: with the baseline from the shift check, else from the imbalance check. */
export function labelShares(rows: ExpectationRow[]): { column?: string; classes: Array<{ label: string; current: number; baseline?: number }> } | undefined {
  for (const [type, key] of [[LABEL_SHIFT, 'classes'], [IMBALANCE, 'shares']] as const) {
    const r = rows.find((x) => x.type === type && Array.isArray(x.details[key]));
    if (!r) continue;
    const classes = (r.details[key] as unknown[]).flatMap((c) => {
      const o = obj(c);
      const share = num(o.share);
      if (share === undefined || o.label === undefined) return [];
      const b = num(o.baseline_share);
      return [{ label: label(o.label), current: share, ...(b !== undefined ? { baseline: b } : {}) }];
    });
    if (classes.length) return { ...(r.column ? { column: r.column } : {}), classes };
  }
  return undefined;
}

/** A check's threshold: a number, or the first number in a threshold object. */
export function thresholdOf(r: ExpectationRow): number | undefined {
  const t = r.details.threshold;
  return num(t) ?? Object.values(obj(t)).map(num).find((v) => v !== undefined);
}

/**
 * How far a column drifted, as a bar can show it: a distance, larger is further. Tests that decide by
 * p-value (Mann-Whitney, chi-square) carry the Jensen-Shannon distance as their effect size, and that
 * is what is drawn (a p-value of 1e-200 has no useful bar); the p-value goes in the label.
 */
export function driftScore(r: ExpectationRow): { value: number; threshold?: number; p?: number } | undefined {
  const d = r.details;
  const p = num(d.p_value);
  const js = num(d.js_distance);
  const t = obj(d.threshold);
  if (js !== undefined) return { value: js, ...(num(t.min_js) !== undefined ? { threshold: num(t.min_js) } : {}), ...(p !== undefined ? { p } : {}) };
  const v = num(r.result.observed_value);
  if (v === undefined || p !== undefined || d.statistic_kind === 'p_value') return undefined;
  const th = thresholdOf(r);
  return { value: v, ...(th !== undefined ? { threshold: th } : {}) };
}
