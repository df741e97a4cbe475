/**
 * GX's column map expectations about values: ranges, sets, nulls, types, uniqueness, order, lengths
 * and z-scores. Predicates follow the pandas implementations in GX 1.2
 * (`expectations/metrics/column_map_metrics/*`); the text ones are in map-text-expectations.ts.
 */
import { MlvetError } from '../../errors.js';
import { ColumnMapEval, columnOf as col, mostlyOf, simple } from './column-map.js';
import type { Evaluator } from './evaluator.js';
import { gx, MAP_KWARGS, type GxExpectation, type Kwargs as K } from './expectation.js';
import type { ResultFormat } from './result-format.js';
import { typeOutcome } from './types-map.js';
import { asDate, cmp, GxError, pyKey } from './values.js';

const MAP = { kind: 'map', required: ['column'] } as const;
const BOUNDS = ['min_value', 'max_value', 'strict_min', 'strict_max'];

function between(v: unknown, lo: unknown, hi: unknown, strictLo: boolean, strictHi: boolean): boolean {
  if (lo !== null && lo !== undefined) {
    const c = cmp(v, lo);
    if (strictLo ? c <= 0 : c < 0) return false;
  }
  if (hi !== null && hi !== undefined) {
    const c = cmp(v, hi);
    if (strictHi ? c >= 0 : c > 0) return false;
  }
  return true;
}

function checkBounds(kw: K, integers = false, ordered = true): void {
  const lo = kw.min_value;
  const hi = kw.max_value;
  if ((lo === null || lo === undefined) && (hi === null || hi === undefined)) throw new GxError('ValueError: min_value and max_value cannot both be None');
  if (integers) {
    for (const x of [lo, hi]) if (x !== null && x !== undefined && !(typeof x === 'number' && Number.isInteger(x))) throw new GxError('ValueError: min_value and max_value must be integers');
  }
  if (ordered && lo !== null && lo !== undefined && hi !== null && hi !== undefined && cmp(lo, hi) > 0) throw new GxError('ValueError: min_value cannot be greater than max_value');
}

const len = (s: string): number => [...s].length;

function uniqueEval(kw: K, rf: ResultFormat): Evaluator {
  const counts = new Map<unknown, number>();
  return new ColumnMapEval(
    {
      column: col(kw),
      rf,
      mostly: mostlyOf(kw),
      passes: 2,
      gather: (v) => {
        if (v === null) return;
        const k = pyKey(v);
        counts.set(k, (counts.get(k) ?? 0) + 1);
        if (counts.size > 20_000_000) throw new MlvetError('LIMIT_EXCEEDED', `expect_column_values_to_be_unique: more than 20M distinct values in "${col(kw)}"`);
      },
    },
    (v) => (counts.get(pyKey(v)) ?? 0) <= 1,
  );
}

function zScoreEval(kw: K, rf: ResultFormat): Evaluator {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  const threshold = Number(kw.threshold);
  const double = kw.double_sided === true;
  return new ColumnMapEval(
    {
      column: col(kw),
      rf,
      mostly: mostlyOf(kw),
      passes: 2,
      gather: (v) => {
        if (typeof v !== 'number') return;
        n++;
        const d = v - mean;
        mean += d / n;
        m2 += d * (v - mean);
      },
    },
    (v) => {
      if (typeof v !== 'number') throw new GxError('TypeError: z-scores need a numeric column');
      const z = (v - mean) / Math.sqrt(m2 / (n - 1));
      return double ? Math.abs(z) < Math.abs(threshold) : z < threshold;
    },
  );
}

function monotone(kw: K, rf: ResultFormat, dir: 1 | -1): Evaluator {
  let prev: unknown = undefined;
  const strictly = kw.strictly === true;
  return new ColumnMapEval({ column: col(kw), rf, mostly: mostlyOf(kw) }, (v) => {
    const p = prev;
    prev = v;
    if (p === undefined) return true;
    const a = asDate(v) ?? v;
    const b = asDate(p) ?? p;
    const c = cmp(a, b) * dir;
    return strictly ? c > 0 : c >= 0;
  });
}

