/**
 * Label checks: distribution shift against the baseline (PSI, JS distance, per-class two-proportion
 * z) and class imbalance (rarest share below a tenth of 1/K, as cleanlab flags it).
 */
import { jsDistance, psi, twoPropZ } from './stats.js';
import { num, outcome, poisonCheck, type Check, type PoisonCheck } from './context.js';

function currentCounts(ctx: Parameters<Check>[1]): Map<string, number> {
  return ctx.current.labelCounts;
}

const labelShift: Check = (kw, ctx) => {
  const base = ctx.baseline?.label?.counts;
  const psiMax = num(kw, 'psi_max', 0.25);
  const jsMax = num(kw, 'js_max', 0.1);
  const minDelta = num(kw, 'min_delta', 0.005);
  const minZ = num(kw, 'min_z', 4);
  if (!base) return outcome(true, null, { psi_max: psiMax }, { note: 'no baseline label distribution' });
  const cur = currentCounts(ctx);
  const labels = [...new Set([...Object.keys(base), ...cur.keys()])].sort();
  const b = labels.map((l) => base[l] ?? 0);
  const c = labels.map((l) => cur.get(l) ?? 0);
  const nb = b.reduce((x, y) => x + y, 0);
  const nc = c.reduce((x, y) => x + y, 0);
  const p = psi(b, c);
  const js = jsDistance(b, c);
  const classes = labels.map((l, i) => {
    const z = twoPropZ(b[i]!, nb, c[i]!, nc);
    const delta = c[i]! / (nc || 1) - b[i]! / (nb || 1);
    return { label: l, baseline_share: b[i]! / (nb || 1), share: c[i]! / (nc || 1), delta, z };
  });
  const flagged = classes.filter((k) => Math.abs(k.delta) >= minDelta && Math.abs(k.z) >= minZ);
  const success = p < psiMax && js < jsMax && flagged.length === 0;
  return outcome(success, p, { psi_max: psiMax, js_max: jsMax, min_delta: minDelta, min_z: minZ }, { psi: p, js_distance: js, flagged_classes: flagged, classes: classes.slice(0, 20) });
};

const classImbalance: Check = (kw, ctx) => {
  const cur = currentCounts(ctx);
  const base = ctx.baseline?.label?.counts ?? {};
  const labels = [...new Set([...Object.keys(base), ...cur.keys()])].filter((l) => l !== '');
  const n = labels.reduce((a, l) => a + (cur.get(l) ?? 0), 0);
  const minRatio = num(kw, 'min_ratio', 0.1);
  if (labels.length < 2 || n === 0) return outcome(true, null, { min_ratio: minRatio }, { classes: labels.length });
  const shares = labels.map((l) => ({ label: l, share: (cur.get(l) ?? 0) / n })).sort((a, b) => a.share - b.share);
  const rarest = shares[0]!;
  const statistic = rarest.share * labels.length;
  return outcome(statistic >= minRatio, statistic, { min_ratio: minRatio }, { rarest: rarest.label, rarest_share: rarest.share, classes: labels.length, shares: shares.slice(0, 20) });
};

export const LABEL_CHECKS: readonly PoisonCheck[] = [
  poisonCheck({
    type: 'expect_column_label_distribution_shift_to_be_at_most',
    kwargs: ['column', 'psi_max', 'js_max', 'min_delta', 'min_z'],
    required: ['column'],
    doc: "the label distribution moved away from the baseline's",
    run: labelShift,
  }),
  poisonCheck({
    type: 'expect_column_class_imbalance_to_be_at_most',
    kwargs: ['column', 'min_ratio'],
    required: ['column'],
    doc: 'the rarest class is far below its fair share',
    run: classImbalance,
  }),
];
