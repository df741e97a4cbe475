/**
 * The poisoning suite mlvet derives when none is given (poison/auto.ts) names checks by type. These
 * tables pin which checks it derives, in order, that each is a registered record (so a misspelt
 * type fails here, not in a user's run), and that every registered check is derived in some situation.
 */
import { describe, expect, it } from 'vitest';
import type { Baseline } from '../../src/validation/profile/baseline.js';
import { autoSuite, type AutoInput } from '../../src/validation/poison/auto.js';
import { POISON_CHECK_LIST, POISON_CHECKS } from '../../src/validation/poison/checks.js';

/** autoSuite reads only the columns' names, kinds and whether a feature–label association was kept */
const baseline = {
  ids: ['id'],
  stats: {
    id: { name: 'id', kind: 'numeric' },
    amount: { name: 'amount', kind: 'numeric', association: { cramersV: 0.1 } },
    city: { name: 'city', kind: 'categorical' },
    review: { name: 'review', kind: 'text' },
    y: { name: 'y', kind: 'categorical' },
  },
} as unknown as Baseline;

const typesAt = (o: AutoInput): string[] =>
  autoSuite(o).expectations.map((e) => `${e.type}${typeof e.kwargs.column === 'string' ? `@${e.kwargs.column}` : ''}`);

const CASES: Array<[string, AutoInput, string[]]> = [
  [
    'no baseline, no label: row checks and invisible characters',
    { kinds: { amount: 'numeric', city: 'categorical', review: 'text' } },
    [
      'expect_table_duplicate_row_ratio_to_be_at_most',
      'expect_table_max_row_multiplicity_to_be_at_most',
      'expect_column_invisible_char_ratio_to_be_at_most@city',
      'expect_column_invisible_char_ratio_to_be_at_most@review',
    ],
  ],
  [
    'a baseline and a label: everything; the identifier gets only its duplicate check, the label none as a feature',
    { baseline, label: 'y' },
    [
      'expect_table_schema_to_match_baseline',
      'expect_table_row_count_change_to_be_within',
      'expect_table_duplicate_row_ratio_to_be_at_most',
      'expect_table_max_row_multiplicity_to_be_at_most',
      'expect_table_conflicting_label_ratio_to_be_at_most',
      'expect_table_labels_consistent_with_baseline',
      'expect_column_label_distribution_shift_to_be_at_most@y',
      'expect_column_class_imbalance_to_be_at_most@y',
      'expect_column_id_duplicate_ratio_to_be_at_most@id',
      'expect_column_null_rate_increase_to_be_at_most@amount',
      'expect_column_drift_score_to_be_at_most@amount',
      'expect_column_out_of_baseline_range_ratio_to_be_at_most@amount',
      'expect_column_robust_outlier_ratio_to_be_at_most@amount',
      'expect_column_type_mismatch_ratio_to_be_at_most@amount',
      'expect_column_feature_label_association_change_to_be_at_most@amount',
      'expect_column_label_rate_by_level_to_match_baseline@amount',
      'expect_column_null_rate_increase_to_be_at_most@city',
      'expect_column_drift_score_to_be_at_most@city',
      'expect_column_unseen_value_ratio_to_be_at_most@city',
      'expect_column_invisible_char_ratio_to_be_at_most@city',
      'expect_column_null_rate_increase_to_be_at_most@review',
      'expect_column_invisible_char_ratio_to_be_at_most@review',
      'expect_column_no_emergent_tokens_vs_baseline@review',
      'expect_column_near_duplicate_ratio_to_be_at_most@review',
      'expect_column_no_trigger_token_label_association@review',
      'expect_table_drifted_column_share_to_be_at_most',
    ],
  ],
];

describe('derived poisoning suite', () => {
  it.each(CASES)('%s', (_name, input, expected) => {
    expect(typesAt(input)).toEqual(expected);
  });

  it('derives only registered checks, and every registered check in some situation', () => {
    const derived = new Set(CASES.flatMap(([, input]) => autoSuite(input).expectations.map((e) => e.type)));
    expect([...derived].filter((t) => !POISON_CHECKS[t])).toEqual([]);
    expect(POISON_CHECK_LIST.map((c) => c.type).filter((t) => !derived.has(t))).toEqual([]);
  });
});
