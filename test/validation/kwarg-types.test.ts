/**
 * Issue 12: a GX kwarg of the wrong type (`{"column": ["id"]}`) was coerced and passed. Every kwarg is
 * checked against its declared type at suite load, as GX's pydantic models do: SUITE_INVALID (exit 3)
 * naming the expectation's index and type and the kwarg.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMlvetError } from '../../src/errors.js';
import { datasetErrorExit } from '../../src/validation/exit.js';
import { parseSuite } from '../../src/validation/suite/load.js';
import { validate } from '../../src/validation/validate.js';

function problemsOf(type: string, kwargs: Record<string, unknown>): string[] {
  try {
    parseSuite({ name: 's', expectations: [{ type: 'expect_table_row_count_to_be_between', kwargs: {} }, { type, kwargs }] });
  } catch (e) {
    if (isMlvetError(e) && e.code === 'SUITE_INVALID') return (e.details.problems as string[]).map((p) => p.replace(/ must be .*/, ''));
    throw e;
  }
  return [];
}

const NN = 'expect_column_values_to_not_be_null';
const RE = 'expect_column_values_to_match_regex';
const BETWEEN = 'expect_column_values_to_be_between';

describe('a kwarg of the wrong type is SUITE_INVALID naming it', () => {
  it.each([
    [NN, { column: ['id'] }, 'column'],
    [NN, { column: 7 }, 'column'],
    [NN, { column: null }, 'column'],
    [NN, { column: 'id', mostly: 2 }, 'mostly'],
    [NN, { column: 'id', mostly: '0.5' }, 'mostly'],
    [RE, { column: 'a', regex: 5 }, 'regex'],
    [RE, { column: 'a', regex: ['a'] }, 'regex'],
    ['expect_column_values_to_match_regex_list', { column: 'a', regex_list: 'a|b' }, 'regex_list'],
    ['expect_column_values_to_be_in_set', { column: 'a', value_set: 'abc' }, 'value_set'],
    [BETWEEN, { column: 'a', min_value: [1], max_value: 2 }, 'min_value'],
    [BETWEEN, { column: 'a', min_value: 1, strict_min: 'yes' }, 'strict_min'],
    ['expect_multicolumn_sum_to_equal', { column_list: 'a,b', sum_total: 3 }, 'column_list'],
    ['expect_table_row_count_to_equal', { value: 3, result_format: 4 }, 'result_format'],
  ])('%s %j → %s', (type, kwargs, kwarg) => {
    expect(problemsOf(type, kwargs)).toEqual([`expectations[1] (${type}): kwarg "${kwarg}"`]);
  }, 5_000);

  it('collects every wrong kwarg of every expectation', () => {
    expect(problemsOf(BETWEEN, { column: {}, min_value: 1, max_value: {}, mostly: -1 })).toEqual([
      `expectations[1] (${BETWEEN}): kwarg "column"`,
      `expectations[1] (${BETWEEN}): kwarg "max_value"`,
      `expectations[1] (${BETWEEN}): kwarg "mostly"`,
    ]);
  }, 5_000);
});

describe('kwargs GX accepts still load', () => {
  it.each([
    [NN, { column: 'id', mostly: null }],
    [RE, { column: 'a', regex: { $PARAMETER: 'pattern' } }],
    [BETWEEN, { column: 'a', min_value: '2020-01-01', max_value: null }],
    ['expect_table_columns_to_match_ordered_list', { column_list: null }],
    ['expect_column_values_to_be_in_set', { column: 'a', value_set: null }],
  ])('%s %j', (type, kwargs) => {
    expect(problemsOf(type, kwargs)).toEqual([]);
  }, 5_000);
});

it('validate() refuses the issue suite with exit 3', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlvet-kw-'));
  try {
    writeFileSync(join(dir, 's.json'), JSON.stringify({ name: 's', expectations: [{ type: NN, kwargs: { column: ['id'] } }] }));
    let code = 0;
    try {
      await validate({ dataset: 'fixtures/datasets/small.csv', suite: join(dir, 's.json') });
    } catch (e) {
      code = datasetErrorExit(e);
      expect(isMlvetError(e) && e.code).toBe('SUITE_INVALID');
    }
    expect(code).toBe(3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 20_000);
