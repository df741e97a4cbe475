/**
 * Near-duplicate injection in text (issue 13): many lightly edited copies of a few texts over-weight a
 * pattern without tripping the exact duplicate check. The statistic is the share of a column's rows
 * whose value is a near-duplicate (MinHash-estimated Jaccard ≥ 0.8, sketch/near-dup.ts) of another
 * distinct value in the batch, tested against the baseline's own share by the shared rate test.
 * Natural text has near-duplicates too (templates, sequels' titles); only an increase fails.
 */
import { alphaOf, outcome, poisonCheck, type Check, type PoisonCheck } from './context.js';
import { rateOutcome } from './rate.js';

/**
 * The share grows with the batch (more values, more chances of a partner), so a batch much larger
 * than the baseline reads a little higher than it; the floor keeps that from failing alone.
 */
const MIN_INCREASE = 0.005;

const nearDuplicates: Check = (kw, ctx) => {
  const column = String(kw.column);
  const r = ctx.current.columns.get(column)?.nearDup?.finish();
  const b = ctx.baseline?.stats[column]?.nearDuplicate;
  const approximate = !!(r?.approximate || b?.approximate);
  const details = {
    approximate,
    distinct_judged: r?.distinct ?? 0,
    ...(b ? { baseline_share: b.share } : {}),
    examples: (r?.examples ?? []).map(([a, c]) => ({ value: a, near: c })),
  };
  // a baseline of an earlier mlvet has no near-duplicate share: nothing to compare with unless a bound is given
  if (!b && typeof kw.max_ratio !== 'number') {
    return outcome(true, r?.n ? r.nearDupRows / r.n : null, { alpha: alphaOf(kw, ctx) }, { ...details, note: 'the baseline has no near-duplicate share (made by an earlier mlvet): re-run mlvet profile to compare' }, approximate);
  }
  const res = rateOutcome({ count: r?.nearDupRows ?? 0, n: r?.n ?? 0, ...(b ? { baselineShare: b.share, baselineN: b.n } : {}) }, { min_increase: MIN_INCREASE, ...kw }, ctx, details);
  return approximate ? { ...res, meta: { mlvet: { approximate: true } } } : res;
};

export const NEAR_DUP_CHECKS: readonly PoisonCheck[] = [
  poisonCheck({
    type: 'expect_column_near_duplicate_ratio_to_be_at_most',
    kwargs: ['column', 'max_ratio', 'alpha', 'min_increase'],
    required: ['column'],
    doc: 'more values are near-duplicates (one word or punctuation apart) of other values than in the baseline',
    run: nearDuplicates,
  }),
];
