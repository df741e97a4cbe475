/**
 * Every GX 1.x core expectation mlvet runs, with the kwargs GX's pydantic model accepts for it.
 * GX forbids extra kwargs (`extra = forbid`), so mlvet rejects them too; mlvet-only options go in `meta`.
 */
export type Domain = 'table' | 'column' | 'map' | 'pair' | 'multi' | 'mlvet';

const COMMON = ['result_format', 'catch_exceptions', 'meta', 'notes', 'description', 'id', 'rendered_content', 'batch_id', 'row_condition', 'condition_parser', 'windows'];
const MAP = ['column', 'mostly'];
const AGG = ['column', 'min_value', 'max_value', 'strict_min', 'strict_max'];
const PAIR = ['column_A', 'column_B', 'ignore_row_if', 'mostly'];
const MULTI = ['column_list', 'ignore_row_if', 'mostly'];

export interface Spec {
  domain: Domain;
  kwargs: string[];
  required: string[];
}

const spec = (domain: Domain, kwargs: string[], required: string[] = []): Spec => ({ domain, kwargs: [...COMMON, ...kwargs], required });

export const GX_EXPECTATIONS: Record<string, Spec> = {
  expect_column_to_exist: spec('table', ['column', 'column_index'], ['column']),
  expect_table_columns_to_match_ordered_list: spec('table', ['column_list'], ['column_list']),
  expect_table_columns_to_match_set: spec('table', ['column_set', 'exact_match'], ['column_set']),
  expect_table_column_count_to_equal: spec('table', ['value'], ['value']),
  expect_table_column_count_to_be_between: spec('table', ['min_value', 'max_value', 'strict_min', 'strict_max']),
  expect_table_row_count_to_equal: spec('table', ['value'], ['value']),
  expect_table_row_count_to_be_between: spec('table', ['min_value', 'max_value', 'strict_min', 'strict_max']),

  expect_column_values_to_be_between: spec('map', [...MAP, 'min_value', 'max_value', 'strict_min', 'strict_max'], ['column']),
  expect_column_values_to_be_in_set: spec('map', [...MAP, 'value_set'], ['column', 'value_set']),
  expect_column_values_to_not_be_in_set: spec('map', [...MAP, 'value_set'], ['column', 'value_set']),
  expect_column_values_to_be_null: spec('map', MAP, ['column']),
  expect_column_values_to_not_be_null: spec('map', MAP, ['column']),
  expect_column_values_to_be_of_type: spec('map', [...MAP, 'type_'], ['column', 'type_']),
  expect_column_values_to_be_in_type_list: spec('map', [...MAP, 'type_list'], ['column']),
  expect_column_values_to_be_unique: spec('map', MAP, ['column']),
  expect_column_values_to_match_regex: spec('map', [...MAP, 'regex'], ['column']),
  expect_column_values_to_not_match_regex: spec('map', [...MAP, 'regex'], ['column', 'regex']),
  expect_column_values_to_match_regex_list: spec('map', [...MAP, 'regex_list', 'match_on'], ['column', 'regex_list']),
  expect_column_values_to_not_match_regex_list: spec('map', [...MAP, 'regex_list'], ['column', 'regex_list']),
  expect_column_values_to_match_strftime_format: spec('map', [...MAP, 'strftime_format'], ['column', 'strftime_format']),
  expect_column_values_to_be_dateutil_parseable: spec('map', MAP, ['column']),
  expect_column_values_to_be_json_parseable: spec('map', MAP, ['column']),
  expect_column_values_to_match_json_schema: spec('map', [...MAP, 'json_schema'], ['column', 'json_schema']),
  expect_column_values_to_be_increasing: spec('map', [...MAP, 'strictly'], ['column']),
  expect_column_values_to_be_decreasing: spec('map', [...MAP, 'strictly'], ['column']),
  expect_column_value_lengths_to_be_between: spec('map', [...MAP, 'min_value', 'max_value', 'strict_min', 'strict_max'], ['column']),
  expect_column_value_lengths_to_equal: spec('map', [...MAP, 'value'], ['column', 'value']),
  expect_column_value_z_scores_to_be_less_than: spec('map', [...MAP, 'threshold', 'double_sided'], ['column', 'threshold']),

  expect_column_min_to_be_between: spec('column', AGG, ['column']),
  expect_column_max_to_be_between: spec('column', AGG, ['column']),
  expect_column_mean_to_be_between: spec('column', AGG, ['column']),
  expect_column_median_to_be_between: spec('column', AGG, ['column']),
  expect_column_stdev_to_be_between: spec('column', AGG, ['column']),
  expect_column_sum_to_be_between: spec('column', AGG, ['column']),
  expect_column_unique_value_count_to_be_between: spec('column', AGG, ['column']),
  expect_column_proportion_of_unique_values_to_be_between: spec('column', AGG, ['column']),
  expect_column_quantile_values_to_be_between: spec('column', ['column', 'quantile_ranges', 'allow_relative_error'], ['column', 'quantile_ranges']),
  expect_column_most_common_value_to_be_in_set: spec('column', ['column', 'value_set', 'ties_okay'], ['column', 'value_set']),
  expect_column_distinct_values_to_be_in_set: spec('column', ['column', 'value_set'], ['column']),
  expect_column_distinct_values_to_contain_set: spec('column', ['column', 'value_set'], ['column', 'value_set']),
  expect_column_distinct_values_to_equal_set: spec('column', ['column', 'value_set'], ['column', 'value_set']),
  expect_column_kl_divergence_to_be_less_than: spec(
    'column',
    ['column', 'partition_object', 'threshold', 'internal_weight_holdout', 'tail_weight_holdout', 'bucketize_data', 'min_value', 'max_value'],
    ['column'],
  ),

  expect_column_pair_values_to_be_equal: spec('pair', PAIR, ['column_A', 'column_B']),
  expect_column_pair_values_a_to_be_greater_than_b: spec('pair', [...PAIR, 'or_equal'], ['column_A', 'column_B']),
  expect_column_pair_values_to_be_in_set: spec('pair', [...PAIR, 'value_pairs_set'], ['column_A', 'column_B', 'value_pairs_set']),
  expect_compound_columns_to_be_unique: spec('multi', MULTI, ['column_list']),
  expect_select_column_values_to_be_unique_within_record: spec('multi', MULTI, ['column_list']),
  expect_multicolumn_sum_to_equal: spec('multi', [...MULTI, 'sum_total'], ['column_list', 'sum_total']),
  expect_multicolumn_values_to_be_unique: spec('multi', MULTI, ['column_list']),
};

/** GX types that exist but that a file backend cannot run; named so the error says why. */
export const GX_NOT_RUNNABLE: Record<string, string> = {
  expect_column_values_to_match_like_pattern: 'SQL LIKE only; GX does not run it on pandas either',
  expect_column_values_to_match_like_pattern_list: 'SQL LIKE only; GX does not run it on pandas either',
  expect_column_values_to_not_match_like_pattern: 'SQL LIKE only; GX does not run it on pandas either',
  expect_column_values_to_not_match_like_pattern_list: 'SQL LIKE only; GX does not run it on pandas either',
  unexpected_rows_expectation: 'needs a SQL query',
  expect_table_row_count_to_equal_other_table: 'needs a second table',
  expect_column_bootstrapped_ks_test_p_value_to_be_greater_than: 'raises NotImplementedError in GX 1.x',
  expect_column_chisquare_test_p_value_to_be_greater_than: 'raises NotImplementedError in GX 1.x',
  expect_column_parameterized_distribution_ks_test_p_value_to_be_greater_than: 'raises NotImplementedError in GX 1.x',
  expect_column_pair_cramers_phi_value_to_be_less_than: 'raises NotImplementedError in GX 1.x',
};
