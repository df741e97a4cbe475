/**
 * The expectation types a suite may name: every GX 1.x core expectation mlvet runs, built from the
 * family lists of records (kwargs and implementation together), plus the GX types a file backend
 * cannot run, named so the error says why. A new expectation is one record in its family's list; a
 * new family is one file and one line here.
 */
import { AGGREGATE_EXPECTATIONS } from '../gx/aggregate-expectations.js';
import type { GxExpectation } from '../gx/expectation.js';
import { MAP_EXPECTATIONS } from '../gx/map-expectations.js';
import { MAP_TEXT_EXPECTATIONS } from '../gx/map-text-expectations.js';
import { MULTI_EXPECTATIONS } from '../gx/multi.js';
import { TABLE_EXPECTATIONS } from '../gx/table.js';

/** what the suite loader checks a configuration against (GX expectations and mlvet checks alike) */
export interface Spec {
  readonly kwargs: readonly string[];
  readonly required: readonly string[];
}

export const GX_EXPECTATION_LIST: readonly GxExpectation[] = [
  ...TABLE_EXPECTATIONS,
  ...MAP_EXPECTATIONS,
  ...MAP_TEXT_EXPECTATIONS,
  ...AGGREGATE_EXPECTATIONS,
  ...MULTI_EXPECTATIONS,
];

/** by type; no prototype, so a suite naming `toString` is an unknown type, not Object's method */
export const GX_EXPECTATIONS: Readonly<Record<string, GxExpectation>> = Object.setPrototypeOf(
  Object.fromEntries(GX_EXPECTATION_LIST.map((e) => [e.type, e])),
  null,
) as Record<string, GxExpectation>;

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
