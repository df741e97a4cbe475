/**
 * Rule tables for the `validation` pack: GX expectations and mlvet's poisoning checks as facts, in
 * the shape `resultFacts` gives them (exact numbers, plus `shown`, the same rounded by the real
 * `shownOf`). test/validation/poisoning.test.ts renders every rule from real runs as well.
 */
import { shownOf } from '../../../src/validation/evidence.js';
import { defineRuleTests, fact, type RuleTests } from '../../helpers/rule-tester.js';

const BASE = { column: null, raised: false, exception: null, severity: null, observed_value: null, unexpected_count: null, unexpected_percent: null, element_count: 100, examples: [], approximate: false };
type Fields = { column?: string; statistic?: number; threshold?: unknown; details?: Record<string, unknown>; examples?: unknown[] };
const check = (type: string, success: boolean, f: Fields) => {
  const data: Record<string, unknown> = { ...BASE, key: `${type}:${f.column ?? ''}`, type, success, statistic: 0.4, threshold: {}, details: {}, ...f };
  data.shown = shownOf(data, f.details ?? {});
  return fact('validation.check', data, { path: 'train.csv' });
};
const RATE = { threshold: { alpha: 0.0002, baseline_ratio: 0, min_increase: 0.001 }, statistic: 0.05 };
const P = { p_value: 1e-12 };

/** [rule, check type, fields, message] for the poisoning checks: valid when the check passed */
const CHECKS: Array<[string, string, Fields, string]> = [
  [
    'validation/association-change',
    'expect_column_feature_label_association_change_to_be_at_most',
    { column: 'age', statistic: 0.15, threshold: { max_delta: 0.1 }, details: { cramers_v: 0.25, baseline_cramers_v: 0.1 } },
    "age: Cramér's V with the label changed by 0.15 (0.1 → 0.25; limit 0.1)",
  ],
  ['validation/class-imbalance', 'expect_column_class_imbalance_to_be_at_most', { column: 'label', statistic: 0.05, threshold: { min_ratio: 0.1 }, details: { rarest: 'neg', rarest_share: 0.025 } }, 'rarest class neg holds 0.025 of rows, 0.05 of a fair share (minimum 0.1)'],
  ['validation/conflicting-labels', 'expect_table_conflicting_label_ratio_to_be_at_most', { ...RATE, details: P }, '5% of rows share their features with a row of another label (baseline 0%, p = 1e-12 < α 0.0002)'],
  [
    'validation/drift',
    'expect_column_drift_score_to_be_at_most',
    { column: 'age', statistic: 1e-12, threshold: { alpha: 0.0002, min_js: 0.03 }, details: { method: 'mann_whitney', p_value: 1e-12, js_distance: 0.1234567 } },
    'age drifted: mann_whitney p = 1e-12 < α 0.0002, JS distance 0.1235',
  ],
  ['validation/drifted-columns', 'expect_table_drifted_column_share_to_be_at_most', { statistic: 0.6, threshold: { max_share: 0.5 }, details: { drifted: 3, columns: 5, drifted_columns: ['age', 'income', 'score'] } }, '3 of 5 feature columns drifted: age, income, score (limit share 0.5)'],
  ['validation/duplicate-rows', 'expect_table_duplicate_row_ratio_to_be_at_most', { statistic: 0.08, threshold: { max_ratio: 0.05 } }, '8% of rows are exact duplicates (limit 5%)'],
  ['validation/emergent-token', 'expect_column_no_emergent_tokens_vs_baseline', { column: 'text', threshold: { min_ratio: 20 }, examples: [{ token: 'zqxj', docs: 200 }] }, 'text: token(s) at least 20× more frequent than in the baseline: token zqxj, docs 200'],
  ['validation/id-duplicates', 'expect_column_id_duplicate_ratio_to_be_at_most', { column: 'review_id', ...RATE, statistic: 0.01, details: { ...P, duplicate_values: 40 } }, 'identifier review_id: 40 value(s) repeat, 1% of rows (baseline 0%, p = 1e-12 < α 0.0002)'],
  ['validation/invisible-chars', 'expect_column_invisible_char_ratio_to_be_at_most', { column: 'text', statistic: 0.01, threshold: { max_ratio: 0.001 } }, '1% of text values contain invisible (Cf/Co/Cs) characters or mixed-script words (limit 0.1%)'],
  ['validation/near-duplicates', 'expect_column_near_duplicate_ratio_to_be_at_most', { column: 'review', ...RATE, statistic: 0.025, details: { ...P, baseline_share: 0 } }, '2.5% of review values are near-duplicates (a word or punctuation apart) of another value in the batch (baseline 0%, p = 1e-12 < α 0.0002)'],
  ['validation/label-flips-vs-baseline', 'expect_table_labels_consistent_with_baseline', { ...RATE, details: { ...P, changed_labels: 20, matched_rows: 1000 } }, '20 of 1000 rows seen in the baseline now carry another label (baseline 0%, p = 1e-12 < α 0.0002)'],
  [
    'validation/label-rate-by-level',
    'expect_column_label_rate_by_level_to_match_baseline',
    { column: 'region', statistic: 1e-9, threshold: { alpha: 0.00002, min_delta: 0.05 }, details: { level: 'r7', label: 'pos', rate: 1, baseline_rate: 0.5, tests: 8 } },
    'region r7: share of label pos moved from 0.5 to 1 (p = 1e-9 < α 2e-5, 8 levels tested)',
  ],
  [
    'validation/label-shift',
    'expect_column_label_distribution_shift_to_be_at_most',
    { column: 'label', statistic: 1e-9, threshold: { alpha: 0.0002, min_js: 0.01 }, details: { p_value: 1e-9, psi: 0.3, js_distance: 0.12, most_moved: 'pos', most_moved_delta: 0.03 } },
    'label distribution shifted: chi-square p = 1e-9 < α 0.0002; pos moved by 0.03 (PSI 0.3, JS distance 0.12)',
  ],
  ['validation/null-rate-increase', 'expect_column_null_rate_increase_to_be_at_most', { column: 'age', ...RATE, details: P }, '5% of age values are missing (baseline 0%, p = 1e-12 < α 0.0002)'],
  ['validation/out-of-range', 'expect_column_out_of_baseline_range_ratio_to_be_at_most', { column: 'age', ...RATE, statistic: 0.005, details: { ...P, range: [1, 99] } }, '0.5% of age values fall outside the baseline range 1, 99 (baseline 0%, p = 1e-12 < α 0.0002)'],
  ['validation/outliers', 'expect_column_robust_outlier_ratio_to_be_at_most', { column: 'age', ...RATE, details: { ...P, median: 40 } }, '5% of age values are robust outliers from the baseline median 40 (baseline 0%, p = 1e-12 < α 0.0002)'],
  ['validation/repeated-row', 'expect_table_max_row_multiplicity_to_be_at_most', { statistic: 50, threshold: { max_count: 5 } }, 'a single row appears 50 times (limit 5)'],
  [
    'validation/row-count-change',
    'expect_table_row_count_change_to_be_within',
    { statistic: 0.25, threshold: { max_relative_change: 0.1 }, details: { rows: 25000, baseline_rows: 20000 } },
    'row count changed by 25% (20000 → 25000 rows; bounds max_relative_change 0.1)',
  ],
  ['validation/schema-change', 'expect_table_schema_to_match_baseline', { statistic: 2, details: { summary: 'added x; removed y; retyped none' } }, 'schema changed: added x; removed y; retyped none'],
  ['validation/trigger-token', 'expect_column_no_trigger_token_label_association', { column: 'text', statistic: 9.5, examples: [{ token: 'cf', label: 'pos' }] }, 'text: token(s) tied to one label (top z = 9.5): token cf, label pos'],
  ['validation/type-mismatch', 'expect_column_type_mismatch_ratio_to_be_at_most', { column: 'income', ...RATE, statistic: 0.02, details: { ...P, baseline_dtype: 'int64' } }, '2% of income values no longer parse as int64 (baseline 0%, p = 1e-12 < α 0.0002)'],
  ['validation/unseen-values', 'expect_column_unseen_value_ratio_to_be_at_most', { column: 'region', ...RATE, statistic: 0.01, details: { ...P, baseline_values: 8, unseen_values: ['zz'] } }, "1% of region values were never among the baseline's 8 levels: zz (baseline 0%, p = 1e-12 < α 0.0002)"],
];

