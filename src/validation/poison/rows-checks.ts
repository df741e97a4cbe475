/**
 * Row-identity checks, all exact (hash-partitioned counting): conflicting labels on identical
 * features, labels that changed since the baseline, duplicate-row rate, and one row repeated many times.
 */
import { num, outcome, poisonCheck, type Check, type PoisonCheck } from './context.js';

const conflictingLabels: Check = (kw, ctx) => {
  const s = ctx.rowStats();
  const ratio = s.rows ? s.conflictRows / s.rows : 0;
  const max = num(kw, 'max_ratio', 0);
  return outcome(ratio <= max, ratio, { max_ratio: max }, { conflict_rows: s.conflictRows, conflict_groups: s.conflictGroups, rows: s.rows, spilled_to_disk: s.spilled, examples: s.conflictExamples });
};

const labelsConsistent: Check = (kw, ctx) => {
  const h = ctx.current.hasher;
  const max = num(kw, 'max_ratio', 0.001);
  if (!h || !ctx.baseline) return outcome(true, null, { max_ratio: max }, { note: 'no baseline row hashes' });
  const ratio = h.matched ? h.mismatched / h.matched : 0;
  const mod = ctx.baseline.rowHashes.sampleMod;
  return outcome(ratio <= max, ratio, { max_ratio: max }, { matched_rows: h.matched, changed_labels: h.mismatched, sample_one_in: mod, examples: h.mismatchExamples }, mod > 1);
};

const duplicateRatio: Check = (kw, ctx) => {
  const s = ctx.rowStats();
  const ratio = s.rows ? s.duplicateRows / s.rows : 0;
  const abs = num(kw, 'max_ratio', 0.05);
  const base = ctx.baseline?.rowHashes.duplicateRatio;
  const limit = base === undefined ? abs : Math.min(abs, Math.max(base * (1 + num(kw, 'max_relative_increase', 0.1)), base + num(kw, 'min_increase', 0.002)));
  return outcome(ratio <= limit, ratio, { max_ratio: limit }, { duplicate_rows: s.duplicateRows, rows: s.rows, baseline_ratio: base ?? null, spilled_to_disk: s.spilled, examples: s.heavyExamples });
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
    kwargs: ['label', 'max_ratio'],
    required: ['label'],
    doc: 'identical feature rows carry different labels',
    run: conflictingLabels,
  }),
  poisonCheck({
    type: 'expect_table_labels_consistent_with_baseline',
    kwargs: ['label', 'max_ratio'],
    doc: 'rows that are in the baseline now carry another label',
    run: labelsConsistent,
  }),
  poisonCheck({
    type: 'expect_table_duplicate_row_ratio_to_be_at_most',
    kwargs: ['max_ratio', 'max_relative_increase', 'min_increase'],
    doc: 'more rows are exact duplicates than the baseline (or an absolute cap) allows',
    run: duplicateRatio,
  }),
  poisonCheck({
    type: 'expect_table_max_row_multiplicity_to_be_at_most',
    kwargs: ['max_count'],
    doc: 'one row is repeated many times',
    run: maxMultiplicity,
  }),
];
