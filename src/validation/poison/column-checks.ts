/**
 * Per-column checks against the baseline: drift (binned chi-square homogeneity and, for numbers, a
 * Mann–Whitney location test, each at the run's Bonferroni share and with an effect-size floor),
 * values outside the baseline's robust range, robust outliers (modified z from the baseline's
 * median/MAD), invisible characters, and change in feature–label association (Cramér's V on
 * baseline bins, only where the levels are bounded and the rows are enough). Identifier columns are
 * never drift-, range- or outlier-checked.
 */
import { contingencyTable, cramersV } from '../profile/collect.js';
import type { ColumnBaseline } from '../profile/baseline.js';
import { beyondExtremesP, homogeneity, jsDistance, mannWhitneyBinned } from './stats.js';
import { alphaOf, num, outcome, poisonCheck, type Check, type DriftResult, type PoisonCtx, type PoisonCheck } from './context.js';
import { rateOutcome } from './rate.js';

function base(ctx: PoisonCtx, column: string): ColumnBaseline | undefined {
  const b = ctx.baseline?.stats[column];
  return b && !b.id && !ctx.ids.has(column) ? b : undefined;
}

/** baseline and current counts over the baseline's categories, the rest pooled as one level */
function categoricalCounts(b: ColumnBaseline, ctx: PoisonCtx, column: string): { ref: number[]; cur: number[] } {
  const cur = ctx.current.columns.get(column);
  const refMap = new Map(b.top?.values ?? []);
  const curMap = new Map(cur?.top.top() ?? []);
  const keys = [...refMap.keys()].sort();
  const ref = keys.map((k) => refMap.get(k) ?? 0);
  const c = keys.map((k) => curMap.get(k) ?? 0);
  // with the baseline's complete value set, values it never had are the unseen-value check's, not drift:
  // a long tail brings new levels in every clean batch
  if (b.top?.exact) return { ref, cur: c };
  ref.push(Math.max(0, b.count - b.missing - ref.reduce((x, y) => x + y, 0)));
  c.push(Math.max(0, (cur?.n ?? 0) - c.reduce((x, y) => x + y, 0)));
  return { ref, cur: c };
}

/** drift of one column, computed once per run (the drifted-share check reuses it) */
export function driftOf(ctx: PoisonCtx, column: string, kw: Record<string, unknown>): DriftResult | null {
  const cached = ctx.drift.get(column);
  if (cached) return cached;
  const b = base(ctx, column);
  const cur = ctx.current.columns.get(column);
  if (!b || !cur || (b.kind !== 'numeric' && b.kind !== 'categorical') || cur.n === 0) return null;
  const alpha = alphaOf(kw, ctx);
  const minJs = num(kw, 'min_js', 0.03);
  const minAuc = num(kw, 'min_auc_shift', 0.02);
  let r: DriftResult;
  if (b.numeric && cur.hist) {
    const ref = [0, ...b.numeric.hist, 0];
    const now = [cur.below, ...cur.hist, cur.above];
    const h = homogeneity(ref, now);
    const mw = mannWhitneyBinned(ref, now);
    const js = jsDistance(ref, now);
    const shifted = mw.p < alpha / 2 && Math.abs(mw.auc - 0.5) >= minAuc;
    const reshaped = h.p < alpha / 2 && js >= minJs;
    r = { method: shifted || mw.p < h.p ? 'mann_whitney' : 'chi_square', p_value: Math.min(1, 2 * Math.min(h.p, mw.p)), alpha, js_distance: js, min_js: minJs, auc: mw.auc, drifted: shifted || reshaped };
  } else if (b.kind === 'categorical' && b.top) {
    const { ref, cur: now } = categoricalCounts(b, ctx, column);
    const h = homogeneity(ref, now, 20);
    const js = jsDistance(ref, now);
    r = { method: 'chi_square', p_value: h.p, alpha, js_distance: js, min_js: minJs, drifted: h.p < alpha && js >= minJs };
  } else return null;
  ctx.drift.set(column, r);
  return r;
}

