/**
 * Label checks: distribution shift against the baseline (chi-square homogeneity at the run's
 * Bonferroni share, with PSI and JS distance as evidence), class imbalance (rarest share below a
 * tenth of 1/K, as cleanlab flags it; against a baseline only when it got significantly worse), and
 * the label rate within each level of a bounded column.
 */
import { roundForPeople } from '../evidence.js';
import { contingencyTable } from '../profile/collect.js';
import { fisherP, homogeneity, jsDistance, psi } from './stats.js';
import { alphaOf, num, outcome, poisonCheck, type Check, type PoisonCheck } from './context.js';

function currentCounts(ctx: Parameters<Check>[1]): Map<string, number> {
  return ctx.current.labelCounts;
}

const labelShift: Check = (kw, ctx) => {
  const base = ctx.baseline?.label?.counts;
  const alpha = alphaOf(kw, ctx);
  const minJs = num(kw, 'min_js', 0.01);
  if (!base) return outcome(true, null, { alpha }, { note: 'no baseline label distribution' });
  const cur = currentCounts(ctx);
  const labels = [...new Set([...Object.keys(base), ...cur.keys()])].sort();
  const b = labels.map((l) => base[l] ?? 0);
  const c = labels.map((l) => cur.get(l) ?? 0);
  const nb = b.reduce((x, y) => x + y, 0);
  const nc = c.reduce((x, y) => x + y, 0);
  const h = homogeneity(b, c, 1);
  const js = jsDistance(b, c);
  const classes = labels.map((l, i) => ({ label: l, baseline_share: b[i]! / (nb || 1), share: c[i]! / (nc || 1), delta: c[i]! / (nc || 1) - b[i]! / (nb || 1) }));
  const moved = [...classes].sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta))[0];
  const success = !(h.p < alpha && js >= minJs);
  return outcome(success, h.p, { alpha, min_js: minJs }, { p_value: h.p, psi: psi(b, c), js_distance: js, most_moved: moved?.label ?? null, most_moved_delta: moved?.delta ?? 0, classes: classes.slice(0, 20) });
};

const classImbalance: Check = (kw, ctx) => {
  const cur = currentCounts(ctx);
  const base = ctx.baseline?.label?.counts;
  const labels = [...new Set([...Object.keys(base ?? {}), ...cur.keys()])].filter((l) => l !== '');
  const n = labels.reduce((a, l) => a + (cur.get(l) ?? 0), 0);
  const minRatio = num(kw, 'min_ratio', 0.1);
  if (labels.length < 2 || n === 0) return outcome(true, null, { min_ratio: minRatio }, { classes: labels.length });
  const shares = labels.map((l) => ({ label: l, share: (cur.get(l) ?? 0) / n })).sort((a, b) => a.share - b.share);
  const rarest = shares[0]!;
  const statistic = rarest.share * labels.length;
  if (!base) return outcome(statistic >= minRatio, statistic, { min_ratio: minRatio }, { rarest: rarest.label, rarest_share: rarest.share, classes: labels.length, shares: shares.slice(0, 20) });
  // against a baseline, imbalance the baseline already has is not news: only a significant fall of the rarest class is
  const nb = labels.reduce((a, l) => a + (base[l] ?? 0), 0);
  const baseShare = nb ? (base[rarest.label] ?? 0) / nb : 0;
  const p = fisherP(base[rarest.label] ?? 0, nb, cur.get(rarest.label) ?? 0, n);
  const alpha = alphaOf(kw, ctx);
  const success = !(statistic < minRatio && rarest.share < baseShare && p < alpha);
  return outcome(success, statistic, { min_ratio: minRatio, alpha }, { rarest: rarest.label, rarest_share: rarest.share, baseline_share: baseShare, p_value: p, classes: labels.length, shares: shares.slice(0, 20) });
};