const gx = (success: boolean, raised: boolean, extra: Record<string, unknown> = {}) => {
  const data: Record<string, unknown> = { ...BASE, key: 'expect_column_values_to_not_be_null:age', type: 'expect_column_values_to_not_be_null', column: 'age', success, raised, statistic: null, threshold: { mostly: 0.95 }, details: {}, ...extra };
  data.shown = shownOf(data, {});
  return fact('validation.expectation', data, { path: 'train.csv', row: 7 });
};
const NULLS = { unexpected_count: 3, unexpected_percent: 3 };
const NULLS_MSG = 'expect_column_values_to_not_be_null failed on age: observed 3 of 100 values unexpected (3%); expected mostly 0.95';

const severityTable = (gxSeverity: string) =>
  defineRuleTests(`validation/expectation-failed-${gxSeverity}`, {
    valid: [{ name: 'passed', facts: [gx(true, false, { severity: gxSeverity })] }, { name: 'no severity', facts: [gx(false, false, NULLS)] }],
    invalid: [{ name: 'failed', facts: [gx(false, false, { ...NULLS, severity: gxSeverity })], findings: [{ message: NULLS_MSG }] }],
  });

export const validationTests: RuleTests[] = [
  ...CHECKS.map(([ruleId, type, fields, message]) =>
    defineRuleTests(ruleId, {
      valid: [{ name: 'the check passed', facts: [check(type, true, fields)] }],
      invalid: [{ name: 'the check failed', facts: [check(type, false, fields)], findings: [{ message }] }],
    }),
  ),
  defineRuleTests('validation/expectation-failed', {
    valid: [{ name: 'passed', facts: [gx(true, false)] }, { name: 'raised instead of failing', facts: [gx(false, true, { exception: 'KeyError' })] }, { name: 'has a GX severity', facts: [gx(false, false, { severity: 'info' })] }],
    invalid: [{ name: 'nulls found', facts: [gx(false, false, NULLS)], findings: [{ message: NULLS_MSG }] }],
  }),
  severityTable('critical'),
  severityTable('warning'),
  severityTable('info'),
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
