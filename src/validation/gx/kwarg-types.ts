/**
 * The declared type of every GX kwarg, as GX 1.x's pydantic models declare it. GX checks these when
 * a suite is built (a `{"column": ["id"]}` is a ValidationError there); without the check mlvet would
 * coerce the list to `"id"` and pass. Names mean the same across GX's expectation classes, so the
 * table is by name; a record may override one name with its own `types` entry.
 * `{"$PARAMETER": …}` stands for any type until it is resolved, and is accepted for every kwarg.
 */

export type KwargType =
  | 'string'
  | 'string?'
  | 'string[]'
  | 'string[]?'
  | 'array?'
  | 'number'
  | 'number?'
  | 'integer'
  | 'integer?'
  | 'bound'
  | 'boolean'
  | 'boolean?'
  | 'object?'
  | 'ratio?'
  | 'result_format'
  | 'notes'
  | 'any';

/** kwarg name → declared type; a name not listed is not type-checked (`any`) */
export const KWARG_TYPES: Readonly<Record<string, KwargType>> = {
  column: 'string',
  column_A: 'string',
  column_B: 'string',
  column_list: 'string[]',
  column_set: 'string[]?',
  regex: 'string',
  regex_list: 'string[]',
  type_: 'string',
  type_list: 'string[]?',
  strftime_format: 'string',
  ignore_row_if: 'string',
  match_on: 'string',
  condition_parser: 'string?',
  row_condition: 'string?',
  description: 'string?',
  id: 'string?',
  batch_id: 'string?',
  value_set: 'array?',
  value_pairs_set: 'array?',
  windows: 'array?',
  min_value: 'bound',
  max_value: 'bound',
  mostly: 'ratio?',
  strict_min: 'boolean',
  strict_max: 'boolean',
  strictly: 'boolean?',
  ties_okay: 'boolean?',
  exact_match: 'boolean?',
  or_equal: 'boolean?',
  double_sided: 'boolean',
  bucketize_data: 'boolean',
  catch_exceptions: 'boolean?',
  column_index: 'integer?',
  threshold: 'number?',
  sum_total: 'number',
  tail_weight_holdout: 'number',
  internal_weight_holdout: 'number',
  json_schema: 'object?',
  partition_object: 'object?',
  quantile_ranges: 'object?',
  meta: 'object?',
  rendered_content: 'any',
  result_format: 'result_format',
  notes: 'notes',
};

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isParam = (v: unknown): boolean => isObj(v) && '$PARAMETER' in v;
const isNum = (v: unknown): boolean => typeof v === 'number' && !Number.isNaN(v);
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

const CHECKS: Record<KwargType, [(v: unknown) => boolean, string]> = {
  string: [(v) => typeof v === 'string', 'a string'],
  'string?': [(v) => v === null || typeof v === 'string', 'a string or null'],
  'string[]': [isStrings, 'a list of strings'],
  'string[]?': [(v) => v === null || isStrings(v), 'a list of strings or null'],
  'array?': [(v) => v === null || Array.isArray(v), 'a list or null'],
  number: [isNum, 'a number'],
  'number?': [(v) => v === null || isNum(v), 'a number or null'],
  integer: [(v) => Number.isInteger(v), 'an integer'],
  'integer?': [(v) => v === null || Number.isInteger(v), 'an integer or null'],
  // GX bounds are numbers, datetime strings, or null for "unbounded"
  bound: [(v) => v === null || isNum(v) || typeof v === 'string', 'a number, a date string or null'],
  boolean: [(v) => typeof v === 'boolean', 'true or false'],
  'boolean?': [(v) => v === null || typeof v === 'boolean', 'true, false or null'],
  'object?': [(v) => v === null || isObj(v), 'an object or null'],
  'ratio?': [(v) => v === null || (isNum(v) && (v as number) >= 0 && (v as number) <= 1), 'a number in [0, 1]'],
  result_format: [(v) => v === null || typeof v === 'string' || isObj(v), 'a string or an object'],
  notes: [(v) => v === null || typeof v === 'string' || isStrings(v), 'a string or a list of strings'],
  any: [() => true, 'anything'],
};

function shape(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40) ?? ''}`.trim();
}

/** Why `value` does not fit kwarg `name`'s declared type, or undefined when it does. */
export function kwargTypeProblem(name: string, value: unknown, own?: Readonly<Record<string, KwargType>>): string | undefined {
  const t = own?.[name] ?? KWARG_TYPES[name] ?? 'any';
  if (isParam(value)) return undefined;
  const [ok, want] = CHECKS[t];
  return ok(value) ? undefined : `kwarg "${name}" must be ${want}, got ${shape(value)}`;
}
