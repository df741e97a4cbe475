/**
 * `mlvet validate` and `mlvet profile` as a user runs them: every reader on the same small table,
 * suites in both GX formats, exit codes (0 clean, 1 failed expectation, 2 unreadable rows, 3 bad
 * suite or unreadable dataset), the GX result in `validation` and with `--format gx`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, runCliJson } from '../helpers/cli.js';
import { GX_EXPECTATIONS } from '../../src/validation/suite/registry.js';

const D = join(FIXTURES, 'datasets');
const suite = join(D, 'suite-gx1.json');

type Gx = { success: boolean; results: Array<{ success: boolean; result: Record<string, unknown>; expectation_config: { type: string } }>; statistics: Record<string, number> };

describe('mlvet validate: readers', () => {
  it.each(['small.csv', 'small.tsv', 'small.jsonl', 'small.jsonl.gz', 'small.csv.gz', 'small.csv.zst', 'small.parquet', 'small.arrow', 'hf-layout'])(
    '%s reads as the same 40-row table and passes the suite',
    async (name) => {
      const r = await runCliJson(['validate', join(D, name), '--suite', suite, '--no-poisoning']);
      const v = r.report.validation as Gx;
      expect(r.code).toBe(0);
      expect(v.success).toBe(true);
      expect(v.statistics.evaluated_expectations).toBe(4);
      expect(v.results[3]!.result.observed_value).toBe(40);
    },
  );
});

describe('mlvet validate: suites and exit codes', () => {
  it('reads a GX 0.x suite (expectation_type, evaluation_parameters) unchanged', async () => {
    const r = await runCliJson(['validate', join(D, 'small.csv'), '--suite', join(D, 'suite-gx0.json'), '--no-poisoning']);
    expect(r.code).toBe(0);
    expect((r.report.validation as Gx).success).toBe(true);
  });
  it("a failed expectation is a 'validation/expectation-failed' finding and exit 1", async () => {
    const r = await runCliJson(['validate', join(D, 'small.csv'), '--suite', join(D, 'suite-failing.json'), '--no-poisoning']);
    expect(r.code).toBe(1);
    const f = (r.report.findings as Array<{ ruleId: string; evidence: Record<string, unknown> }>)[0]!;
    expect(f.ruleId).toBe('validation/expectation-failed');
    expect(f.evidence.unexpected_count).toBe(9);
  });
  it("an expectation on a missing column is 'validation/expectation-error', not a pass", async () => {
    const r = await runCliJson(['validate', join(D, 'small.csv'), '--suite', join(D, 'suite-missing-column.json'), '--no-poisoning']);
    expect(r.code).toBe(1);
    expect((r.report.findings as Array<{ ruleId: string }>).map((f) => f.ruleId)).toEqual(['validation/expectation-error']);
  });
  it.each(['suite-unknown-type.json', 'suite-unknown-kwarg.json'])('%s is rejected with exit 3 and names the problem', async (name) => {
    const r = await runCli(['validate', join(D, 'small.csv'), '--suite', join(D, name)]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/SUITE_INVALID/);
  });
  it.each([
    ['bad-rows.jsonl', 3],
    ['bad-rows.csv', 5],
  ])('%s: unreadable rows are named (row %i) and the rest is validated (exit 2)', async (name, row) => {
    const r = await runCliJson(['validate', join(D, name), '--suite', join(D, 'suite-rows-39.json'), '--no-poisoning']);
    expect(r.code).toBe(2);
    const inc = r.report.inconclusive as Array<{ path: string; message: string; code: string }>;
    expect(inc[0]!.code).toBe('PARSE_ERROR');
    expect(inc[0]!.message).toContain(`row ${row}:`);
    expect(((r.report.validation as Gx).results[3]!.result.observed_value as number)).toBe(39);
  });
  it('unreadable content is exit 2, a missing dataset exit 3 (one rule for every reader)', async () => {
    expect((await runCli(['validate', join(D, 'not-parquet.parquet'), '--poisoning'])).code).toBe(2);
    expect((await runCli(['profile', join(D, 'not-parquet.parquet'), '--out', join(D, 'never-written.json')])).code).toBe(2);
    expect((await runCli(['validate', join(D, 'does-not-exist.csv')])).code).toBe(3);
  });
  it('nothing checked is a usage error, exit 3, never clean', async () => {
    const r = await runCli(['validate', join(D, 'small.csv')]);
    expect([r.code, r.stderr.includes('nothing to check')]).toEqual([3, true]);
  });
  it('--format gx prints the pure GX 1.x validation result', async () => {
    const r = await runCli(['validate', join(D, 'small.csv'), '--suite', suite, '--no-poisoning', '--format', 'gx']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as Gx & { suite_name: string; meta: Record<string, unknown> };
    expect(v.suite_name).toBe('small');
    expect(v.meta.great_expectations_version).toBe('1.2.0');
    expect(v.results.map((x) => x.expectation_config.type)).toContain('expect_table_row_count_to_equal');
  });
  it('SARIF output carries validation findings', async () => {
    const r = await runCli(['validate', join(D, 'small.csv'), '--suite', join(D, 'suite-failing.json'), '--no-poisoning', '--format', 'sarif']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('validation/expectation-failed');
  });
});

describe('mlvet profile', () => {
  it('writes a baseline and a suite that uses only GX core types and kwargs, which validates its own data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlvet-prof-'));
    const b = join(dir, 'b.json');
    const s = join(dir, 's.json');
    const p = await runCli(['profile', join(D, 'small.parquet'), '--out', b, '--label', 'label', '--suite-out', s]);
    expect(p.code).toBe(0);
    const base = JSON.parse(readFileSync(b, 'utf8')) as { rows: number; label: { counts: Record<string, number> } };
    expect(base.rows).toBe(40);
    expect(base.label.counts).toEqual({ neg: 20, pos: 20 });
    const gx = JSON.parse(readFileSync(s, 'utf8')) as { name: string; id: string; expectations: Array<{ type: string; kwargs: Record<string, unknown>; id: string }> };
    for (const e of gx.expectations) {
      const spec = GX_EXPECTATIONS[e.type]!;
      expect(spec, e.type).toBeDefined();
      for (const k of Object.keys(e.kwargs)) expect(spec.kwargs).toContain(k);
      expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const v = await runCliJson(['validate', join(D, 'small.parquet'), '--suite', s, '--baseline', b, '--label', 'label']);
    expect((v.report.validation as Gx).results.filter((x) => !x.success).map((x) => x.expectation_config.type)).toEqual([]);
    expect(v.code).toBe(0);
  });
});

describe('--memory-limit', () => {
  it('a small limit gives the same baseline and the same findings as the default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlvet-mem-'));
    const base = (limit?: string): Promise<Record<string, unknown>> =>
      runCli(['profile', join(D, 'small.csv'), '--out', join(dir, `b${limit ?? ''}.json`), '--label', 'label', ...(limit ? ['--memory-limit', limit] : [])]).then((p) => {
        expect(p.code, p.stderr).toBe(0);
        const b = JSON.parse(readFileSync(join(dir, `b${limit ?? ''}.json`), 'utf8')) as Record<string, unknown>;
        delete b.createdAt;
        return b;
      });
    const [a, b] = [await base(), await base('64MB')];
    expect(b).toEqual(a);
    const v = (limit?: string) => runCliJson(['validate', join(D, 'small.csv'), '--baseline', join(dir, 'b.json'), '--label', 'label', ...(limit ? ['--memory-limit', limit] : [])]);
    const [x, y] = [await v(), await v('64MB')];
    expect(y.code).toBe(x.code);
    expect(y.report.findings).toEqual(x.report.findings);
  });
  it.each(['lots', '32MB', '12'])('--memory-limit %s is a usage error (exit 3) naming the flag', async (limit) => {
    const r = await runCli(['validate', join(D, 'small.csv'), '--memory-limit', limit]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--memory-limit/);
  });
});