/** a numeric baseline bin by its range, a category by its value */
function levelName(bin: string, edges: number[] | undefined): string {
  if (!edges) return bin;
  const i = Number(bin);
  const e = (k: number): string => roundForPeople(edges[k]!);
  if (i < 0) return `< ${e(0)}`;
  if (i >= edges.length - 1) return `> ${e(edges.length - 1)}`;
  return `[${e(i)}, ${e(i + 1)}${i === edges.length - 2 ? ']' : ')'}`;
}

/**
 * P(label | level) for every level of a bounded column (category or baseline bin) against the
 * baseline's: targeted flips in one category move one conditional rate a lot and the column's
 * overall association hardly at all. Two-proportion tests, Bonferroni over levels × labels.
 */
const labelRateByLevel: Check = (kw, ctx) => {
  const column = String(kw.column);
  const b = ctx.baseline?.stats[column];
  const cur = ctx.current.columns.get(column);
  const alpha = alphaOf(kw, ctx);
  const minDelta = num(kw, 'min_delta', 0.05);
  const minRows = num(kw, 'min_rows', 30);
  if (!b?.association || b.id || !cur) return outcome(true, null, { alpha, min_delta: minDelta }, { note: 'no baseline label table for this column' });
  const { bins, labels, table } = b.association;
  const now = contingencyTable(cur, bins, labels).table;
  const tests: Array<{ level: string; label: string; baseline_rate: number; rate: number; rows: number; p_value: number }> = [];
  const pairs = labels.length === 2 ? labels.slice(1) : labels;
  for (let i = 0; i < bins.length; i++) {
    const r0 = table[i] ?? [];
    const r1 = now[i] ?? [];
    const n0 = r0.reduce((x, y) => x + y, 0);
    const n1 = r1.reduce((x, y) => x + y, 0);
    if (n0 < minRows || n1 < minRows) continue;
    for (const l of pairs) {
      const j = labels.indexOf(l);
      tests.push({ level: levelName(bins[i]!, b.numeric?.edges), label: l, baseline_rate: (r0[j] ?? 0) / n0, rate: (r1[j] ?? 0) / n1, rows: n1, p_value: fisherP(r0[j] ?? 0, n0, r1[j] ?? 0, n1) });
    }
  }
  const each = alpha / Math.max(1, tests.length);
  const flagged = tests.filter((t) => t.p_value < each && Math.abs(t.rate - t.baseline_rate) >= minDelta).sort((x, y) => x.p_value - y.p_value);
  const worst = flagged[0] ?? [...tests].sort((x, y) => x.p_value - y.p_value)[0];
  return outcome(flagged.length === 0, worst?.p_value ?? 1, { alpha: each, min_delta: minDelta }, {
    tests: tests.length,
    level: worst?.level ?? null,
    label: worst?.label ?? null,
    rate: worst?.rate ?? null,
    baseline_rate: worst?.baseline_rate ?? null,
    flagged: flagged.slice(0, 10),
  });
};

export const LABEL_CHECKS: readonly PoisonCheck[] = [
  poisonCheck({
    type: 'expect_column_label_distribution_shift_to_be_at_most',
    kwargs: ['column', 'psi_max', 'js_max', 'min_delta', 'min_z', 'alpha', 'min_js'],
    required: ['column'],
    doc: "the label distribution moved away from the baseline's",
    run: labelShift,
  }),
  poisonCheck({
    type: 'expect_column_class_imbalance_to_be_at_most',
    kwargs: ['column', 'min_ratio', 'alpha'],
    required: ['column'],
    doc: 'the rarest class is far below its fair share',
    run: classImbalance,
  }),
  poisonCheck({
    type: 'expect_column_label_rate_by_level_to_match_baseline',
    kwargs: ['column', 'label', 'alpha', 'min_delta', 'min_rows'],
    required: ['column'],
    doc: 'the label rate within one category or value range moved from the baseline (targeted label flips)',
    run: labelRateByLevel,
  }),
];
