/**
 * Column pair and multicolumn map expectations. `ignore_row_if` drops rows before judging; the
 * dropped rows are GX's "missing" count and the percentages use the rows left. Uniqueness across
 * rows (compound columns) needs every key, so it takes two passes with an exact count map.
 */
import { MlvetError } from '../../errors.js';
import { valueAt } from '../types.js';
import type { Evaluator, FinishCtx, View } from './evaluator.js';
import { gx, MULTI_KWARGS, PAIR_KWARGS, type GxExpectation } from './expectation.js';
import { MapCounter, type MapOutcome } from './map.js';
import type { ResultFormat } from './result-format.js';
import { cmp, GxError, pyKey } from './values.js';

type K = Record<string, unknown>;
type RowTest = (vals: unknown[]) => boolean;

class MultiEval implements Evaluator {
  readonly passes: number;
  private readonly counter: MapCounter;

  constructor(
    private readonly cols: string[],
    private readonly ignore: (vals: unknown[]) => boolean,
    private readonly test: RowTest,
    private readonly shape: 'pair' | 'multi',
    rf: ResultFormat,
    private readonly mostly: number,
    private readonly gather?: (vals: unknown[]) => void,
  ) {
    this.passes = gather ? 2 : 1;
    this.counter = new MapCounter(rf);
  }

  update(v: View, pass: number): void {
    const cs = this.cols.map((n) => v.col(n));
    const vals = new Array<unknown>(cs.length);
    for (let i = 0; i < v.batch.length; i++) {
      if (v.mask && !v.mask[i]) continue;
      for (let j = 0; j < cs.length; j++) vals[j] = cs[j] ? valueAt(cs[j]!, i) : null;
      if (pass === 1 && this.gather) {
        if (!this.ignore(vals)) this.gather(vals);
        continue;
      }
      this.counter.elements++;
      if (this.ignore(vals)) {
        this.counter.missing++;
        continue;
      }
      if (!this.test(vals)) {
        const value = this.shape === 'pair' ? [vals[0], vals[1]] : Object.fromEntries(this.cols.map((n, j) => [n, vals[j]]));
        const row = v.batch.rowStart + i;
        this.counter.miss(value, () => this.index(v, [...vals], i, row));
      }
    }
  }

  private index(v: View, vals: unknown[], i: number, row: number): unknown {
    const names = this.counter.rf.indexColumns;
    if (!names) return row;
    const out: Record<string, unknown> = Object.fromEntries(this.cols.map((n, j) => [n, vals[j]]));
    for (const n of names) {
      const c = v.col(n);
      out[n] = c ? valueAt(c, i) : row;
    }
    return out;
  }

  finish(ctx: FinishCtx): MapOutcome {
    const missing = this.cols.filter((c) => !ctx.columns.includes(c));
    if (missing.length) throw new GxError(`KeyError: columns not found: ${missing.join(', ')}`);
    return this.counter.format(this.mostly, false);
  }
}

const isNull = (v: unknown): boolean => v === null;

function ignoreRule(kw: K, fallback: string): (vals: unknown[]) => boolean {
  const rule = typeof kw.ignore_row_if === 'string' ? kw.ignore_row_if : fallback;
  switch (rule) {
    case 'both_values_are_missing':
    case 'all_values_are_missing':
      return (v) => v.every(isNull);
    case 'either_value_is_missing':
    case 'any_value_is_missing':
      return (v) => v.some(isNull);
    case 'neither':
    case 'never':
      return () => false;
    default:
      throw new MlvetError('SUITE_INVALID', `unknown ignore_row_if "${rule}"`);
  }
}

const mostlyOf = (kw: K): number => (typeof kw.mostly === 'number' ? kw.mostly : 1);
const pairCols = (kw: K): string[] => [String(kw.column_A), String(kw.column_B)];
const listCols = (kw: K): string[] => {
  if (!Array.isArray(kw.column_list) || kw.column_list.length < 1) throw new GxError('ValueError: column_list must be a non-empty list');
  return kw.column_list.map(String);
};

