/**
 * Table expectations: row count, column set, order and count. The schema is the union of columns in
 * first-seen order (Parquet/Arrow: the file schema; CSV: the header; JSONL: keys as they appear).
 */
import type { Evaluator, FinishCtx } from './evaluator.js';
import { checkBetween } from './aggregate.js';
import { gx, type GxExpectation, type Kwargs } from './expectation.js';
import type { MapOutcome } from './map.js';

function tableEval(decide: (ctx: FinishCtx) => MapOutcome): Evaluator {
  return { passes: 1, update: () => undefined, finish: decide };
}

const sameSet = (a: unknown[], b: unknown[]): boolean =>
  new Set(a).size === new Set(b).size && a.every((x) => b.includes(x));

const BETWEEN = ['min_value', 'max_value', 'strict_min', 'strict_max'];

export const TABLE_EXPECTATIONS: readonly GxExpectation[] = [
  gx({
    type: 'expect_table_row_count_to_equal',
    kind: 'table',
    kwargs: ['value'],
    required: ['value'],
    create: (kw) => tableEval((c) => ({ success: c.rows === kw.value, result: { observed_value: c.rows } })),
  }),
  gx({
    type: 'expect_table_row_count_to_be_between',
    kind: 'table',
    kwargs: BETWEEN,
    create: (kw) =>
      tableEval((c) => ({ success: checkBetween(kw, c.rows), result: { observed_value: c.rows } })),
  }),
  gx({
    type: 'expect_table_column_count_to_equal',
    kind: 'table',
    kwargs: ['value'],
    required: ['value'],
    create: (kw) =>
      tableEval((c) => ({
        success: c.columns.length === kw.value,
        result: { observed_value: c.columns.length },
      })),
  }),
  gx({
    type: 'expect_table_column_count_to_be_between',
    kind: 'table',
    kwargs: BETWEEN,
    create: (kw) =>
      tableEval((c) => ({
        success: checkBetween(kw, c.columns.length),
        result: { observed_value: c.columns.length },
      })),
  }),
  gx({
    type: 'expect_column_to_exist',
    kind: 'table',
    kwargs: ['column', 'column_index'],
    required: ['column'],
    create: columnExists,
  }),
  gx({
    type: 'expect_table_columns_to_match_ordered_list',
    kind: 'table',
    kwargs: ['column_list'],
    required: ['column_list'],
    // Optional here in GX (a null list is vacuously true), unlike the multicolumn expectations
    types: { column_list: 'string[]?' },
    create: orderedList,
  }),
  gx({
    type: 'expect_table_columns_to_match_set',
    kind: 'table',
    kwargs: ['column_set', 'exact_match'],
    required: ['column_set'],
    create: columnSet,
  }),
];

function columnExists(kw: Kwargs): Evaluator {
  return tableEval((c) => {
    const idx = c.columns.indexOf(String(kw.column));
    const want = kw.column_index;
    const success = idx >= 0 && (want === null || want === undefined || want === idx);
    return { success, result: {} };
  });
}

function orderedList(kw: Kwargs): Evaluator {
  return tableEval((c) => {
    const want = (kw.column_list as unknown[] | null) ?? null;
    if (want === null) return { success: true, result: { observed_value: c.columns } };
    const success = want.length === c.columns.length && want.every((x, i) => x === c.columns[i]);
    if (success) return { success, result: { observed_value: c.columns } };
    const mismatched: Array<{ Expected: unknown; Found: unknown; 'Expected Column Position': number }> = [];
    for (let i = 0; i < Math.max(want.length, c.columns.length); i++) {
      if (want[i] !== c.columns[i])
        mismatched.push({
          'Expected Column Position': i,
          Expected: want[i] ?? null,
          Found: c.columns[i] ?? null,
        });
    }
    return { success, result: { observed_value: c.columns, details: { mismatched } } };
  });
}

function columnSet(kw: Kwargs): Evaluator {
  return tableEval((c) => {
    const want = (kw.column_set as unknown[] | null) ?? [];
    const exact = kw.exact_match !== false;
    const unexpected = c.columns.filter((x) => !want.includes(x));
    const missing = want.filter((x) => !c.columns.includes(String(x)));
    const success = exact ? sameSet(want, c.columns) : missing.length === 0;
    const mismatched: Record<string, unknown> = {};
    if (unexpected.length) mismatched.unexpected = unexpected;
    if (missing.length) mismatched.missing = missing;
    return { success, result: { observed_value: c.columns, details: { mismatched } } };
  });
}