const drift: Check = (kw, ctx) => {
  const column = String(kw.column);
  const r = driftOf(ctx, column, kw);
  if (!r) return outcome(true, null, { alpha: alphaOf(kw, ctx) }, { note: 'no baseline distribution for this column (identifier, text, or high-cardinality strings)' });
  return outcome(!r.drifted, r.p_value, { alpha: r.alpha, min_js: r.min_js }, { method: r.method, p_value: r.p_value, js_distance: r.js_distance, ...(r.auc !== undefined ? { auc: r.auc } : {}) });
};

const driftedShare: Check = (kw, ctx) => {
  const cols = Object.values(ctx.baseline?.stats ?? {}).filter((c) => c.name !== ctx.label && (c.kind === 'numeric' || c.kind === 'categorical'));
  const results = cols.map((c) => ({ column: c.name, r: driftOf(ctx, c.name, {}) })).filter((x) => x.r);
  const drifted = results.filter((x) => x.r!.drifted).map((x) => x.column);
  const share = results.length ? drifted.length / results.length : 0;
  const max = num(kw, 'max_share', 0.5);
  return outcome(share < max, share, { max_share: max }, { drifted: drifted.length, drifted_columns: drifted, columns: results.length });
};

const outOfRange: Check = (kw, ctx) => {
  const column = String(kw.column);
  const b = base(ctx, column);
  const cur = ctx.current.columns.get(column);
  if (!b?.numeric || !cur) return outcome(true, null, { alpha: alphaOf(kw, ctx) }, { note: 'no numeric baseline' });
  const lo = b.numeric.lo;
  const hi = b.numeric.hi;
  const n = cur.n - cur.typeMiss;
  const n0 = b.count - b.missing;
  // two tests at half the share each: the robust range against the baseline's own share outside it, and
  // values past every baseline value (exchangeability: no tail model needed, so a handful of rows suffice)
  const half = { ...kw, alpha: alphaOf(kw, ctx) / 2 };
  const r = rateOutcome({ count: cur.rangeOut, n, baselineShare: b.numeric.rangeOutShare, baselineN: n0 }, half, ctx, {
    range: [lo, hi],
    beyond_baseline_extremes: cur.beyond,
    baseline_extremes: [b.numeric.min, b.numeric.max],
    examples: cur.outlierExamples.filter((e) => typeof e.value === 'number' && (e.value < lo || e.value > hi)).slice(0, 5),
  });
  if (typeof kw.max_ratio === 'number' || !r.success) return r;
  const p = beyondExtremesP(cur.beyond, n0, n);
  if (!(p < half.alpha && cur.beyond / Math.max(1, n) >= num(kw, 'min_increase', 0.001))) return r;
  const details = { ...(r.result.details as Record<string, unknown>), p_value: p, count: cur.beyond, test: 'beyond every baseline value' };
  return { ...r, success: false, result: { ...r.result, observed_value: cur.beyond / n, details: { ...details, statistic: cur.beyond / n, threshold: { alpha: half.alpha, baseline_ratio: 0, min_increase: num(kw, 'min_increase', 0.001) } } } };
};

const robustOutliers: Check = (kw, ctx) => {
  const column = String(kw.column);
  const b = base(ctx, column);
  const cur = ctx.current.columns.get(column);
  if (!b?.numeric || !cur || !(b.numeric.mad > 0)) return outcome(true, null, { alpha: alphaOf(kw, ctx) }, { note: 'no numeric baseline with a non-zero MAD' });
  return rateOutcome({ count: cur.outliers, n: cur.n - cur.typeMiss, baselineShare: b.numeric.outlierShare, baselineN: b.count - b.missing }, kw, ctx, {
    method: 'modified z > 3.5 from baseline median/MAD',
    median: b.numeric.median,
    mad: b.numeric.mad,
    examples: cur.outlierExamples.slice(0, 5),
  });
};

