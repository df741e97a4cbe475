/**
 * Every poisoning check catches its attack at realistic strength, and a fresh clean split from the
 * same distribution passes every check. Data is generated here (deterministic PRNG, gen.ts).
 * Every validation rule's message is then rendered from the evidence these real runs produced: a
 * placeholder naming a field that is missing or empty fails (issue 13: `age drifted:  = 1.16`).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/report.js';
import { getField } from '../../src/rules/conditions.js';
import { profile } from '../../src/validation/profile.js';
import { validate } from '../../src/validation/validate.js';
import { ATTACKS, EXPECTED_RULE, makeRows, toCsv, type Row } from './gen.js';

const N = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'mlvet-poison-'));
let baselinePath = '';
let trusted: Row[] = [];
const seen: Finding[] = [];

function write(name: string, rows: Row[]): string {
  const p = join(dir, `${name}.csv`);
  writeFileSync(p, toCsv(rows));
  return p;
}

async function run(name: string, rows: Row[], extra: { checks?: string; suite?: string } = {}): Promise<{ failed: string[]; rules: string[] }> {
  const { report, validation } = await validate({ dataset: write(name, rows), baseline: baselinePath, label: 'label', spillBudget: 4096, ...extra });
  seen.push(...report.findings);
  const failed = validation.results.filter((r) => !r.success).map((r) => `${r.expectation_config.type}${typeof r.expectation_config.kwargs.column === 'string' ? '@' + r.expectation_config.kwargs.column : ''}`);
  return { failed, rules: [...new Set(report.findings.map((f) => f.ruleId))] };
}

beforeAll(async () => {
  trusted = makeRows(N, 1);
  const { baseline } = await profile({ dataset: write('trusted', trusted), label: 'label' });
  baselinePath = join(dir, 'baseline.json');
  writeFileSync(baselinePath, JSON.stringify(baseline));
  writeFileSync(join(dir, 'bounds.mlvet.json'), JSON.stringify({ name: 'bounds', expectations: [], meta: { mlvet: { thresholds: { expect_table_row_count_change_to_be_within: { max_relative_change: 0.1 } } } } }));
}, 120_000);

describe('poisoning checks', () => {
  it('a fresh clean split from the same distribution passes every check, ids detected and excluded', async () => {
    const { failed, rules } = await run('clean', makeRows(N, 2, { startId: 1e6 }));
    expect(failed).toEqual([]);
    expect(rules).toEqual([]);
    expect((JSON.parse(readFileSync(baselinePath, 'utf8')) as { ids: string[] }).ids).toEqual(['id']);
  });

  it('a clean batch a tenth of the baseline passes too (row count is informational)', async () => {
    const { failed } = await run('small', makeRows(N / 10, 7, { startId: 3e6 }));
    expect(failed).toEqual([]);
  });

  it.each(Object.keys(ATTACKS))('catches %s', async (attack) => {
    const rows = ATTACKS[attack]!(makeRows(N, 3, { startId: 2e6 }), 42, trusted);
    const { rules } = await run(attack, rows, attack === 'row_count_change' ? { checks: join(dir, 'bounds.mlvet.json') } : {});
    expect(rules).toContain(EXPECTED_RULE[attack]);
  });

  it('GX severities map to mlvet severities, and a failed suite expectation shows its bounds', async () => {
    const suite = join(dir, 'sev.json');
    const exp = (type: string, kwargs: Record<string, unknown>, severity?: string) => ({ type, kwargs, ...(severity ? { severity } : {}) });
    writeFileSync(suite, JSON.stringify({ name: 'sev', expectations: [
      exp('expect_column_values_to_be_between', { column: 'age', min_value: 30, max_value: 50 }),
      exp('expect_column_mean_to_be_between', { column: 'age', min_value: 0, max_value: 1 }, 'critical'),
      exp('expect_column_values_to_not_be_null', { column: 'age' }, 'warning'),
      exp('expect_column_max_to_be_between', { column: 'income', max_value: 10 }, 'info'),
      exp('expect_column_values_to_not_be_null', { column: 'no_such_column' }),
    ] }));
    const { rules } = await run('sev', ATTACKS.null_injection!(makeRows(2000, 5, { startId: 4e6 }), 1, trusted), { suite });
    const sev = Object.fromEntries(seen.filter((f) => f.ruleId.startsWith('validation/expectation')).map((f) => [f.ruleId, f.severity]));
    expect(sev).toEqual({
      'validation/expectation-failed': 'high',
      'validation/expectation-failed-critical': 'critical',
      'validation/expectation-failed-warning': 'medium',
      'validation/expectation-failed-info': 'info',
      'validation/expectation-error': 'medium',
    });
    expect(rules).toContain('validation/expectation-failed');
    const between = seen.find((f) => f.evidence.type === 'expect_column_values_to_be_between')!;
    expect([between.evidence.threshold, between.location.row, (between.evidence.examples as Array<{ row: number }>)[0]!.row > 0]).toEqual([{ min_value: 30, max_value: 50 }, (between.evidence.examples as Array<{ row: number }>)[0]!.row, true]);
  });

  it('every validation rule renders from real evidence, with no empty placeholder', () => {
    const rulesDir = join(__dirname, '../../rules/validation');
    const templates = new Map(readdirSync(rulesDir).map((f) => {
      const r = JSON.parse(readFileSync(join(rulesDir, f), 'utf8')) as { id: string; message: string };
      return [r.id, r.message] as const;
    }));
    const empty: string[] = [];
    for (const f of seen) {
      for (const [, path] of (templates.get(f.ruleId) ?? '').matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) {
        const v = getField(f.evidence, path!);
        if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)) empty.push(`${f.ruleId}: {{${path}}} in "${f.message}"`);
      }
    }
    expect(empty).toEqual([]);
    expect([...templates.keys()].filter((id) => !seen.some((f) => f.ruleId === id)).sort()).toEqual([]);
  });
});
