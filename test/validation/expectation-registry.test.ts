/**
 * The GX expectation registry and the poisoning-check registry are lists of records (kwargs and
 * implementation together). These tables check every record: well-formed, uniquely named, loadable
 * from a suite with only its required kwargs, and buildable into an evaluator; and that every
 * expectation type in the GX conformance vectors has a record.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { buildEvaluator } from '../../src/validation/gx/build.js';
import { parseResultFormat } from '../../src/validation/gx/result-format.js';
import { POISON_CHECK_LIST, POISON_CHECKS } from '../../src/validation/poison/checks.js';
import { parseSuite } from '../../src/validation/suite/load.js';
import { GX_EXPECTATION_LIST, GX_EXPECTATIONS, GX_NOT_RUNNABLE } from '../../src/validation/suite/registry.js';
import { MlvetError } from '../../src/errors.js';

/** a value GX accepts for each kwarg some expectation requires */
const SAMPLE: Record<string, unknown> = {
  column: 'a',
  column_A: 'a',
  column_B: 'b',
  column_list: ['a', 'b'],
  column_set: ['a', 'b'],
  value: 1,
  value_set: [1],
  value_pairs_set: [[1, 1]],
  type_: 'int',
  regex: 'x',
  regex_list: ['x'],
  strftime_format: '%Y',
  json_schema: { type: 'object' },
  threshold: 3,
  quantile_ranges: { quantiles: [0.5], value_ranges: [[0, 1]] },
  sum_total: 1,
  label: 'label',
};

const required = (r: { kwargs: readonly string[]; required: readonly string[] }): Record<string, unknown> => {
  const kw: Record<string, unknown> = Object.fromEntries(r.required.map((k) => [k, SAMPLE[k]]));
  // GX raises on a range expectation with no bound at all; give it one
  if (r.kwargs.includes('min_value')) kw.min_value = 0;
  return kw;
};

const SHARED = ['result_format', 'catch_exceptions', 'meta', 'notes', 'description', 'id', 'batch_id'];
const KIND_KWARGS: Record<string, string[]> = {
  table: [],
  map: ['column', 'mostly'],
  aggregate: ['column'],
  pair: ['column_A', 'column_B', 'ignore_row_if', 'mostly'],
  multi: ['column_list', 'ignore_row_if', 'mostly'],
};

describe('GX expectation registry', () => {
  it('names every type once, apart from the poisoning checks and the not-runnable GX types', () => {
    const names = GX_EXPECTATION_LIST.map((e) => e.type);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(GX_EXPECTATIONS).sort()).toEqual([...names].sort());
    expect(names.filter((n) => n in POISON_CHECKS || Object.hasOwn(GX_NOT_RUNNABLE, n))).toEqual([]);
    expect(names.length).toBe(49);
  });

  it.each(GX_EXPECTATION_LIST.map((e) => [e.type, e] as const))('%s is well-formed', (type, e) => {
    expect(type).toMatch(/^expect_[a-z0-9_]+$/);
    expect(new Set(e.kwargs).size).toBe(e.kwargs.length);
    expect(e.kwargs).toEqual(expect.arrayContaining([...SHARED, 'row_condition', 'condition_parser', ...KIND_KWARGS[e.kind]!]));
    expect(e.kwargs).toEqual(expect.arrayContaining([...e.required]));
    expect(typeof e.create).toBe('function');
  });

  it.each(GX_EXPECTATION_LIST.map((e) => [e.type, e] as const))('%s loads with only its required kwargs and builds an evaluator', (type, e) => {
    const suite = parseSuite({ name: 's', expectations: [{ type, kwargs: required(e) }] });
    const [config] = suite.expectations;
    const ev = buildEvaluator(config!, config!.kwargs, 'COMPLETE');
    expect([1, 2]).toContain(ev.passes);
    expect(typeof ev.update).toBe('function');
    expect(typeof ev.finish).toBe('function');
    expect(() => e.create(required(e), parseResultFormat(undefined))).not.toThrow();
  });

  const vectorsDir = join(ROOT, 'fixtures', 'vectors', 'gx-conformance');
  it('has a record for every expectation type in the GX conformance vectors', () => {
    expect(existsSync(vectorsDir), `missing vendored vectors ${vectorsDir}`).toBe(true);
    const types = new Set<string>();
    for (const category of readdirSync(vectorsDir).filter((d) => d.endsWith('_expectations'))) {
      for (const f of readdirSync(join(vectorsDir, category)).filter((n) => n.endsWith('.json'))) {
        const doc = JSON.parse(readFileSync(join(vectorsDir, category, f), 'utf8').replace(/\bNaN\b|-?\bInfinity\b/g, 'null')) as { expectation_type: string };
        types.add(doc.expectation_type);
      }
    }
    expect(types.size).toBeGreaterThan(0);
    expect([...types].filter((t) => !GX_EXPECTATIONS[t]).sort()).toEqual([]);
  });
});

describe('poisoning check registry', () => {
  it('names every check once', () => {
    const names = POISON_CHECK_LIST.map((c) => c.type);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(POISON_CHECKS).sort()).toEqual([...names].sort());
    expect(names.length).toBe(22);
  });

  it.each(POISON_CHECK_LIST.map((c) => [c.type, c] as const))('%s is well-formed and loads with only its required kwargs', (type, c) => {
    expect(type).toMatch(/^expect_(table|column)_[a-z0-9_]+$/);
    expect(new Set(c.kwargs).size).toBe(c.kwargs.length);
    expect(c.kwargs).toEqual(expect.arrayContaining([...SHARED, ...c.required]));
    expect(c.doc.length).toBeGreaterThan(10);
    expect(typeof c.run).toBe('function');
    const suite = parseSuite({ name: 's', expectations: [{ type, kwargs: required(c) }] });
    expect(suite.expectations.map((e) => e.type)).toEqual([type]);
  });
});

describe('suite loading against the registries', () => {
  it.each([
    ['an unknown type', 'expect_column_values_to_be_purple'],
    ['a GX type no file backend runs', 'expect_column_values_to_match_like_pattern'],
    ["an Object.prototype name", 'toString'],
    ["another Object.prototype name", 'constructor'],
  ])('refuses %s at load time (SUITE_INVALID)', (_what, type) => {
    let err: unknown;
    try {
      parseSuite({ name: 's', expectations: [{ type, kwargs: { column: 'a' } }] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MlvetError);
    expect((err as MlvetError).code).toBe('SUITE_INVALID');
  });
});
