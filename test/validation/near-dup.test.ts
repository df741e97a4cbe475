/**
 * The near-duplicate sketch (sketch/near-dup.ts): one edited word is a near-duplicate, unrelated texts
 * and exact repeats are not, the answer does not depend on feed order, and the distinct values judged
 * stay under the cap.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profile } from '../../src/validation/profile.js';
import { NearDupSketch } from '../../src/validation/sketch/near-dup.js';
import { prng } from '../helpers/prng.js';
import { nearDuplicates } from './realdata/attacks.js';
import { dataset } from './realdata/datasets.js';
import { writeCsv } from './realdata/table.js';

const LONG = 'the delivery arrived two days late but the blender itself works well and is easy to clean after every single use in our small kitchen';
const SHORT9 = 'a quiet little hotel near the old harbour wall';

function words(rng: () => number, k: number): string {
  return Array.from({ length: k }, () => Math.floor(rng() * 1e6).toString(36)).join(' ');
}

function run(values: Array<[string, number]>): ReturnType<NearDupSketch['finish']> {
  const s = new NearDupSketch();
  for (const [v, c] of values) s.add(v, c);
  return s.finish();
}

describe('near-duplicate sketch', () => {
  const cases: Array<{ name: string; values: Array<[string, number]>; rows: number; n: number }> = [
    { name: 'one word replaced (long text, 3-shingles)', values: [[LONG, 1], [LONG.replace('blender', 'mixer'), 1]], rows: 2, n: 2 },
    { name: 'one word inserted (9 words, unigrams)', values: [[SHORT9, 1], [SHORT9.replace('little', 'little old'), 1]], rows: 2, n: 2 },
    { name: 'case and punctuation only: an exact duplicate, not near', values: [[SHORT9, 1], [SHORT9.toUpperCase() + '!!', 1]], rows: 0, n: 2 },
    { name: 'exact repeats of one value are not counted', values: [[LONG, 50]], rows: 0, n: 50 },
    { name: 'counts weight the rows', values: [[LONG, 3], [LONG.replace('late', 'early'), 2], ['something else entirely here', 4]], rows: 5, n: 9 },
    { name: 'unrelated texts', values: [[LONG, 1], [SHORT9, 1], ['great product would buy again', 1], ['terrible service never again', 1]], rows: 0, n: 4 },
    { name: 'short names one word apart are different values (Jaccard 2/3 and 3/4, exact for short texts)', values: [['pontiac phoenix', 1], ['pontiac phoenix lj', 1], ['mazda glc custom', 1], ['mazda glc custom l', 1]], rows: 0, n: 4 },
    { name: 'empty after normalisation', values: [['!!!', 2], ['...', 1]], rows: 0, n: 3 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = run(c.values);
      expect([r.nearDupRows, r.n, r.approximate]).toEqual([c.rows, c.n, false]);
      if (c.rows) expect(r.examples.length).toBeGreaterThan(0);
    });
  }

  it('random texts: no pair among 2000', () => {
    const rng = prng(5);
    const r = run(Array.from({ length: 2000 }, () => [words(rng, 12), 1]));
    expect(r.nearDupRows).toBe(0);
  });

  it('deterministic and independent of feed order', () => {
    const rng = prng(6);
    const base = Array.from({ length: 300 }, () => words(rng, 15));
    const vals: Array<[string, number]> = [...base.map((v): [string, number] => [v, 1]), ...base.slice(0, 20).map((v): [string, number] => [`${v} extra`, 2])];
    const a = run(vals);
    const b = run([...vals].reverse());
    expect(a).toEqual(b);
    expect(a.nearDupRows).toBeGreaterThanOrEqual(50); // 20 sources + 20 copies × 2, a few pairs may fall under 0.8
    expect(a.examples.every(([x, y]) => x.length <= 80 && y.length <= 80)).toBe(true);
  });

  it('bounded: 200,000 distinct values stay under the cap and are marked approximate', () => {
    expect(new NearDupSketch().cap).toBe(50_000);
    const s = new NearDupSketch(10_000);
    const t0 = performance.now();
    for (let i = 0; i < 200_000; i++) s.add(`item ${i} of ${(i * 7919) % 100_003} in lot ${i % 977}`, 1);
    const r = s.finish();
    const ms = performance.now() - t0;
    expect(r.distinct).toBeLessThanOrEqual(10_000);
    expect(r.distinct).toBeGreaterThan(2_500);
    expect(r.approximate).toBe(true);
    expect(r.n).toBe(r.distinct);
    expect(ms).toBeLessThan(4000);
  });

  it('the DuckDB engine (once per distinct string) and the JS loop (once per row) agree, on real titles', async () => {
    const movies = dataset('movies').load();
    const t = { columns: movies.columns, rows: movies.rows.slice(0, 1500) };
    const file = join(mkdtempSync(join(tmpdir(), 'mlvet-neardup-')), 'movies.csv');
    writeCsv(file, nearDuplicates(t, prng(3), { column: 'Title', rate: 0.02 }).table);
    const saved = process.env.MLVET_ENGINE;
    try {
      const duck = (await profile({ dataset: file })).baseline.stats.Title!.nearDuplicate;
      process.env.MLVET_ENGINE = 'js';
      const js = (await profile({ dataset: file })).baseline.stats.Title!.nearDuplicate;
      expect(duck).toEqual(js);
      expect(duck!.n).toBeGreaterThan(1500); // string values only (a few titles are missing or numbers)
      expect(duck!.share).toBeGreaterThan(0.02);
    } finally {
      if (saved === undefined) delete process.env.MLVET_ENGINE;
      else process.env.MLVET_ENGINE = saved;
    }
  });
});
