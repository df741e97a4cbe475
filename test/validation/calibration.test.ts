/**
 * Tables for the pieces the calibration rests on: the exact tests (against values computed by hand
 * or by scipy), identifier detection, rounding for people, and the progress a pass reports.
 */
import { describe, expect, it } from 'vitest';
import { roundForPeople } from '../../src/validation/evidence.js';
import { fisherP, homogeneity, mannWhitneyBinned, rateIncreaseP } from '../../src/validation/poison/stats.js';
import { progressOf, type DatasetProgress } from '../../src/validation/progress.js';
import { isIdentifier } from '../../src/validation/rows/ids.js';
import type { DataFile } from '../../src/validation/types.js';

describe('exact tests', () => {
  it.each([
    // x0, n0, x1, n1, p: 0 of 1000 then 3 of 1000 → (1/2)^3; equal rates are not significant
    [0, 1000, 3, 1000, 0.125],
    [0, 9000, 5, 1000, 1e-5],
    [10, 1000, 10, 1000, 0.5881],
    [0, 1000, 0, 1000, 1],
  ])('rate increase %i/%i → %i/%i: p = %f', (x0, n0, x1, n1, p) => {
    expect(rateIncreaseP(x0, n0, x1, n1)).toBeCloseTo(p, 3);
  });
  it.each([
    // scipy.stats.fisher_exact([[a, n0 - a], [c, n1 - c]]).pvalue
    [3, 10, 8, 10, 0.0698],
    [1, 100, 10, 100, 0.0096],
    [50, 100, 50, 100, 1],
  ])('Fisher %i/%i vs %i/%i: p = %f', (x0, n0, x1, n1, p) => {
    expect(fisherP(x0, n0, x1, n1)).toBeCloseTo(p, 3);
  });
  it('Fisher agrees with the hypergeometric sum in exact integer arithmetic, over every table of a grid', () => {
    const choose = (n: number, k: number): bigint => {
      let r = 1n;
      for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
      return r;
    };
    let tables = 0;
    for (const [n0, n1] of [[7, 5], [20, 30], [60, 41]] as const)
      for (let x0 = 0; x0 <= n0; x0 += 3)
        for (let x1 = 0; x1 <= n1; x1 += 2) {
          const k = x0 + x1;
          const denom = choose(n0 + n1, k);
          const weight = (x: number): bigint => choose(n1, x) * choose(n0, k - x);
          const obs = weight(x1);
          let tail = 0n;
          // the implementation's 1e-7 relative slack in log space: tables within it of the observed one count as "as extreme"
          for (let x = Math.max(0, k - n0); x <= Math.min(k, n1); x++) if (Number(weight(x)) <= Number(obs) * (1 + 1e-7)) tail += weight(x);
          const exact = Math.min(1, Number((tail * 10n ** 15n) / denom) / 1e15);
          expect(Math.abs(fisherP(x0, n0, x1, n1) - exact)).toBeLessThan(1e-9);
          tables++;
        }
    expect(tables).toBeGreaterThan(300);
  });
  it('chi-square homogeneity: same shape passes, a moved bin fails; small bins are pooled', () => {
    expect(homogeneity([100, 200, 300], [10, 20, 30]).p).toBeCloseTo(1, 6);
    expect(homogeneity([100, 200, 300], [30, 20, 10]).p).toBeLessThan(1e-6);
    expect(homogeneity([1, 1, 1, 1000], [1, 1, 1, 100]).df).toBe(0);
  });
  it('Mann–Whitney on bins: AUC 0.5 for the same histogram, above it for a shift up', () => {
    const same = mannWhitneyBinned([10, 20, 30, 20, 10], [10, 20, 30, 20, 10]);
    expect([same.auc, same.p]).toEqual([0.5, expect.closeTo(1, 6)]);
    const up = mannWhitneyBinned([10, 20, 30, 20, 10], [0, 10, 20, 30, 30]);
    expect([up.auc > 0.6, up.p < 0.001]).toEqual([true, true]);
  });
});

describe('identifier columns', () => {
  const e = { n: 1000, distinct: 1000, integral: true, rises: 999, falls: 0, hashLike: 0 };
  it.each([
    ['unique increasing integers', { ...e, name: 'review_id' }, true],
    ['unique integers, shuffled, any name', { ...e, name: 'customer', rises: 500, falls: 499 }, true],
    ['unique floats (a measurement)', { ...e, name: 'score', integral: false, rises: 500, falls: 499 }, false],
    ['nearly unique, monotone floats (a timestamp)', { ...e, name: 't', integral: false, distinct: 960 }, true],
    ['UUID strings', { ...e, name: 'key', integral: false, rises: 0, hashLike: 1 }, true],
    ['unique titles', { ...e, name: 'title', integral: false, rises: 0 }, false],
    ['nearly unique under an id-like name', { ...e, name: 'customerId', distinct: 970, integral: false, rises: 0 }, true],
    ['a category', { ...e, name: 'region', distinct: 8, integral: false, rises: 0 }, false],
    ['too few rows to tell', { ...e, name: 'id', n: 10, distinct: 10 }, false],
  ])('%s', (_name, ev, want) => {
    expect(isIdentifier(ev)).toBe(want);
  });
});

describe('numbers for people', () => {
  it.each([
    [1.1634896649896016, '1.163'],
    [0.000012346, '1.235e-5'],
    [0.0002, '0.0002'],
    [42, '42'],
    [0, '0'],
    [123456.789, '123500'],
  ])('%f → %s', (x, s) => {
    expect(roundForPeople(x)).toBe(s);
  });
});

describe('progress of a pass', () => {
  it('counts rows, and a file’s bytes once the next file starts', () => {
    const files = [{ display: 'a.csv', size: 100 }, { display: 'b.csv', size: 300 }] as DataFile[];
    const seen: DatasetProgress[] = [];
    const p = progressOf(files, (x) => seen.push(x), 1, 2);
    for (const [file, length] of [['a.csv', 10], ['a.csv', 5], ['b.csv', 7]] as const) p.batch({ file, length, rowStart: 0, columns: [] });
    p.done();
    expect(seen.map((s) => [s.rows, s.files.done, s.bytes.done, s.bytes.total, s.pass])).toEqual([[10, 0, 0, 400, 1], [15, 0, 0, 400, 1], [22, 1, 100, 400, 1], [22, 2, 400, 400, 1]]);
  });
});
