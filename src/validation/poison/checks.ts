/** mlvet check type → implementation. Each one is listed in registry.ts with its kwargs. */
import { associationChange, drift, driftedShare, invisibleChars, outOfRange, robustOutliers } from './column-checks.js';
import type { Check } from './context.js';
import { classImbalance, labelShift } from './label-checks.js';
import { conflictingLabels, duplicateRatio, labelsConsistent, maxMultiplicity } from './rows-checks.js';
import { rowCountChange, schemaMatches } from './table-checks.js';
import { emergentTokens, triggerTokens } from './token-checks.js';

export const CHECKS: Record<string, Check> = {
  expect_table_conflicting_label_ratio_to_be_at_most: conflictingLabels,
  expect_table_labels_consistent_with_baseline: labelsConsistent,
  expect_table_duplicate_row_ratio_to_be_at_most: duplicateRatio,
  expect_table_max_row_multiplicity_to_be_at_most: maxMultiplicity,
  expect_column_label_distribution_shift_to_be_at_most: labelShift,
  expect_column_class_imbalance_to_be_at_most: classImbalance,
  expect_column_drift_score_to_be_at_most: drift,
  expect_table_drifted_column_share_to_be_at_most: driftedShare,
  expect_column_out_of_baseline_range_ratio_to_be_at_most: outOfRange,
  expect_column_robust_outlier_ratio_to_be_at_most: robustOutliers,
  expect_column_no_trigger_token_label_association: triggerTokens,
  expect_column_no_emergent_tokens_vs_baseline: emergentTokens,
  expect_column_invisible_char_ratio_to_be_at_most: invisibleChars,
  expect_column_feature_label_association_change_to_be_at_most: associationChange,
  expect_table_schema_to_match_baseline: schemaMatches,
  expect_table_row_count_change_to_be_within: rowCountChange,
};
