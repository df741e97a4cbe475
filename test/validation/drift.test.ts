/**
 * Dataset-level drift: when most columns move at once, 'validation/drifted-columns' fires on top of
 * the per-column drift findings; a resample of the same data does not.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profile } from '../../src/validation/profile.js';
import { validate } from '../../src/validation/validate.js';
import { makeRows, toCsv, type Row } from './gen.js';

describe("'validation/drifted-columns'", () => {
  it.each([
    ['shifted', true],
    ['same distribution', false],
  ])('%s → %s', async (name, fires) => {
    const dir = mkdtempSync(join(tmpdir(), 'mlvet-drift-'));
    writeFileSync(join(dir, 't.csv'), toCsv(makeRows(3000, 7)));
    const { baseline } = await profile({ dataset: join(dir, 't.csv') });
    writeFileSync(join(dir, 'b.json'), JSON.stringify(baseline));
    let rows: Row[] = makeRows(3000, 8);
    if (fires) rows = rows.map((r) => ({ ...r, age: Number(r.age) + 15, income: Number(r.income) * 3, score: Number(r.score) + 2, category: 'a', region: 'r0' }));
    writeFileSync(join(dir, 'c.csv'), toCsv(rows));
    const { report } = await validate({ dataset: join(dir, 'c.csv'), baseline: join(dir, 'b.json') });
    expect(report.findings.some((f) => f.ruleId === 'validation/drifted-columns')).toBe(fires);
  });
});
