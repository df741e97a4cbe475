/**
 * Every poisoning check catches its attack at realistic strength, and a fresh clean split from the
 * same distribution passes every check. Data is generated here (deterministic PRNG, gen.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { profile } from '../../src/validation/profile.js';
import { validate } from '../../src/validation/validate.js';
import { ATTACKS, EXPECTED_RULE, makeRows, toCsv, type Row } from './gen.js';

const N = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'mlvet-poison-'));
let baselinePath = '';
let trusted: Row[] = [];

function write(name: string, rows: Row[]): string {
  const p = join(dir, `${name}.csv`);
  writeFileSync(p, toCsv(rows));
  return p;
}

async function run(name: string, rows: Row[]): Promise<{ failed: string[]; rules: string[] }> {
  const { report, validation } = await validate({ dataset: write(name, rows), baseline: baselinePath, label: 'label', spillBudget: 4096 });
  const failed = validation.results.filter((r) => !r.success).map((r) => `${r.expectation_config.type}${typeof r.expectation_config.kwargs.column === 'string' ? '@' + r.expectation_config.kwargs.column : ''}`);
  return { failed, rules: [...new Set(report.findings.map((f) => f.ruleId))] };
}

beforeAll(async () => {
  trusted = makeRows(N, 1);
  const { baseline } = await profile({ dataset: write('trusted', trusted), label: 'label' });
  baselinePath = join(dir, 'baseline.json');
  writeFileSync(baselinePath, JSON.stringify(baseline));
}, 120_000);

describe('poisoning checks', () => {
  it('a fresh clean split from the same distribution passes every check', async () => {
    const { failed, rules } = await run('clean', makeRows(N, 2, { startId: 1e6 }));
    expect(failed).toEqual([]);
    expect(rules).toEqual([]);
  });

  it.each(Object.keys(ATTACKS))('catches %s', async (attack) => {
    const rows = ATTACKS[attack]!(makeRows(N, 3, { startId: 2e6 }), 42, trusted);
    const { rules } = await run(attack, rows);
    expect(rules).toContain(EXPECTED_RULE[attack]);
  });
});
