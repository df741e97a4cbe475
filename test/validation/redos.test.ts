/**
 * Issue 12: `^(a+)+$` against "a"*60 + "b" ran for ever. A suite is input, so patterns RE2 accepts
 * run on RE2 (linear time) and the rest (backreferences, lookaround) on a worker within a time budget;
 * an overrun is LIMIT_EXCEEDED (exit 2) naming the expectation. The worker is the built one in dist/
 * (`npx tsc -p tsconfig.build.json`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMlvetError } from '../../src/errors.js';
import { datasetErrorExit } from '../../src/validation/exit.js';
import { pyRegex } from '../../src/validation/suite/regex.js';
import { validate } from '../../src/validation/validate.js';

const EVIL = 'a'.repeat(60) + 'b';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlvet-redos-'));
  writeFileSync(join(dir, 'd.csv'), 'id,s\n' + Array.from({ length: 200 }, (_, i) => `${i},${EVIL}`).join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function suite(expectations: Array<{ type: string; kwargs: Record<string, unknown> }>): string {
  const p = join(dir, `s${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify({ name: 'redos', expectations }));
  return p;
}

describe('catastrophic patterns RE2 accepts finish in linear time', () => {
  it.each([
    ['^(a+)+$', false],
    ['^(a|a)+$', false],
    ['^(a|aa)+$', false],
    ['(a*)*b$', true],
    ['^(\\w+\\s?)*$', true],
    ['^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$', false],
    ['(?i)^(A+)+$', false],
    ['(?P<x>a+)+\\Z', false],
  ])('%s', (pattern, want) => {
    const m = pyRegex(pattern);
    const t0 = performance.now();
    expect([m.engine, m.test(EVIL.repeat(100))]).toEqual(['re2', want]);
    expect(performance.now() - t0).toBeLessThan(1000);
  }, 5_000);

  it.each([
    ['expect_column_values_to_match_regex', { column: 's', regex: '^(a+)+$' }, 200],
    ['expect_column_values_to_match_regex_list', { column: 's', regex_list: ['^(a+)+$', '^(a|aa)+$'] }, 200],
    ['expect_column_values_to_not_match_regex', { column: 's', regex: '^(a+)+b$' }, 200],
  ])('%s through validate()', async (type, kwargs, unexpected) => {
    const { validation } = await validate({ dataset: join(dir, 'd.csv'), suite: suite([{ type, kwargs }]), poisoning: false });
    expect(validation.results.map((r) => [r.success, r.result.unexpected_count])).toEqual([[false, unexpected]]);
  }, 20_000);
});

describe('patterns that need backtracking run within a budget', () => {
  it.each([
    ['^(a+)+(?=c)', 'lookahead'],
    ['^(a|aa)+(?!b)c', 'negative lookahead'],
    ['^(?P<x>a+)+(?P=x)c', 'backreference'],
    ['^(a+)+(?<=x)c', 'lookbehind'],
  ])('%s (%s) is LIMIT_EXCEEDED naming the expectation', async (regex) => {
    process.env.MLVET_REGEX_BUDGET_MS = '300';
    try {
      const t0 = performance.now();
      let err: unknown;
      try {
        await validate({ dataset: join(dir, 'd.csv'), suite: suite([{ type: 'expect_column_values_to_match_regex', kwargs: { column: 's', regex } }]), poisoning: false });
      } catch (e) {
        err = e;
      }
      expect(isMlvetError(err) && [err.code, err.message.startsWith('expect_column_values_to_match_regex on column "s" '), datasetErrorExit(err)]).toEqual(['LIMIT_EXCEEDED', true, 2]);
      expect(performance.now() - t0).toBeLessThan(8000);
    } finally {
      delete process.env.MLVET_REGEX_BUDGET_MS;
    }
  }, 20_000);

  it.each([
    ['(a)\\1', 'xaay', true],
    ['(?P<y>\\d{4})-(?P=y)', '2020-2020', true],
    ['a(?=b)', 'ab', true],
    ['a(?!b)', 'ab', false],
  ])('%s on %j → %s, on the worker', (pattern, value, want) => engineCase(pattern, value, want, 'js'), 10_000);
});

describe('RE2 keeps Python semantics', () => {
  it.each([
    ['abc$', 'abc\n', true],
    ['abc$', 'abc\n\n', false],
    ['abc\\Z', 'abc\n', false],
    ['^a.c$', 'a\rc', true],
    ['a.c', 'a\nc', false],
    ['(?s)a.c', 'a\nc', true],
    ['(?m)^b$', 'a\nb\nc', true],
    ['\\w+$', 'café', true],
    ['^\\d+$', '١٢٣', true],
    ['^\\s$', '\u00a0', true],
    ['[\\w-]+@x', 'é-a@x', true],
    ['\\bfoo\\b', 'a foo b', true],
    ['[]a]', ']', true],
    ['\\-\\_\\#', '-_#', true],
    ['(?x) a  b # comment', 'ab', true],
    ['(?i)straße', 'STRASSE', false],
    ['\\x41', 'A', true],
  ])('%s on %j → %s', (pattern, value, want) => engineCase(pattern, value, want, 're2'), 5_000);
});

function engineCase(pattern: string, value: string, want: boolean, engine: 're2' | 'js'): void {
  const m = pyRegex(pattern);
  expect([m.engine, m.test(value)]).toEqual([engine, want]);
}
