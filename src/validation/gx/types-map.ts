/**
 * `expect_column_values_to_be_of_type` / `_in_type_list` on pandas: when the column dtype is not
 * `object` (or the asked type is an object type) the answer is about the dtype, as an aggregate with
 * `observed_value` = numpy type name; for `object` columns each value's Python type is checked.
 */
import { ColumnMapEval } from './column-map.js';
import type { Evaluator } from './evaluator.js';
import type { ResultFormat } from './result-format.js';
import { dtypeTypeName, GxError } from './values.js';
import type { Dtype } from '../types.js';

/** numpy `np.dtype(name).type.__name__`, or pandas class names GX looks up with getattr */
const NP_TYPE: Record<string, string> = {
  int: 'int64', int64: 'int64', int_: 'int64', long: 'int64', i8: 'int64', '<i8': 'int64', Int64: 'Int64Dtype',
  float: 'float64', float64: 'float64', float_: 'float64', double: 'float64', f8: 'float64', '<f8': 'float64',
  bool: 'bool_', bool_: 'bool_', '?': 'bool_', b1: 'bool_',
  object: 'object_', object_: 'object_', O: 'object_',
  str: 'str_', str_: 'str_', U: 'str_', unicode: 'str_',
  bytes: 'bytes_', bytes_: 'bytes_', S: 'bytes_',
  datetime64: 'datetime64', 'datetime64[ns]': 'datetime64', M8: 'datetime64', '<M8[ns]': 'datetime64',
  Timestamp: 'Timestamp',
  int32: 'int32', int16: 'int16', int8: 'int8', uint8: 'uint8', uint64: 'uint64', float32: 'float32', float16: 'float16',
};

/** Python native types GX also accepts (`_native_type_type_map`) */
const NATIVE: Record<string, string[]> = {
  none: ['NoneType'], bool: ['bool'], int: ['int'], long: ['int'], float: ['float'], bytes: ['bytes'],
  complex: ['complex'], str: ['str'], string_types: ['str'], list: ['list'], dict: ['dict'],
};

function pyTypesOf(v: unknown): string[] {
  if (typeof v === 'boolean') return ['bool', 'int']; // bool subclasses int
  if (typeof v === 'number') return Number.isInteger(v) ? ['int'] : ['float'];
  if (typeof v === 'string') return ['str'];
  if (Array.isArray(v)) return ['list'];
  if (v instanceof Date) return ['Timestamp', 'datetime'];
  if (v === null) return ['NoneType'];
  return ['dict'];
}

/** which value-level Python types satisfy a GX type name, or null if GX would not recognise it */
export function typeMatcher(name: string): Set<string> | null {
  const out = new Set<string>();
  const np = NP_TYPE[name];
  if (np === 'str_') out.add('str');
  if (np === 'Timestamp') out.add('Timestamp');
  for (const t of NATIVE[name.toLowerCase()] ?? []) out.add(t);
  return out.size || np ? out : null;
}

export function typeOutcome(column: string, rf: ResultFormat, mostly: number, names: string[] | null): Evaluator {
  const matchers = (names ?? []).map((n) => typeMatcher(n));
  const test = (v: unknown): boolean => {
    if (names === null) return true;
    if (matchers.every((m) => m === null)) throw new GxError(`ValueError: Unrecognized numpy/python type: ${names.join(', ')}`);
    const types = pyTypesOf(v);
    return matchers.some((m) => m !== null && types.some((t) => m.has(t)));
  };
  return new ColumnMapEval({
    column,
    rf,
    mostly,
    override: (ctx, mapResult) => {
      const dtype: Dtype = ctx.dtype(column);
      const objectAsked = names !== null && names.length > 0 && names.every((n) => ['object', 'object_', 'O'].includes(n));
      if (names !== null && dtype === 'object' && !objectAsked) return mapResult();
      const observed = dtypeTypeName(dtype);
      const success = names === null || names.some((n) => NP_TYPE[n] === observed || (NATIVE[n.toLowerCase()] ?? []).some((t) => nativeMatchesDtype(t, dtype)));
      return { success, result: { observed_value: observed } };
    },
  }, test);
}

function nativeMatchesDtype(t: string, d: Dtype): boolean {
  // a numpy scalar type is not a Python native type, except float64 subclasses float
  return (t === 'float' && d === 'float64');
}