function compoundUnique(kw: K, rf: ResultFormat): Evaluator {
  const counts = new Map<string, number>();
  const key = (vals: unknown[]): string => JSON.stringify(vals.map(pyKey));
  return new MultiEval(listCols(kw), ignoreRule(kw, 'all_values_are_missing'), (v) => (counts.get(key(v)) ?? 0) <= 1, 'multi', rf, mostlyOf(kw), (v) => {
    const k = key(v);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if (counts.size > 20_000_000) throw new MlvetError('LIMIT_EXCEEDED', 'expect_compound_columns_to_be_unique: more than 20M distinct keys');
  });
}

const PAIR = { kind: 'pair', required: ['column_A', 'column_B'] } as const;
const MULTI = { kind: 'multi', required: ['column_list'] } as const;

function pairEval(kw: K, rf: ResultFormat, test: RowTest): Evaluator {
  return new MultiEval(pairCols(kw), ignoreRule(kw, 'both_values_are_missing'), test, 'pair', rf, mostlyOf(kw));
}

function multiEval(kw: K, rf: ResultFormat, test: RowTest): Evaluator {
  return new MultiEval(listCols(kw), ignoreRule(kw, 'all_values_are_missing'), test, 'multi', rf, mostlyOf(kw));
}

function aGreaterThanB(kw: K, rf: ResultFormat): Evaluator {
  return pairEval(kw, rf, ([a, b]) => {
    if (a === null || b === null) return false;
    const c = cmp(a, b);
    return kw.or_equal === true ? c >= 0 : c > 0;
  });
}

function pairInSet(kw: K, rf: ResultFormat): Evaluator {
  const pairs = new Set(((kw.value_pairs_set as unknown[][]) ?? []).map((p) => JSON.stringify(p.map(pyKey))));
  return pairEval(kw, rf, ([a, b]) => pairs.has(JSON.stringify([pyKey(a), pyKey(b)])));
}

function uniqueWithinRecord(kw: K, rf: ResultFormat): Evaluator {
  return multiEval(kw, rf, (v) => {
    const present = v.filter((x) => x !== null).map(pyKey);
    return new Set(present).size === present.length;
  });
}

const sumOf = (v: unknown[]): number =>
  v.reduce<number>((a, x) => a + (typeof x === 'number' || typeof x === 'boolean' ? Number(x) : NaN), 0);

export const MULTI_EXPECTATIONS: readonly GxExpectation[] = [
  gx({
    type: 'expect_column_pair_values_to_be_equal',
    ...PAIR,
    kwargs: PAIR_KWARGS,
    create: (kw, rf) => pairEval(kw, rf, ([a, b]) => pyKey(a) === pyKey(b)),
  }),
  gx({ type: 'expect_column_pair_values_a_to_be_greater_than_b', ...PAIR, kwargs: [...PAIR_KWARGS, 'or_equal'], create: aGreaterThanB }),
  gx({
    type: 'expect_column_pair_values_to_be_in_set',
    kind: 'pair',
    kwargs: [...PAIR_KWARGS, 'value_pairs_set'],
    required: ['column_A', 'column_B', 'value_pairs_set'],
    create: pairInSet,
  }),
  gx({ type: 'expect_compound_columns_to_be_unique', ...MULTI, kwargs: MULTI_KWARGS, create: compoundUnique }),
  gx({
    type: 'expect_multicolumn_values_to_be_unique',
    ...MULTI,
    kwargs: MULTI_KWARGS,
    create: (kw, rf) => multiEval(kw, rf, (v) => new Set(v.map(pyKey)).size === v.length),
  }),
  gx({ type: 'expect_select_column_values_to_be_unique_within_record', ...MULTI, kwargs: MULTI_KWARGS, create: uniqueWithinRecord }),
  gx({
    type: 'expect_multicolumn_sum_to_equal',
    kind: 'multi',
    kwargs: [...MULTI_KWARGS, 'sum_total'],
    required: ['column_list', 'sum_total'],
    create: (kw, rf) => multiEval(kw, rf, (v) => sumOf(v) === Number(kw.sum_total)),
  }),
];