const invisibleChars: Check = (kw, ctx) => {
  const column = String(kw.column);
  const cur = ctx.current.columns.get(column);
  const b = ctx.baseline?.stats[column];
  return rateOutcome({ count: cur?.invisible ?? 0, n: cur?.n ?? 0, ...(b ? { baselineShare: b.invisibleShare, baselineN: b.count - b.missing } : {}) }, kw, ctx, { examples: (cur?.invisibleExamples ?? []).slice(0, 5) }, 0.001);
};

/** rows (levels) with enough rows on both sides: a sparse tail bin's chi-square contribution is noise */
function denseLevels(a: number[][], b: number[][], labels: number): number[] {
  const sum = (r: number[] | undefined): number => (r ?? []).reduce((x, y) => x + y, 0);
  return a.map((_, i) => i).filter((i) => sum(a[i]) >= 5 * labels && sum(b[i]) >= 5 * labels);
}

const associationChange: Check = (kw, ctx) => {
  const column = String(kw.column);
  const b = base(ctx, column);
  const cur = ctx.current.columns.get(column);
  if (!b?.association || !cur) return outcome(true, null, { max_delta: num(kw, 'max_delta', 0.1) }, { note: 'no baseline association (identifier, many levels, or too few rows)' });
  const assoc = b.association;
  const labels = assoc.labels.length;
  const full = contingencyTable(cur, assoc.bins, assoc.labels).table;
  const keep = denseLevels(assoc.table, full, labels);
  const now = keep.map((i) => full[i]!);
  const then = keep.map((i) => assoc.table[i]!);
  const n = now.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
  const cells = Math.max(1, (keep.length - 1) * (labels - 1));
  // Cramér's V of independent data is about sqrt(cells / n) / m: the bound grows as the batch shrinks
  const noise = n > 0 ? (4 * Math.sqrt(cells / n)) / Math.sqrt(Math.max(1, Math.min(keep.length, labels) - 1)) : Infinity;
  const max = Math.max(num(kw, 'max_delta', 0.1), noise);
  const v = cramersV(now);
  const baseV = cramersV(then);
  const delta = v - baseV;
  return outcome(keep.length < 2 || Math.abs(delta) <= max, Math.abs(delta), { max_delta: max }, { cramers_v: v, baseline_cramers_v: baseV, bins: keep.length, rows: n });
};

export const COLUMN_CHECKS: readonly PoisonCheck[] = [
  poisonCheck({
    type: 'expect_column_drift_score_to_be_at_most',
    kwargs: ['column', 'method', 'threshold', 'alpha', 'min_js', 'min_auc_shift'],
    required: ['column'],
    doc: "the column's distribution drifted from the baseline's",
    run: drift,
  }),
  poisonCheck({
    type: 'expect_table_drifted_column_share_to_be_at_most',
    kwargs: ['max_share'],
    doc: 'too many feature columns drifted at once',
    run: driftedShare,
  }),
  poisonCheck({
    type: 'expect_column_out_of_baseline_range_ratio_to_be_at_most',
    kwargs: ['column', 'mode', 'max_ratio', 'alpha', 'min_increase'],
    required: ['column'],
    doc: "values fall outside the baseline's range more often than there",
    run: outOfRange,
  }),
  poisonCheck({
    type: 'expect_column_robust_outlier_ratio_to_be_at_most',
    kwargs: ['column', 'max_ratio', 'z', 'alpha', 'min_increase'],
    required: ['column'],
    doc: "more robust outliers (modified z from the baseline's median and MAD) than in the baseline",
    run: robustOutliers,
  }),
  poisonCheck({
    type: 'expect_column_invisible_char_ratio_to_be_at_most',
    kwargs: ['column', 'max_ratio', 'alpha', 'min_increase'],
    required: ['column'],
    doc: 'values hide invisible or mixed-script characters',
    run: invisibleChars,
  }),
  poisonCheck({
    type: 'expect_column_feature_label_association_change_to_be_at_most',
    kwargs: ['column', 'label', 'max_delta'],
    required: ['column'],
    doc: "the column's association with the label (Cramér's V) changed since the baseline",
    run: associationChange,
  }),
];
