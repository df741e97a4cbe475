/**
 * mlvet's poisoning checks (research §10.2), written in GX's `expect_*` style so results share GX's
 * shape. GX 1.x refuses unknown types, so these live in a sibling `*.mlvet.json` suite (or are
 * derived from a baseline), never in a suite GX itself loads.
 */
import type { Spec } from '../suite/registry.js';

const COMMON = ['result_format', 'catch_exceptions', 'meta', 'notes', 'description', 'id', 'batch_id'];
const spec = (kwargs: string[], required: string[] = []): Spec => ({ domain: 'mlvet', kwargs: [...COMMON, ...kwargs], required });

export const MLVET_CHECKS: Record<string, Spec> = {
  expect_table_conflicting_label_ratio_to_be_at_most: spec(['label', 'max_ratio'], ['label']),
  expect_table_labels_consistent_with_baseline: spec(['label', 'max_ratio']),
  expect_table_duplicate_row_ratio_to_be_at_most: spec(['max_ratio', 'max_relative_increase', 'min_increase']),
  expect_table_max_row_multiplicity_to_be_at_most: spec(['max_count']),
  expect_column_label_distribution_shift_to_be_at_most: spec(['column', 'psi_max', 'js_max', 'min_delta', 'min_z'], ['column']),
  expect_column_class_imbalance_to_be_at_most: spec(['column', 'min_ratio'], ['column']),
  expect_column_drift_score_to_be_at_most: spec(['column', 'method', 'threshold'], ['column']),
  expect_table_drifted_column_share_to_be_at_most: spec(['max_share']),
  expect_column_out_of_baseline_range_ratio_to_be_at_most: spec(['column', 'mode', 'max_ratio'], ['column']),
  expect_column_robust_outlier_ratio_to_be_at_most: spec(['column', 'max_ratio', 'z'], ['column']),
  expect_column_no_trigger_token_label_association: spec(['column', 'label', 'min_purity', 'min_z', 'sigmas'], ['column']),
  expect_column_no_emergent_tokens_vs_baseline: spec(['column', 'min_ratio', 'min_docs'], ['column']),
  expect_column_invisible_char_ratio_to_be_at_most: spec(['column', 'max_ratio'], ['column']),
  expect_column_feature_label_association_change_to_be_at_most: spec(['column', 'label', 'max_delta'], ['column']),
  expect_table_schema_to_match_baseline: spec(['allow_extra_columns', 'allow_other_column_order']),
  expect_table_row_count_change_to_be_within: spec(['max_relative_change']),
};
