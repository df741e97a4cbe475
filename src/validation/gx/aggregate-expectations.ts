/**
 * Factories for GX's column aggregate expectations. Observed values follow pandas: `std` is the
 * sample standard deviation (ddof=1), `median` averages the middle pair, quantiles use
 * interpolation "nearest" unless `allow_relative_error` names another numpy method.
 */
import type { Evaluator } from './evaluator.js';
import { AggregateEval, checkBetween, type ColumnStats } from './aggregate.js';
import { BETWEEN_KWARGS, gx, type GxExpectation } from './expectation.js';
import { klEval } from './kl.js';
import type { MapOutcome } from './map.js';
import { cmp, GxError } from './values.js';

type K = Record<string, unknown>;
type Factory = (kw: K) => Evaluator;

function levelOf(kw: K): string {
  const rf = kw.result_format;
  if (typeof rf === 'string') return rf;
  if (rf && typeof rf === 'object') return (typeof (rf as K).result_format === 'string' ? ((rf as K).result_format as string) : 'COMPLETE');
  return 'COMPLETE';
}

function between(metric: (s: ColumnStats) => unknown, counts = false, quantiles = false): Factory {
  return (kw) => {
    const complete = levelOf(kw) === 'COMPLETE';
    return new AggregateEval(String(kw.column), counts, (s) => {
      const v = metric(s);
      const observed = v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : v;
      const result: Record<string, unknown> = { observed_value: observed };
      if (complete) Object.assign(result, { element_count: s.elements, missing_count: s.missing, missing_percent: s.elements ? (s.missing / s.elements) * 100 : null });
      return { success: checkBetween(kw, observed), result };
    }, quantiles);
  };
}

const numericOnly = (s: ColumnStats, what: string): void => {
  if (!s.numeric) throw new GxError(`TypeError: cannot compute the ${what} of a non-numeric column`);
};

function sortedDistinct(s: ColumnStats): unknown[] {
  return [...s.reprs.values()].sort((a, b) => {
    try {
      return cmp(a, b);
    } catch {
      return String(a) < String(b) ? -1 : 1;
    }
  });
}

function valueCounts(s: ColumnStats): Array<{ value: unknown; count: number }> {
  return sortedDistinct(s).map((value) => ({ value, count: s.counts.get(keyOf(s, value)) ?? 0 }));
}

function keyOf(s: ColumnStats, v: unknown): unknown {
  for (const [k, r] of s.reprs) if (r === v) return k;
  return v;
}

function setExpectation(judge: (observed: Set<unknown>, expected: Set<unknown> | null) => boolean, nullSetPasses: boolean): Factory {
  return (kw) =>
    new AggregateEval(String(kw.column), true, (s): MapOutcome => {
      const observed = sortedDistinct(s);
      const vs = kw.value_set as unknown[] | null | undefined;
      const expected = vs === null || vs === undefined ? null : new Set(vs.map((v) => (typeof v === 'boolean' ? Number(v) : v)));
      const obsKeys = new Set(s.counts.keys());
      const success = expected === null ? nullSetPasses : judge(obsKeys, expected);
      return { success, result: { observed_value: observed, details: { value_counts: valueCounts(s) } } };
    });
}

function quantiles(kw: K): Evaluator {
  const qr = kw.quantile_ranges as { quantiles?: number[]; value_ranges?: Array<[unknown, unknown]> } | undefined;
  const qs = qr?.quantiles ?? [];
  const ranges = qr?.value_ranges ?? [];
  if (qs.length !== ranges.length) throw new GxError('ValueError: quantile_values and quantiles must have the same number of elements');
  const are = kw.allow_relative_error;
  const method = typeof are === 'string' ? (are as 'linear') : 'nearest';
  return new AggregateEval(String(kw.column), false, (s) => {
    numericOnly(s, 'quantiles');
    const values = qs.map((q) => (s.n ? s.quantile(q, method) : null));
    const ok = values.map((v, i) => {
      const [lo, hi] = ranges[i]!;
      return checkBetween({ min_value: lo, max_value: hi }, v);
    });
    return { success: ok.every(Boolean), result: { observed_value: { quantiles: qs, values }, details: { success_details: ok } } };
  }, true);
}

