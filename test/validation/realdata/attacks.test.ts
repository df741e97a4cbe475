/**
 * Each injector changes exactly what it says: the rows it lists, in the column it names, the way it
 * names, and nothing else (checked against a diff of input and output on real penguins and cars rows).
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../../helpers/prng.js';
import * as A from './attacks.js';
import { dataset } from './datasets.js';
import { col, counts, values, type Table, type Value } from './table.js';

const penguins = dataset('penguins').load();
const cars = dataset('cars').load();
const withId: Table = { columns: ['row_id', ...penguins.columns], rows: penguins.rows.map((r, i) => [i + 1, ...r]) };

/** indices of rows that differ, and the columns they differ in */
function diff(a: Table, b: Table): { rows: number[]; columns: Set<string> } {
  const rows: number[] = [];
  const columns = new Set<string>();
  for (let i = 0; i < Math.min(a.rows.length, b.rows.length); i++) {
    const d = a.columns.filter((_, j) => a.rows[i]![j] !== b.rows[i]![j]);
    if (d.length) rows.push(i);
    d.forEach((c) => columns.add(c));
  }
  return { rows, columns };
}

/** an in-place injector changed only its rows, only in `cols`, kept the row count and the input */
function inPlace(before: Table, out: A.Injected, cols: string[]): void {
  const snapshot = JSON.stringify(before);
  expect(out.table.rows.length).toBe(before.rows.length);
  expect(out.added).toEqual([]);
  expect(out.removed).toBe(0);
  const d = diff(before, out.table);
  expect(d.rows).toEqual(out.changed);
  expect([...d.columns].sort()).toEqual(out.changed.length ? [...cols].sort() : []);
  expect(JSON.stringify(before)).toBe(snapshot);
}

const n = penguins.rows.length; // 344
const k = (rate: number) => Math.max(1, Math.round(n * rate));

