/**
 * The shared shape of "this happens more often than in the baseline" checks (nulls, out-of-range
 * values, outliers, unseen categories, values of the wrong type, invisible characters, duplicates):
 * an exact one-sided test of the current rate against the baseline's, at the check's share of the
 * run's false-alarm budget, plus a floor on the absolute increase so a huge batch does not fail on
 * a change nobody would act on. An explicit `max_ratio` replaces both with a fixed bound.
 */
import { alphaOf, num, outcome, type Check, type PoisonCtx } from './context.js';
import { rateIncreaseP } from './stats.js';

export interface Rate {
  /** events and trials now */
  count: number;
  n: number;
  /** the baseline's rate and trials (undefined without a baseline: only `max_ratio` can fail) */
  baselineShare?: number;
  baselineN?: number;
}

export function rateOutcome(r: Rate, kw: Record<string, unknown>, ctx: PoisonCtx, details: Record<string, unknown>, defaultMax?: number): ReturnType<Check> {
  const ratio = r.n ? r.count / r.n : 0;
  const fixed = typeof kw.max_ratio === 'number' ? kw.max_ratio : r.baselineShare === undefined ? defaultMax : undefined;
  if (fixed !== undefined) {
    return outcome(ratio <= fixed, ratio, { max_ratio: fixed }, { count: r.count, rows: r.n, ...details });
  }
  const share0 = r.baselineShare ?? 0;
  const n0 = r.baselineN ?? 0;
  const alpha = alphaOf(kw, ctx);
  const minIncrease = num(kw, 'min_increase', 0.001);
  const p = rateIncreaseP(Math.round(share0 * n0), n0, r.count, r.n);
  const success = !(p < alpha && ratio - share0 >= minIncrease);
  return outcome(success, ratio, { alpha, baseline_ratio: share0, min_increase: minIncrease }, { count: r.count, rows: r.n, p_value: p, baseline_rows: n0, ...details });
}