function mostCommon(kw: K): Evaluator {
  return new AggregateEval(String(kw.column), true, (s) => {
    let best = 0;
    for (const c of s.counts.values()) best = Math.max(best, c);
    const modes = sortedDistinct(s).filter((v) => s.counts.get(keyOf(s, v)) === best);
    const set = new Set(((kw.value_set as unknown[]) ?? []).map((v) => (typeof v === 'boolean' ? Number(v) : v)));
    const hits = modes.filter((m) => set.has(keyOf(s, m))).length;
    const success = kw.ties_okay === true ? hits > 0 : modes.length === 1 && hits === 1;
    return {
      success,
      result: { observed_value: modes, element_count: s.elements, missing_count: s.missing, missing_percent: s.elements ? (s.missing / s.elements) * 100 : null },
    };
  });
}

/** a `*_to_be_between` aggregate: GX accepts the bounds on each, and requires only the column */
const betweenRecord = (type: string, create: Factory): GxExpectation =>
  gx({ type, kind: 'aggregate', kwargs: BETWEEN_KWARGS, required: ['column'], create });

const setRecord = (type: string, required: string[], create: Factory): GxExpectation =>
  gx({ type, kind: 'aggregate', kwargs: ['column', 'value_set'], required, create });

export const AGGREGATE_EXPECTATIONS: readonly GxExpectation[] = [
  betweenRecord('expect_column_min_to_be_between', between((s) => s.min)),
  betweenRecord('expect_column_max_to_be_between', between((s) => s.max)),
  betweenRecord(
    'expect_column_mean_to_be_between',
    between((s) => {
      numericOnly(s, 'mean');
      return s.n ? s.sum / s.n : null;
    }),
  ),
  betweenRecord(
    'expect_column_median_to_be_between',
    between((s) => {
      numericOnly(s, 'median');
      return s.n ? s.quantile(0.5, 'linear') : null;
    }, false, true),
  ),
  betweenRecord(
    'expect_column_stdev_to_be_between',
    between((s) => {
      numericOnly(s, 'standard deviation');
      return s.n > 1 ? Math.sqrt(s.m2 / (s.n - 1)) : null;
    }),
  ),
  betweenRecord(
    'expect_column_sum_to_be_between',
    between((s) => {
      numericOnly(s, 'sum');
      return s.sum;
    }),
  ),
  betweenRecord('expect_column_unique_value_count_to_be_between', between((s) => s.counts.size, true)),
  betweenRecord(
    'expect_column_proportion_of_unique_values_to_be_between',
    between((s) => (s.n ? s.counts.size / s.n : null), true),
  ),
  gx({
    type: 'expect_column_quantile_values_to_be_between',
    kind: 'aggregate',
    kwargs: ['column', 'quantile_ranges', 'allow_relative_error'],
    required: ['column', 'quantile_ranges'],
    create: quantiles,
  }),
  gx({
    type: 'expect_column_most_common_value_to_be_in_set',
    kind: 'aggregate',
    kwargs: ['column', 'value_set', 'ties_okay'],
    required: ['column', 'value_set'],
    create: mostCommon,
  }),
  setRecord('expect_column_distinct_values_to_be_in_set', ['column'], setExpectation((o, e) => [...o].every((v) => e!.has(v)), true)),
  setRecord('expect_column_distinct_values_to_contain_set', ['column', 'value_set'], setExpectation((o, e) => [...e!].every((v) => o.has(v)), true)),
  setRecord(
    'expect_column_distinct_values_to_equal_set',
    ['column', 'value_set'],
    setExpectation((o, e) => o.size === e!.size && [...o].every((v) => e!.has(v)), true),
  ),
  gx({
    type: 'expect_column_kl_divergence_to_be_less_than',
    kind: 'aggregate',
    kwargs: ['column', 'partition_object', 'threshold', 'internal_weight_holdout', 'tail_weight_holdout', 'bucketize_data', 'min_value', 'max_value'],
    required: ['column'],
    create: klEval,
  }),
];
