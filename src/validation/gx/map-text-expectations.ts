/**
 * GX's column map expectations about text: regular expressions (Python `re`, translated), strftime
 * formats, dateutil-parseable dates and JSON. Predicates follow the pandas implementations in GX 1.2
 * (`expectations/metrics/column_map_metrics/*`).
 */
import type { Ajv } from 'ajv';
import { createRequire } from 'node:module';
import { pyRegex } from '../suite/regex.js';
import { ColumnMapEval, columnOf, mostlyOf, simple } from './column-map.js';
import type { Evaluator } from './evaluator.js';
import { gx, MAP_KWARGS, type GxExpectation, type Kwargs } from './expectation.js';
import type { ResultFormat } from './result-format.js';
import { dateutilParseable, matchesStrftime } from './strftime.js';
import { GxError, pyStr } from './values.js';

const MAP = { kind: 'map', required: ['column'] } as const;

/** names the expectation in a regex budget overrun (exit 2) */
const nameOf = (type: string, kw: Kwargs): string => `${type} on column ${JSON.stringify(kw.column)}`;

function regexTest(negate: boolean): GxExpectation['create'] {
  const type = negate ? 'expect_column_values_to_not_match_regex' : 'expect_column_values_to_match_regex';
  return (kw, rf) => {
    const re = pyRegex(typeof kw.regex === 'string' ? kw.regex : '(?s).*', nameOf(type, kw));
    return new ColumnMapEval({ column: columnOf(kw), rf, mostly: mostlyOf(kw) }, (v, dt) => re.test(pyStr(v, dt)) !== negate);
  };
}

function regexList(kw: Kwargs, rf: ResultFormat): Evaluator {
  const res = (kw.regex_list as string[]).map((p) => pyRegex(p, nameOf('expect_column_values_to_match_regex_list', kw)));
  const all = kw.match_on === 'all';
  return simple((v, dt) => (all ? res.every((r) => r.test(pyStr(v, dt))) : res.some((r) => r.test(pyStr(v, dt)))))(kw, rf);
}

function notRegexList(kw: Kwargs, rf: ResultFormat): Evaluator {
  const res = (kw.regex_list as string[]).map((p) => pyRegex(p, nameOf('expect_column_values_to_not_match_regex_list', kw)));
  return simple((v, dt) => !res.some((r) => r.test(pyStr(v, dt))))(kw, rf);
}

function strftime(kw: Kwargs, rf: ResultFormat): Evaluator {
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
}

const dateutil = simple((v) => {
  if (typeof v !== 'string') throw new GxError('TypeError: Values passed to expect_column_values_to_be_dateutil_parseable must be of type string.');
  return dateutilParseable(v);
});

const jsonParseable = simple((v) => {
  if (typeof v !== 'string') return false;
  try {
    JSON.parse(v.replace(/\bNaN\b|-?\bInfinity\b/g, '0'));
    return true;
  } catch {
    return false;
  }
});

let ajv: Ajv | undefined;

/** the ajv compiler only for a suite that has a json_schema expectation (it costs ~30 ms to load) */
function jsonSchemaAjv(): Ajv {
  if (!ajv) {
    const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    ajv = new AjvClass({ allErrors: false, strict: false });
  }
  return ajv;
}

function jsonSchema(kw: Kwargs, rf: ResultFormat): Evaluator {
  const validate = jsonSchemaAjv().compile(kw.json_schema as object);
  return simple((v) => {
    try {
      return validate(typeof v === 'string' ? JSON.parse(v) : v) === true;
    } catch {
      return false;
    }
  })(kw, rf);
}

export const MAP_TEXT_EXPECTATIONS: readonly GxExpectation[] = [
  gx({ type: 'expect_column_values_to_match_regex', ...MAP, kwargs: [...MAP_KWARGS, 'regex'], create: regexTest(false) }),
  gx({ type: 'expect_column_values_to_not_match_regex', ...MAP, kwargs: [...MAP_KWARGS, 'regex'], required: ['column', 'regex'], create: regexTest(true) }),
  gx({
    type: 'expect_column_values_to_match_regex_list',
    ...MAP,
    kwargs: [...MAP_KWARGS, 'regex_list', 'match_on'],
    required: ['column', 'regex_list'],
    create: regexList,
  }),
  gx({ type: 'expect_column_values_to_not_match_regex_list', ...MAP, kwargs: [...MAP_KWARGS, 'regex_list'], required: ['column', 'regex_list'], create: notRegexList }),
  gx({
    type: 'expect_column_values_to_match_strftime_format',
    ...MAP,
    kwargs: [...MAP_KWARGS, 'strftime_format'],
    required: ['column', 'strftime_format'],
    create: strftime,
  }),
  gx({ type: 'expect_column_values_to_be_dateutil_parseable', ...MAP, kwargs: MAP_KWARGS, create: dateutil }),
  gx({ type: 'expect_column_values_to_be_json_parseable', ...MAP, kwargs: MAP_KWARGS, create: jsonParseable }),
  gx({ type: 'expect_column_values_to_match_json_schema', ...MAP, kwargs: [...MAP_KWARGS, 'json_schema'], required: ['column', 'json_schema'], create: jsonSchema }),
];
