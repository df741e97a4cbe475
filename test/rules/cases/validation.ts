/** Rule tables for the `validation` pack: GX expectations and mlvet's poisoning checks as facts. */
import { defineRuleTests, fact, type RuleTests } from '../../helpers/rule-tester.js';

const BASE = { column: null, raised: false, exception: null, observed_value: null, unexpected_count: null, unexpected_percent: null, element_count: 100, examples: [], approximate: false };
const check = (type: string, success: boolean, extra: { column?: string } & Record<string, unknown> = {}) =>
  fact('validation.check', { ...BASE, key: `${type}:${extra.column ?? ''}`, type, success, statistic: 0.4, threshold: null, ...extra }, { path: 'train.csv' });

/** [rule, check type, fields, message] for the poisoning checks: valid when the check passed */
const CHECKS: Array<[string, string, Record<string, unknown>, string]> = [
  [
    'validation/association-change',
    'expect_column_feature_label_association_change_to_be_at_most',
    { column: 'age', threshold: { max_delta: 0.1 } },
    "age: Cramér's V with the label changed by 0.4 (limit 0.1)",
  ],
  ['validation/class-imbalance', 'expect_column_class_imbalance_to_be_at_most', { column: 'label', threshold: { min_ratio: 0.5 } }, 'rarest class share × K = 0.4 (minimum 0.5)'],
  [
    'validation/conflicting-labels',
    'expect_table_conflicting_label_ratio_to_be_at_most',
    { threshold: { max_ratio: 0.01 } },
    '0.4 of rows share their features with a row of another label (threshold 0.01)',
  ],
  ['validation/drift', 'expect_column_drift_score_to_be_at_most', { column: 'age', threshold: 0.2, details: { method: 'psi' } }, 'age drifted: psi = 0.4 (threshold 0.2)'],
  ['validation/drifted-columns', 'expect_table_drifted_column_share_to_be_at_most', { threshold: { max_share: 0.25 } }, '0.4 of columns drifted (limit 0.25)'],
  ['validation/duplicate-rows', 'expect_table_duplicate_row_ratio_to_be_at_most', { threshold: { max_ratio: 0.05 } }, 'duplicate-row ratio 0.4 exceeds 0.05'],
  [
    'validation/emergent-token',
    'expect_column_no_emergent_tokens_vs_baseline',
    { column: 'text', threshold: { min_ratio: 20 } },
    'text: token(s) at least 20× more frequent than in the baseline',
  ],
  ['validation/invisible-chars', 'expect_column_invisible_char_ratio_to_be_at_most', { column: 'text' }, '0.4 of text values contain invisible (Cf/Co/Cs) characters or mixed-script words'],
  [
    'validation/label-flips-vs-baseline',
    'expect_table_labels_consistent_with_baseline',
    { threshold: { max_ratio: 0.01 } },
    '0.4 of rows seen in the baseline now carry a different label (threshold 0.01)',
  ],
  [
    'validation/label-shift',
    'expect_column_label_distribution_shift_to_be_at_most',
    { column: 'label', details: { psi: 0.3, js_distance: 0.12 } },
    'label distribution shift: PSI 0.3, JS distance 0.12',
  ],
  [
    'validation/out-of-range',
    'expect_column_out_of_baseline_range_ratio_to_be_at_most',
    { column: 'age', threshold: { max_ratio: 0.01 } },
    '0.4 of age values fall outside the baseline range (limit 0.01)',
  ],
  ['validation/outliers', 'expect_column_robust_outlier_ratio_to_be_at_most', { column: 'age', threshold: { max_ratio: 0.05 } }, '0.4 of age values are robust outliers (limit 0.05)'],
  ['validation/repeated-row', 'expect_table_max_row_multiplicity_to_be_at_most', { statistic: 50, threshold: { max_count: 5 } }, 'a single row appears 50 times (limit 5)'],
  [
    'validation/row-count-change',
    'expect_table_row_count_change_to_be_within',
    { threshold: { max_relative_change: 0.1 } },
    'row count changed by 0.4 relative to the baseline (limit ±0.1)',
  ],
  ['validation/schema-change', 'expect_table_schema_to_match_baseline', { statistic: 2, details: { added: ['x'], removed: ['y'] } }, 'schema changed: 2 change(s) (added x, removed y)'],
  [
    'validation/trigger-token',
    'expect_column_no_trigger_token_label_association',
    { column: 'text', statistic: 9.5 },
    'text: token(s) tied to one label (top z = 9.5), a backdoor trigger signature',
  ],
];

const gx = (success: boolean, raised: boolean, extra: Record<string, unknown> = {}) =>
  fact(
    'validation.expectation',
    { ...BASE, key: 'expect_column_values_to_not_be_null:age', type: 'expect_column_values_to_not_be_null', column: 'age', success, raised, statistic: null, threshold: null, ...extra },
    { path: 'train.csv', row: 7 },
  );

export const validationTests: RuleTests[] = [
  ...CHECKS.map(([ruleId, type, fields, message]) =>
    defineRuleTests(ruleId, {
      valid: [{ name: 'the check passed', facts: [check(type, true, fields)] }],
      invalid: [{ name: 'the check failed', facts: [check(type, false, fields)], findings: [{ message }] }],
    }),
  ),
  defineRuleTests('validation/expectation-failed', {
    valid: [{ name: 'passed', facts: [gx(true, false)] }, { name: 'raised instead of failing', facts: [gx(false, true, { exception: 'KeyError' })] }],
    invalid: [
      {
        name: 'nulls found',
        facts: [gx(false, false, { observed_value: 3, unexpected_count: 3, unexpected_percent: 3 })],
        findings: [{ message: 'expect_column_values_to_not_be_null failed on age: observed 3, 3 unexpected (3%)' }],
      },
    ],
  }),
  defineRuleTests('validation/expectation-error', {
    valid: [{ name: 'failed without raising', facts: [gx(false, false)] }],
    invalid: [
      {
        name: 'column missing',
        facts: [gx(false, true, { exception: "KeyError: 'age'" })],
        findings: [{ message: "expect_column_values_to_not_be_null on age could not be evaluated: KeyError: 'age'" }],
      },
    ],
  }),
];
