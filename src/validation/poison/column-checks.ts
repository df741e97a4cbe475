/**
 * Per-column checks against the baseline: drift (method chosen as Evidently does), values outside
 * the baseline's robust range, robust outliers (modified z from the baseline's median/MAD),
 * invisible characters, and change in feature–label association (Cramér's V on baseline bins).
 */
import { Kll } from '../sketch/kll.js';
import { ID_COLUMN } from '../rows/rowhash.js';
import { contingencyTable, cramersV } from '../profile/collect.js';
import type { ColumnBaseline } from '../profile/baseline.js';
import { chiSquareP, jsDistance, ksPValue, ksStatistic, normalSf, twoPropZ, wasserstein } from './stats.js';
import { num, outcome, poisonCheck, type Check, type DriftResult, type PoisonCtx, type PoisonCheck } from './context.js';

function base(ctx: PoisonCtx, column: string): ColumnBaseline | undefined {
  return ctx.baseline?.stats[column];
}

function categoricalCounts(b: ColumnBaseline, ctx: PoisonCtx, column: string): { keys: string[]; ref: number[]; cur: number[] } {
  const cur = ctx.current.columns.get(column);
  const refMap = new Map(b.top?.values ?? []);
  const curMap = new Map(cur?.top.top() ?? []);
  const keys = [...new Set([...refMap.keys(), ...curMap.keys()])].sort();
  return { keys, ref: keys.map((k) => refMap.get(k) ?? 0), cur: keys.map((k) => curMap.get(k) ?? 0) };
}

/** Evidently's default: small reference → statistical tests; large → Wasserstein (numeric) or JS distance */
function driftOf(ctx: PoisonCtx, column: string, kw: Record<string, unknown>): DriftResult | null {
  const cached = ctx.drift.get(column);
  if (cached) return cached;
  const b = base(ctx, column);
  const cur = ctx.current.columns.get(column);
  if (!b || !cur || b.kind === 'text' || b.kind === 'other') return null;
  const small = b.count - b.missing <= 1000;
  const manyValues = b.distinct.estimate > 5;
  let r: DriftResult;
  if (b.numeric && manyValues) {
    const ref = Kll.from(b.numeric.kll);
    if (small) {
      const d = ksStatistic(ref, cur.kll);
      const p = ksPValue(d, ref.n, cur.kll.n);
      r = { method: 'ks', statistic: p, threshold: num(kw, 'threshold', 0.05), drifted: false, kind: 'p_value' };
    } else {
      const w = wasserstein(ref, cur.kll) / Math.max(b.numeric.std, 0.001);
      r = { method: 'wasserstein_normed', statistic: w, threshold: num(kw, 'threshold', 0.1), drifted: false, kind: 'distance' };
    }
  } else {
    const { ref, cur: c } = b.numeric ? numericAsCategories(b, cur.kll) : categoricalCounts(b, ctx, column);
    if (small) {
      if (ref.length > 2) r = { method: 'chisquare', statistic: chiSquareP(ref, c), threshold: num(kw, 'threshold', 0.05), drifted: false, kind: 'p_value' };
      else {
        const nr = ref.reduce((a, x) => a + x, 0);
        const nc = c.reduce((a, x) => a + x, 0);
        const z = twoPropZ(ref[0] ?? 0, nr, c[0] ?? 0, nc);
        r = { method: 'z', statistic: 2 * normalSf(Math.abs(z)), threshold: num(kw, 'threshold', 0.05), drifted: false, kind: 'p_value' };
      }
    } else r = { method: 'jensenshannon', statistic: jsDistance(ref, c), threshold: num(kw, 'threshold', 0.1), drifted: false, kind: 'distance' };
  }
  r.drifted = r.kind === 'p_value' ? r.statistic < r.threshold : r.statistic >= r.threshold;
  ctx.drift.set(column, r);
  return r;
}

function numericAsCategories(b: ColumnBaseline, cur: Kll): { ref: number[]; cur: number[] } {
  const edges = b.numeric!.edges;
  const ref = [...b.numeric!.hist];
  const c = ref.map((_, i) => Math.max(0, (cur.cdf(edges[i + 1]!) - (i === 0 ? 0 : cur.cdf(edges[i]!))) * cur.n));
  return { ref, cur: c };
}

const drift: Check = (kw, ctx) => {
  const column = String(kw.column);
  const r = driftOf(ctx, column, kw);
  if (!r) return outcome(true, null, null, { note: 'no baseline for this column, or a text column (text drift needs a model)' });
  return outcome(!r.drifted, r.statistic, r.threshold, { method: r.method, statistic_kind: r.kind }, r.method !== 'jensenshannon' && r.method !== 'chisquare' && r.method !== 'z');
};

