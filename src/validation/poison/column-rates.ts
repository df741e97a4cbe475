/**
 * Per-column rate checks against the baseline, each an exact rate test (rate.ts): null-rate
 * increase, unseen categories in a column of bounded cardinality (against the Good–Turing chance of
 * a new value that the baseline itself implies), and type drift (values that no longer parse as the
 * baseline's type, e.g. strings in a numeric column).
 */
import { alphaOf, outcome, poisonCheck, type Check, type PoisonCheck } from './context.js';
import { rateOutcome } from './rate.js';

const nullRate: Check = (kw, ctx) => {
  const column = String(kw.column);
  const b = ctx.baseline?.stats[column];
  const cur = ctx.current.columns.get(column);
  if (!b || !cur) return outcome(true, null, { alpha: alphaOf(kw, ctx) }, { note: 'no baseline for this column' });
  return rateOutcome({ count: cur.missing, n: cur.missing + cur.n, baselineShare: b.count ? b.missing / b.count : 0, baselineN: b.count }, kw, ctx, { examples: cur.nullExamples.slice(0, 5) });
};

const unseenCategories: Check = (kw, ctx) => {
  const column = String(kw.column);
  const b = ctx.baseline?.stats[column];
  const cur = ctx.current.columns.get(column);
  if (!b?.top?.exact || b.unseenShare === undefined || !cur) return outcome(true, null, { alpha: alphaOf(kw, ctx) }, { note: 'no complete baseline value set for this column' });
  const unseen = new Map<string, number>();
  const known = new Set(b.top.values.map(([v]) => v));
  for (const [v, c] of cur.top.top()) if (!known.has(v)) unseen.set(v, c);
  return rateOutcome({ count: cur.unseen, n: cur.n, baselineShare: b.unseenShare, baselineN: b.count - b.missing }, kw, ctx, {
    baseline_values: b.top.values.length,
    unseen_values: [...unseen.keys()].slice(0, 10),
    examples: cur.unseenExamples.slice(0, 5),
  });
};

const typeDrift: Check = (kw, ctx) => {
  const column = String(kw.column);
  const b = ctx.baseline?.stats[column];
  const cur = ctx.current.columns.get(column);
  if (!b || b.kind !== 'numeric' || !cur) return outcome(true, null, { alpha: alphaOf(kw, ctx) }, { note: 'type drift is measured on numeric baseline columns' });
  return rateOutcome({ count: cur.typeMiss, n: cur.n, baselineShare: b.typeMissShare ?? 0, baselineN: b.count - b.missing }, kw, ctx, {
    baseline_dtype: b.dtype,
    examples: cur.typeMissExamples.slice(0, 5),
  });
};

export const COLUMN_RATE_CHECKS: readonly PoisonCheck[] = [
  poisonCheck({
    type: 'expect_column_null_rate_increase_to_be_at_most',
    kwargs: ['column', 'max_ratio', 'alpha', 'min_increase'],
    required: ['column'],
    doc: 'more values are missing than in the baseline',
    run: nullRate,
  }),
  poisonCheck({
    type: 'expect_column_unseen_value_ratio_to_be_at_most',
    kwargs: ['column', 'max_ratio', 'alpha', 'min_increase'],
    required: ['column'],
    doc: 'values the baseline never had appear in a column of few levels',
    run: unseenCategories,
  }),
  poisonCheck({
    type: 'expect_column_type_mismatch_ratio_to_be_at_most',
    kwargs: ['column', 'max_ratio', 'alpha', 'min_increase'],
    required: ['column'],
    doc: "values no longer parse as the baseline's type",
    run: typeDrift,
  }),
];