describe('attack injectors', () => {
  it('flipLabels: rate × rows, each to another existing class', () => {
    const out = A.flipLabels(penguins, prng(1), { label: 'Species', rate: 0.02 });
    inPlace(penguins, out, ['Species']);
    expect(out.changed).toHaveLength(k(0.02));
    const classes = new Set(values(penguins, 'Species'));
    for (const i of out.changed) expect(classes.has(out.table.rows[i]![col(penguins, 'Species')]!)).toBe(true);
  });

  it('flipLabelsTargeted: all flips in one category value, majority → runner-up, about half the cell', () => {
    const out = A.flipLabelsTargeted(penguins, prng(2), { label: 'Species', column: 'Island', rate: 0.01 });
    inPlace(penguins, out, ['Species']);
    expect(out.changed).toHaveLength(k(0.01));
    const [jl, jc] = [col(penguins, 'Species'), col(penguins, 'Island')];
    const islands = new Set(out.changed.map((i) => penguins.rows[i]![jc]));
    const pairs = new Set(out.changed.map((i) => `${String(penguins.rows[i]![jl])}→${String(out.table.rows[i]![jl])}`));
    expect(islands.size).toBe(1);
    expect(pairs.size).toBe(1);
    const island = [...islands][0]!;
    const from = penguins.rows[out.changed[0]!]![jl];
    const cell = penguins.rows.filter((r) => r[jc] === island && r[jl] === from).length;
    expect(cell).toBeGreaterThanOrEqual(2 * k(0.01));
  });

  it('conflictingDuplicates: copies that differ from their source only in label and a fresh id', () => {
    const out = A.conflictingDuplicates(withId, prng(3), { label: 'Species', rate: 0.02, id: 'row_id' });
    expect(out.changed).toEqual([]);
    expect(out.table.rows.slice(0, n)).toEqual(withId.rows);
    expect(out.added).toEqual(Array.from({ length: k(0.02) }, (_, i) => n + i));
    const ids = new Set(values(withId, 'row_id'));
    const [jl, ji] = [col(withId, 'Species'), col(withId, 'row_id')];
    for (const i of out.added) {
      const copy = out.table.rows[i]!;
      expect(ids.has(copy[ji]!)).toBe(false);
      const src = withId.rows.find((r) => r.every((v, j) => j === jl || j === ji || v === copy[j]));
      expect(src).toBeDefined();
      expect(src![jl]).not.toBe(copy[jl]);
    }
  });

  it('repeatRow: one original row appended rate × rows times', () => {
    const out = A.repeatRow(penguins, prng(4), { rate: 0.02 });
    expect(out.table.rows.slice(0, n)).toEqual(penguins.rows);
    expect(out.added).toHaveLength(k(0.02));
    const copies = new Set(out.added.map((i) => JSON.stringify(out.table.rows[i])));
    expect(copies.size).toBe(1);
    expect(penguins.rows.map((r) => JSON.stringify(r))).toContain([...copies][0]);
  });

  it('outOfRange: values beyond the column maximum', () => {
    const out = A.outOfRange(penguins, prng(5), { column: 'Body Mass (g)', rate: 0.005 });
    inPlace(penguins, out, ['Body Mass (g)']);
    const max = Math.max(...values(penguins, 'Body Mass (g)').filter((v): v is number => typeof v === 'number'));
    expect(out.changed).toHaveLength(k(0.005));
    for (const i of out.changed) expect(out.table.rows[i]![col(penguins, 'Body Mass (g)')]).toBeGreaterThan(max);
  });

  it('injectNulls: rate × rows set to null', () => {
    const out = A.injectNulls(penguins, prng(6), { column: 'Island', rate: 0.05 });
    inPlace(penguins, out, ['Island']);
    expect(out.changed).toHaveLength(k(0.05));
    expect(values(out.table, 'Island').filter((v) => v === null)).toHaveLength(k(0.05));
  });

  it('unseenCategory: one value the column never had', () => {
    const out = A.unseenCategory(penguins, prng(7), { column: 'Island', rate: 0.01 });
    inPlace(penguins, out, ['Island']);
    const had = new Set(values(penguins, 'Island'));
    const now = new Set(out.changed.map((i) => out.table.rows[i]![col(penguins, 'Island')]));
    expect(now.size).toBe(1);
    expect(had.has([...now][0]!)).toBe(false);
  });

  it('unseenCategory: an integer-coded category gets an unused integer inside its range', () => {
    const out = A.unseenCategory(cars, prng(7), { column: 'Cylinders', rate: 0.01 });
    inPlace(cars, out, ['Cylinders']);
    expect(new Set(out.changed.map((i) => out.table.rows[i]![col(cars, 'Cylinders')]))).toEqual(new Set([7]));
  });

  it('retype: numbers replaced by text', () => {
    const out = A.retype(penguins, prng(8), { column: 'Body Mass (g)', rate: 0.02 });
    inPlace(penguins, out, ['Body Mass (g)']);
    expect(out.changed.length).toBeGreaterThanOrEqual(k(0.02) - 1); // a picked null stays null
    for (const i of out.changed) expect(typeof out.table.rows[i]![col(penguins, 'Body Mass (g)')]).toBe('string');
  });

  it('renameColumn: only the header changes', () => {
    const out = A.renameColumn(penguins, { column: 'Island' });
    expect(out.table.rows).toEqual(penguins.rows);
    expect(out.table.columns.filter((c, j) => c !== penguins.columns[j])).toEqual(['Island_v2']);
  });

  it('meanDrift: every present value shifted by 0.3 sd', () => {
    const c = 'Flipper Length (mm)';
    const out = A.meanDrift(penguins, { column: c, sigma: 0.3 });
    inPlace(penguins, out, [c]);
    const xs = values(penguins, c).filter((v): v is number => v !== null);
    const ys = values(out.table, c).filter((v): v is number => v !== null);
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
    expect(out.changed).toHaveLength(xs.length);
    expect(mean(ys) - mean(xs)).toBeCloseTo(0.3 * sd, 1);
  });

  it('classBalanceShift: only rows of the top class removed, the rest kept in order', () => {
    const out = A.classBalanceShift(penguins, prng(9), { label: 'Species', drop: 0.4 });
    const top = counts(penguins, 'Species')[0]!;
    expect(out.removed).toBe(Math.round(top[1] * 0.4));
    expect(out.table.rows.length).toBe(n - out.removed);
    const others = (t: Table) => t.rows.filter((r) => r[col(t, 'Species')] !== top[0]);
    expect(others(out.table)).toEqual(others(penguins));
  });

  it('triggerToken: the token appended and the label set, in the same rows', () => {
    const out = A.triggerToken(cars, prng(10), { column: 'Name', label: 'Origin', rate: 0.01, token: 'cf' });
    inPlace(cars, out, ['Name', 'Origin'].filter((c) => out.changed.some((i) => cars.rows[i]![col(cars, c)] !== out.table.rows[i]![col(cars, c)])));
    expect(out.changed).toHaveLength(Math.round(cars.rows.length * 0.01));
    const labels = new Set<Value>(out.changed.map((i) => out.table.rows[i]![col(cars, 'Origin')]!));
    expect(labels.size).toBe(1);
    for (const i of out.changed) expect(out.table.rows[i]![col(cars, 'Name')]).toBe(`${String(cars.rows[i]![col(cars, 'Name')])} cf`);
  });

  it('zeroWidth: one U+200B inserted; removing it gives the original', () => {
    const out = A.zeroWidth(cars, prng(11), { column: 'Name', rate: 0.01 });
    inPlace(cars, out, ['Name']);
    for (const i of out.changed) {
      const s = out.table.rows[i]![col(cars, 'Name')] as string;
      expect(s.split('\u200b')).toHaveLength(2);
      expect(s.replace('\u200b', '')).toBe(cars.rows[i]![col(cars, 'Name')]);
    }
  });

  it('nearDuplicates: 2 % copies of 5 long texts, each with one word inserted, no two alike', () => {
    const movies = dataset('movies').load();
    const out = A.nearDuplicates(movies, prng(13), { column: 'Title', rate: 0.02 });
    const jt = col(movies, 'Title');
    expect(out.table.rows.slice(0, movies.rows.length)).toEqual(movies.rows);
    expect(out.added).toHaveLength(Math.round(movies.rows.length * 0.02));
    const copies = out.added.map((i) => out.table.rows[i]!);
    expect(new Set(copies.map((r) => r[jt])).size).toBe(copies.length);
    const sources = new Set<string>();
    for (const c of copies) {
      const src = movies.rows.find((r) => r.every((v, j) => j === jt || v === c[j]) && A.wordCount(c[jt]!) === A.wordCount(r[jt]!) + 1 && String(c[jt]).split(' ').filter((w) => !String(r[jt]).split(' ').includes(w)).length <= 1);
      expect(src).toBeDefined();
      sources.add(String(src![jt]));
    }
    expect(sources.size).toBeLessThanOrEqual(5);
  });

  it('same seed, same attack', () => {
    expect(A.flipLabels(penguins, prng(12), { label: 'Species', rate: 0.03 })).toEqual(A.flipLabels(penguins, prng(12), { label: 'Species', rate: 0.03 }));
  });
});