const driftedShare: Check = (kw, ctx) => {
  const cols = Object.values(ctx.baseline?.stats ?? {}).filter((c) => c.name !== ctx.label && !ID_COLUMN.test(c.name) && (c.kind === 'numeric' || c.kind === 'categorical'));
  const results = cols.map((c) => ({ column: c.name, r: driftOf(ctx, c.name, {}) })).filter((x) => x.r);
  const drifted = results.filter((x) => x.r!.drifted).map((x) => x.column);
  const share = results.length ? drifted.length / results.length : 0;
  const max = num(kw, 'max_share', 0.5);
  return outcome(share < max, share, { max_share: max }, { drifted_columns: drifted, columns: results.length });
};

const outOfRange: Check = (kw, ctx) => {
  const column = String(kw.column);
  const b = base(ctx, column);
  const cur = ctx.current.columns.get(column);
  const max = num(kw, 'max_ratio', 0.001);
  if (!b?.numeric || !cur) return outcome(true, null, { max_ratio: max }, { note: 'no numeric baseline' });
  if (kw.mode === 'minmax') {
    // from the current KLL sketch: approximate (rank error ~1.3%)
    const below = cur.kll.n && cur.kll.min < b.numeric.min ? Math.max(cur.kll.cdf(b.numeric.min - Math.abs(b.numeric.min) * 1e-12), 1 / cur.kll.n) : 0;
    const above = cur.kll.n && cur.kll.max > b.numeric.max ? Math.max(1 - cur.kll.cdf(b.numeric.max), 1 / cur.kll.n) : 0;
    const ratio = below + above;
    return outcome(ratio <= max, ratio, { max_ratio: max }, { mode: 'minmax', range: [b.numeric.min, b.numeric.max] }, true);
  }
  const ratio = cur.n ? cur.rangeOut / cur.n : 0;
  const limit = Math.max(max, 2 * b.numeric.rangeOutShare);
  return outcome(ratio <= limit, ratio, { max_ratio: limit }, { mode: 'robust', range: [b.numeric.lo, b.numeric.hi], out_of_range: cur.rangeOut, baseline_ratio: b.numeric.rangeOutShare, examples: cur.outlierExamples.filter((e) => e.value < b.numeric!.lo || e.value > b.numeric!.hi) });
};

const robustOutliers: Check = (kw, ctx) => {
  const column = String(kw.column);
  const b = base(ctx, column);
  const cur = ctx.current.columns.get(column);
  if (!b?.numeric || !cur || !(b.numeric.mad > 0)) return outcome(true, null, null, { note: 'no numeric baseline with a non-zero MAD' });
  const share = cur.n ? cur.outliers / cur.n : 0;
  const baseShare = b.numeric.outlierShare;
  const limit = typeof kw.max_ratio === 'number' ? kw.max_ratio : Math.max(2 * baseShare, baseShare + 0.001);
  return outcome(share <= limit, share, { max_ratio: limit }, { method: 'modified z > 3.5 from baseline median/MAD', median: b.numeric.median, mad: b.numeric.mad, outliers: cur.outliers, baseline_share: baseShare, examples: cur.outlierExamples });
};

const invisibleChars: Check = (kw, ctx) => {
  const column = String(kw.column);
  const cur = ctx.current.columns.get(column);
  const max = num(kw, 'max_ratio', 0.001);
  const ratio = cur && cur.n ? cur.invisible / cur.n : 0;
  return outcome(ratio <= max, ratio, { max_ratio: max }, { values_with_invisible_or_mixed_script: cur?.invisible ?? 0, examples: cur?.invisibleExamples ?? [] });
};

const associationChange: Check = (kw, ctx) => {
  const column = String(kw.column);
  const b = base(ctx, column);
  const cur = ctx.current.columns.get(column);
  const max = num(kw, 'max_delta', 0.1);
  if (!b?.association || !cur) return outcome(true, null, { max_delta: max }, { note: 'no baseline association' });
  const t = contingencyTable(cur, b.association.bins, b.association.labels);
  const v = cramersV(t.table);
  const delta = v - b.association.cramersV;
  return outcome(Math.abs(delta) <= max, Math.abs(delta), { max_delta: max }, { cramers_v: v, baseline_cramers_v: b.association.cramersV, bins: t.bins.length });
};

export const COLUMN_CHECKS: readonly PoisonCheck[] = [
  poisonCheck({
    type: 'expect_column_drift_score_to_be_at_most',
    kwargs: ['column', 'method', 'threshold'],
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
    kwargs: ['column', 'mode', 'max_ratio'],
    required: ['column'],
    doc: "values fall outside the baseline's range more often than there",
    run: outOfRange,
  }),
  poisonCheck({
    type: 'expect_column_robust_outlier_ratio_to_be_at_most',
    kwargs: ['column', 'max_ratio', 'z'],
    required: ['column'],
    doc: "more robust outliers (modified z from the baseline's median and MAD) than in the baseline",
    run: robustOutliers,
  }),
  poisonCheck({
    type: 'expect_column_invisible_char_ratio_to_be_at_most',
    kwargs: ['column', 'max_ratio'],
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
