/**
 * Row-identity checks, all exact (hash-partitioned counting): conflicting labels on identical
 * features, labels that changed since the baseline, duplicate-row rate, and one row repeated many times.
 */
import { alphaOf, num, outcome, poisonCheck, type Check, type PoisonCheck } from './context.js';
import { rateOutcome } from './rate.js';

const conflictingLabels: Check = (kw, ctx) => {
  const s = ctx.rowStats();
  const b = ctx.baseline;
  return rateOutcome({ count: s.conflictRows, n: s.rows, ...(b ? { baselineShare: b.rowHashes.conflictRatio, baselineN: b.rows } : {}) }, kw, ctx, {
    conflict_groups: s.conflictGroups,
    spilled_to_disk: s.spilled,
    examples: s.conflictExamples.slice(0, 5),
  }, 0.001);
};

const labelsConsistent: Check = (kw, ctx) => {
  const h = ctx.current.hasher;
  const b = ctx.baseline;
  if (!h || !b) return outcome(true, null, { alpha: alphaOf(kw, ctx) }, { note: 'no baseline row hashes' });
  // a baseline with conflicting labels already gives a matched row another label that often
  const r = rateOutcome({ count: h.mismatched, n: h.matched, baselineShare: b.rowHashes.conflictRatio, baselineN: b.rows }, kw, ctx, {
    matched_rows: h.matched,
    changed_labels: h.mismatched,
    sample_one_in: b.rowHashes.sampleMod,
    examples: h.mismatchExamples.slice(0, 5),
  });
  return b.rowHashes.sampleMod > 1 ? { ...r, meta: { mlvet: { approximate: true } } } : r;
};

const duplicateRatio: Check = (kw, ctx) => {
  const s = ctx.rowStats();
  const b = ctx.baseline;
  return rateOutcome({ count: s.duplicateRows, n: s.rows, ...(b ? { baselineShare: b.rowHashes.duplicateRatio, baselineN: b.rows } : {}) }, kw, ctx, {
    spilled_to_disk: s.spilled,
    examples: s.heavyExamples.slice(0, 5),
  }, 0.05);
};

/** identifier columns are checked for duplicates instead of drift */
const idDuplicates: Check = (kw, ctx) => {
  const column = String(kw.column);
  const t = ctx.current.idTracker;
  const b = ctx.baseline?.stats[column];
  if (!t) return outcome(true, null, { alpha: alphaOf(kw, ctx) }, { note: 'no identifier columns' });
  const s = t.stats(column);
  return rateOutcome({ count: s.duplicate_rows, n: s.rows, ...(b ? { baselineShare: b.idDuplicateShare ?? 0, baselineN: b.count - b.missing } : {}) }, kw, ctx, {
    duplicate_values: s.duplicate_values,
    examples: s.examples,
  }, 0);
};

const maxMultiplicity: Check = (kw, ctx) => {
  const s = ctx.rowStats();
  const limit = num(kw, 'max_count', Math.max(10, Math.ceil(1e-4 * s.rows)));
  const base = ctx.baseline?.rowHashes.maxMultiplicity ?? 0;
  const success = s.maxMultiplicity <= Math.max(limit, base);
  return outcome(success, s.maxMultiplicity, { max_count: Math.max(limit, base) }, { baseline_max: base, examples: s.heavyExamples });
};

export const ROW_CHECKS: readonly PoisonCheck[] = [
  poisonCheck({
    type: 'expect_table_conflicting_label_ratio_to_be_at_most',
    kwargs: ['label', 'max_ratio', 'alpha', 'min_increase'],
    required: ['label'],
    doc: 'identical feature rows carry different labels',
    run: conflictingLabels,
  }),
  poisonCheck({
    type: 'expect_table_labels_consistent_with_baseline',
    kwargs: ['label', 'max_ratio', 'alpha', 'min_increase'],
    doc: 'rows that are in the baseline now carry another label',
    run: labelsConsistent,
  }),
  poisonCheck({
    type: 'expect_table_duplicate_row_ratio_to_be_at_most',
    kwargs: ['max_ratio', 'max_relative_increase', 'min_increase', 'alpha'],
    doc: 'more rows are exact duplicates than the baseline (or an absolute cap) allows',
    run: duplicateRatio,
  }),
  poisonCheck({
    type: 'expect_column_id_duplicate_ratio_to_be_at_most',
    kwargs: ['column', 'max_ratio', 'alpha', 'min_increase'],
    required: ['column'],
    doc: 'an identifier column holds duplicate values (a copied row kept its id, or ids were reused)',
    run: idDuplicates,
  }),
  poisonCheck({
    type: 'expect_table_max_row_multiplicity_to_be_at_most',
    kwargs: ['max_count'],
    doc: 'one row is repeated many times',
    run: maxMultiplicity,
  }),
];
