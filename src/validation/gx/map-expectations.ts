/**
 * Factories for GX's column map expectations, keyed by type. Each returns an evaluator whose
 * predicate follows the pandas implementation in GX 1.2 (`expectations/metrics/column_map_metrics/*`).
 */
import { Ajv } from 'ajv';
import { MlvetError } from '../../errors.js';
import { pyRegex } from '../suite/regex.js';
import type { Dtype } from '../types.js';
import { ColumnMapEval } from './column-map.js';
import type { Evaluator } from './evaluator.js';
import type { ResultFormat } from './result-format.js';
import { dateutilParseable, matchesStrftime } from './strftime.js';
import { typeMatcher, typeOutcome } from './types-map.js';
import { asDate, cmp, GxError, pyKey, pyStr } from './values.js';

type K = Record<string, unknown>;
type Factory = (kw: K, rf: ResultFormat) => Evaluator;

const mostlyOf = (kw: K): number => (typeof kw.mostly === 'number' ? kw.mostly : 1);
const col = (kw: K): string => String(kw.column);

function simple(test: (v: unknown, dtype: Dtype) => boolean, allRows = false): Factory {
  return (kw, rf) => new ColumnMapEval({ column: col(kw), rf, mostly: mostlyOf(kw), allRows }, test);
}

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

function regexTest(kw: K, negate: boolean): Factory {
  return (kw2, rf) => {
    const re = pyRegex(typeof kw2.regex === 'string' ? kw2.regex : '(?s).*');
    return new ColumnMapEval({ column: col(kw2), rf, mostly: mostlyOf(kw2) }, (v, dt) => re.test(pyStr(v, dt)) !== negate);
  };
}

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

const ajv = new Ajv({ allErrors: false, strict: false });

export const MAP_FACTORIES: Record<string, Factory> = {
  expect_column_values_to_be_between: (kw, rf) => {
    checkBounds(kw);
    const sl = kw.strict_min === true;
    const sh = kw.strict_max === true;
    return simple((v) => between(v, kw.min_value, kw.max_value, sl, sh))(kw, rf);
  },
  expect_column_values_to_be_in_set: (kw, rf) => {
    if (kw.value_set === null || kw.value_set === undefined) return simple(() => true)(kw, rf);
    const set = new Set((kw.value_set as unknown[]).map(pyKey));
    return simple((v) => set.has(pyKey(v)))(kw, rf);
  },
  expect_column_values_to_not_be_in_set: (kw, rf) => {
    const set = new Set(((kw.value_set as unknown[] | null) ?? []).map(pyKey));
    return simple((v) => !set.has(pyKey(v)))(kw, rf);
  },
  expect_column_values_to_be_null: simple((v) => v === null, true),
  expect_column_values_to_not_be_null: simple((v) => v !== null, true),
  expect_column_values_to_be_of_type: (kw, rf) => typeOutcome(col(kw), rf, mostlyOf(kw), kw.type_ === null ? null : [typeof kw.type_ === 'string' ? kw.type_ : JSON.stringify(kw.type_)]),
  expect_column_values_to_be_in_type_list: (kw, rf) => typeOutcome(col(kw), rf, mostlyOf(kw), Array.isArray(kw.type_list) ? kw.type_list.map(String) : null),
  expect_column_values_to_be_unique: uniqueEval,
  expect_column_values_to_match_regex: regexTest({}, false),
  expect_column_values_to_not_match_regex: regexTest({}, true),
  expect_column_values_to_match_regex_list: (kw, rf) => {
    const res = (kw.regex_list as string[]).map(pyRegex);
    const all = kw.match_on === 'all';
    return simple((v, dt) => (all ? res.every((r) => r.test(pyStr(v, dt))) : res.some((r) => r.test(pyStr(v, dt)))))(kw, rf);
  },
  expect_column_values_to_not_match_regex_list: (kw, rf) => {
    const res = (kw.regex_list as string[]).map(pyRegex);
    return simple((v, dt) => !res.some((r) => r.test(pyStr(v, dt))))(kw, rf);
  },
  expect_column_values_to_match_strftime_format: (kw, rf) => {
    const fmt = String(kw.strftime_format);
    try {
      matchesStrftime('', fmt);
    } catch (e) {
      throw new GxError(`ValueError: ${(e as Error).message}`);
    }
    return simple((v) => {
      if (typeof v !== 'string') throw new GxError('TypeError: Values passed to expect_column_values_to_match_strftime_format must be of type string.');
      return matchesStrftime(v, fmt);
    })(kw, rf);
  },
  expect_column_values_to_be_dateutil_parseable: simple((v) => {
    if (typeof v !== 'string') throw new GxError('TypeError: Values passed to expect_column_values_to_be_dateutil_parseable must be of type string.');
    return dateutilParseable(v);
  }),
  expect_column_values_to_be_json_parseable: simple((v) => {
    if (typeof v !== 'string') return false;
    try {
      JSON.parse(v.replace(/\bNaN\b|-?\bInfinity\b/g, '0'));
      return true;
    } catch {
      return false;
    }
  }),
  expect_column_values_to_match_json_schema: (kw, rf) => {
    const validate = ajv.compile(kw.json_schema as object);
    return simple((v) => {
      try {
        return validate(typeof v === 'string' ? JSON.parse(v) : v) === true;
      } catch {
        return false;
      }
    })(kw, rf);
  },
  expect_column_values_to_be_increasing: (kw, rf) => monotone(kw, rf, 1),
  expect_column_values_to_be_decreasing: (kw, rf) => monotone(kw, rf, -1),
  expect_column_value_lengths_to_be_between: (kw, rf) => {
    checkBounds(kw, true, false);
    const sl = kw.strict_min === true;
    const sh = kw.strict_max === true;
    return simple((v) => typeof v === 'string' && between(len(v), kw.min_value, kw.max_value, sl, sh))(kw, rf);
  },
  expect_column_value_lengths_to_equal: (kw, rf) => simple((v) => typeof v === 'string' && len(v) === Number(kw.value))(kw, rf),
  expect_column_value_z_scores_to_be_less_than: zScoreEval,
};

export { typeMatcher };
