/**
 * A GX 1.x suite inferred from a baseline, in the spirit of GX 0.x's Onboarding profiler (removed
 * in 1.x): a non-empty table, the column set, null rates, numeric ranges and moments with
 * margins, value sets for low-cardinality columns and length ranges for text. Only GX core types
 * and kwargs are used, so GX 1.x itself loads the file.
 */
import { randomUUID } from 'node:crypto';
import type { Baseline, ColumnBaseline } from './baseline.js';

type Exp = { type: string; kwargs: Record<string, unknown>; meta: Record<string, unknown>; id: string };

const round = (x: number): number => Number(x.toPrecision(6));

function columnExpectations(c: ColumnBaseline, rows: number, push: (type: string, kwargs: Record<string, unknown>) => void): void {
  const column = c.name;
  const nullShare = c.count ? c.missing / c.count : 0;
  if (nullShare === 0) push('expect_column_values_to_not_be_null', { column });
  else if (nullShare < 0.5) push('expect_column_values_to_not_be_null', { column, mostly: Math.max(0, round(1 - nullShare * 1.5 - 0.001)) });
  if (c.id) {
    // an identifier's range moves with every batch; only its uniqueness carries over
    if (!c.idDuplicateShare) push('expect_column_values_to_be_unique', { column });
    return;
  }
  if (c.numeric) {
    const n = c.numeric;
    const span = n.max - n.min || Math.abs(n.max) || 1;
    push('expect_column_values_to_be_between', { column, min_value: round(n.lo), max_value: round(n.hi), mostly: 0.999 });
    push('expect_column_mean_to_be_between', { column, min_value: round(n.mean - 0.1 * (n.std || span)), max_value: round(n.mean + 0.1 * (n.std || span)) });
    push('expect_column_median_to_be_between', { column, min_value: round(n.median - 0.1 * (n.std || span)), max_value: round(n.median + 0.1 * (n.std || span)) });
    if (n.std > 0) push('expect_column_stdev_to_be_between', { column, min_value: round(n.std * 0.8), max_value: round(n.std * 1.2) });
  }
  if (c.kind === 'categorical' && c.top && c.top.exact && c.top.values.length <= 100 && c.distinct.estimate <= 100) {
    push('expect_column_values_to_be_in_set', { column, value_set: c.top.values.map(([v]) => v).sort() });
    push('expect_column_distinct_values_to_be_in_set', { column, value_set: c.top.values.map(([v]) => v).sort() });
  }
  if (rows > 0 && c.distinct.estimate > 0 && !c.numeric && !c.text) {
    push('expect_column_unique_value_count_to_be_between', { column, min_value: Math.max(1, Math.floor(c.distinct.estimate * 0.5)), max_value: Math.ceil(c.distinct.estimate * 1.5) + 1 });
  }
}

export function inferSuite(b: Baseline, name: string): Record<string, unknown> {
  const expectations: Exp[] = [];
  const push = (type: string, kwargs: Record<string, unknown>): void => {
    expectations.push({ type, kwargs, meta: { mlvet: { inferred_from: 'baseline' } }, id: randomUUID() });
  };
  // batches of other sizes are normal: the suite asks for a non-empty table, not the baseline's size
  push('expect_table_row_count_to_be_between', { min_value: 1, max_value: null });
  push('expect_table_columns_to_match_set', { column_set: b.columns.map((c) => c.name), exact_match: true });
  for (const c of b.columns) {
    const s = b.stats[c.name];
    if (s) columnExpectations(s, b.rows, push);
  }
  return {
    name,
    id: randomUUID(),
    expectations,
    meta: { great_expectations_version: '1.2.0', mlvet: { generated_by: 'mlvet profile', rows: b.rows, ...(b.label ? { label: b.label.column } : {}) } },
  };
}
