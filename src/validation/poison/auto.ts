/**
 * The poisoning suite mlvet derives when none is given: table checks, label checks when a label is
 * named, and per-column checks by kind (numeric: drift, range, outliers, type; categorical: drift,
 * unseen values, invisible characters; text: invisible characters, emergent and trigger tokens,
 * near-duplicates;
 * every column with a baseline: null rate; bounded columns with a label: association and the label
 * rate per level). Identifier columns get only the duplicate check. Thresholds come from the
 * defaults, then `meta.mlvet.thresholds` of the GX suite, then the sibling `*.mlvet.json`, each by
 * check type (optionally `"type@column"`).
 */
import type { ExpectationConfig, Suite } from '../suite/load.js';
import type { Baseline } from '../profile/baseline.js';
import type { Kind } from '../profile/column.js';

export type Thresholds = Record<string, Record<string, unknown>>;

export interface AutoInput {
  baseline?: Baseline;
  label?: string;
  /** column kinds when there is no baseline (from a peek at the data) */
  kinds?: Record<string, Kind>;
  /** identifier columns (baseline, --id, or a peek) */
  ids?: ReadonlySet<string>;
  thresholds?: Thresholds;
}

/**
 * Checks that run a significance test: the run's false-alarm budget is split among them
 * (Bonferroni). The others compare against fixed bounds.
 */
export const STATISTICAL = new Set([
  'expect_table_duplicate_row_ratio_to_be_at_most',
  'expect_table_conflicting_label_ratio_to_be_at_most',
  'expect_table_labels_consistent_with_baseline',
  'expect_column_label_distribution_shift_to_be_at_most',
  'expect_column_class_imbalance_to_be_at_most',
  'expect_column_drift_score_to_be_at_most',
  'expect_column_out_of_baseline_range_ratio_to_be_at_most',
  'expect_column_robust_outlier_ratio_to_be_at_most',
  'expect_column_invisible_char_ratio_to_be_at_most',
  'expect_column_near_duplicate_ratio_to_be_at_most',
  'expect_column_null_rate_increase_to_be_at_most',
  'expect_column_unseen_value_ratio_to_be_at_most',
  'expect_column_type_mismatch_ratio_to_be_at_most',
  'expect_column_label_rate_by_level_to_match_baseline',
  'expect_column_id_duplicate_ratio_to_be_at_most',
]);

export function autoSuite(o: AutoInput): Suite {
  const exps: ExpectationConfig[] = [];
  const add = (type: string, kwargs: Record<string, unknown> = {}): void => {
    const col = typeof kwargs.column === 'string' ? kwargs.column : undefined;
    const t = { ...(o.thresholds?.[type] ?? {}), ...(col ? (o.thresholds?.[`${type}@${col}`] ?? {}) : {}) };
    exps.push({ type, kwargs: { ...kwargs, ...t }, meta: { mlvet: { generated: true } } });
  };
  const b = o.baseline;
  const ids = o.ids ?? new Set(b?.ids ?? []);
  if (b) {
    add('expect_table_schema_to_match_baseline');
    add('expect_table_row_count_change_to_be_within');
  }
  add('expect_table_duplicate_row_ratio_to_be_at_most');
  add('expect_table_max_row_multiplicity_to_be_at_most');
  if (o.label) {
    add('expect_table_conflicting_label_ratio_to_be_at_most', { label: o.label });
    if (b) add('expect_table_labels_consistent_with_baseline', { label: o.label });
    if (b) add('expect_column_label_distribution_shift_to_be_at_most', { column: o.label });
    add('expect_column_class_imbalance_to_be_at_most', { column: o.label });
  }
  const kinds: Array<[string, Kind]> = b ? Object.values(b.stats).map((c) => [c.name, c.kind]) : Object.entries(o.kinds ?? {});
  for (const [column, kind] of kinds) {
    if (column === o.label) continue;
    if (ids.has(column)) {
      add('expect_column_id_duplicate_ratio_to_be_at_most', { column });
      continue;
    }
    if (b) add('expect_column_null_rate_increase_to_be_at_most', { column });
    if (kind === 'numeric' && b) {
      add('expect_column_drift_score_to_be_at_most', { column });
      add('expect_column_out_of_baseline_range_ratio_to_be_at_most', { column });
      add('expect_column_robust_outlier_ratio_to_be_at_most', { column });
      add('expect_column_type_mismatch_ratio_to_be_at_most', { column });
    }
    if (kind === 'categorical' && b) {
      add('expect_column_drift_score_to_be_at_most', { column });
      add('expect_column_unseen_value_ratio_to_be_at_most', { column });
    }
    if (kind === 'categorical' || kind === 'other' || kind === 'text') add('expect_column_invisible_char_ratio_to_be_at_most', { column });
    if ((kind === 'numeric' || kind === 'categorical') && b && o.label && b.stats[column]?.association) {
      add('expect_column_feature_label_association_change_to_be_at_most', { column, label: o.label });
      add('expect_column_label_rate_by_level_to_match_baseline', { column, label: o.label });
    }
    if (kind === 'text' && b) add('expect_column_no_emergent_tokens_vs_baseline', { column });
    if ((kind === 'text' || (kind === 'other' && b?.stats[column]?.text)) && b) add('expect_column_near_duplicate_ratio_to_be_at_most', { column });
    if ((kind === 'text' || (kind === 'other' && b?.stats[column]?.text)) && o.label) add('expect_column_no_trigger_token_label_association', { column, label: o.label });
  }
  if (b) add('expect_table_drifted_column_share_to_be_at_most');
  return { name: 'mlvet-poisoning', id: null, expectations: exps, suite_parameters: {}, meta: {}, format: '1.x' };
}