function valuesBetween(kw: K, rf: ResultFormat): Evaluator {
  checkBounds(kw);
  const sl = kw.strict_min === true;
  const sh = kw.strict_max === true;
  return simple((v) => between(v, kw.min_value, kw.max_value, sl, sh))(kw, rf);
}

function inSet(kw: K, rf: ResultFormat): Evaluator {
  if (kw.value_set === null || kw.value_set === undefined) return simple(() => true)(kw, rf);
  const set = new Set((kw.value_set as unknown[]).map(pyKey));
  return simple((v) => set.has(pyKey(v)))(kw, rf);
}

function notInSet(kw: K, rf: ResultFormat): Evaluator {
  const set = new Set(((kw.value_set as unknown[] | null) ?? []).map(pyKey));
  return simple((v) => !set.has(pyKey(v)))(kw, rf);
}

function lengthsBetween(kw: K, rf: ResultFormat): Evaluator {
  checkBounds(kw, true, false);
  const sl = kw.strict_min === true;
  const sh = kw.strict_max === true;
  return simple((v) => typeof v === 'string' && between(len(v), kw.min_value, kw.max_value, sl, sh))(kw, rf);
}

const ofType = (kw: K, rf: ResultFormat): Evaluator =>
  typeOutcome(col(kw), rf, mostlyOf(kw), kw.type_ === null ? null : [typeof kw.type_ === 'string' ? kw.type_ : JSON.stringify(kw.type_)]);
const inTypeList = (kw: K, rf: ResultFormat): Evaluator =>
  typeOutcome(col(kw), rf, mostlyOf(kw), Array.isArray(kw.type_list) ? kw.type_list.map(String) : null);

export const MAP_EXPECTATIONS: readonly GxExpectation[] = [
  gx({ type: 'expect_column_values_to_be_between', ...MAP, kwargs: [...MAP_KWARGS, ...BOUNDS], create: valuesBetween }),
  gx({ type: 'expect_column_values_to_be_in_set', ...MAP, kwargs: [...MAP_KWARGS, 'value_set'], required: ['column', 'value_set'], create: inSet }),
  gx({ type: 'expect_column_values_to_not_be_in_set', ...MAP, kwargs: [...MAP_KWARGS, 'value_set'], required: ['column', 'value_set'], create: notInSet }),
  gx({ type: 'expect_column_values_to_be_null', ...MAP, kwargs: MAP_KWARGS, create: simple((v) => v === null, true) }),
  gx({ type: 'expect_column_values_to_not_be_null', ...MAP, kwargs: MAP_KWARGS, create: simple((v) => v !== null, true) }),
  gx({ type: 'expect_column_values_to_be_of_type', ...MAP, kwargs: [...MAP_KWARGS, 'type_'], required: ['column', 'type_'], create: ofType }),
  gx({ type: 'expect_column_values_to_be_in_type_list', ...MAP, kwargs: [...MAP_KWARGS, 'type_list'], create: inTypeList }),
  gx({ type: 'expect_column_values_to_be_unique', ...MAP, kwargs: MAP_KWARGS, create: uniqueEval }),
  gx({ type: 'expect_column_values_to_be_increasing', ...MAP, kwargs: [...MAP_KWARGS, 'strictly'], create: (kw, rf) => monotone(kw, rf, 1) }),
  gx({ type: 'expect_column_values_to_be_decreasing', ...MAP, kwargs: [...MAP_KWARGS, 'strictly'], create: (kw, rf) => monotone(kw, rf, -1) }),
  gx({ type: 'expect_column_value_lengths_to_be_between', ...MAP, kwargs: [...MAP_KWARGS, ...BOUNDS], create: lengthsBetween }),
  gx({
    type: 'expect_column_value_lengths_to_equal',
    ...MAP,
    kwargs: [...MAP_KWARGS, 'value'],
    required: ['column', 'value'],
    create: (kw, rf) => simple((v) => typeof v === 'string' && len(v) === Number(kw.value))(kw, rf),
  }),
  gx({
    type: 'expect_column_value_z_scores_to_be_less_than',
    ...MAP,
    kwargs: [...MAP_KWARGS, 'threshold', 'double_sided'],
    required: ['column', 'threshold'],
    create: zScoreEval,
  }),
];
