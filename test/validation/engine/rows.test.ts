/**
 * rowsOnEngine (DuckDB) against the JS RowHasher + IdTracker on the same rows: real datasets (the sklearn
 * CSVs in fixtures/datasets/real, vega-datasets' CSV and JSON), small literal tables for each semantic edge
 * (NULL vs '', NaN, -0, 1 vs 1.0, text normalisation, fresh ids on copied rows, missing labels), and the
 * same data read natively from CSV and from Parquet hashing alike. Counts must be equal and examples the
 * same rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { timestampValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ident, lit, openEngine, type Engine } from '../../../src/validation/engine/duckdb.js';
import { rowsOnEngine, type RowsResult } from '../../../src/validation/engine/rows.js';
import { keyOf } from '../../../src/validation/profile/column.js';
import { listDataset, readDataset } from '../../../src/validation/readers/dataset.js';
import { IdTracker } from '../../../src/validation/rows/ids.js';
import { keyFromHex, RowHasher } from '../../../src/validation/rows/rowhash.js';
import type { Batch, Column } from '../../../src/validation/types.js';
import { valueAt } from '../../../src/validation/types.js';
import { ROOT } from '../../helpers/cli.js';

const REAL = join(ROOT, 'fixtures', 'datasets', 'real');
const VEGA = join(ROOT, 'node_modules', 'vega-datasets', 'data');
const SMALL = join(ROOT, 'fixtures', 'datasets');

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ files: [join(SMALL, 'small.csv'), join(SMALL, 'small.parquet'), join(REAL, 'iris.csv')] });
});
afterAll(() => engine?.close());

interface Spec {
  label?: string;
  ids?: string[];
  text?: string[];
}

type Kind = 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' | 'TIMESTAMP';

function kindOf(values: unknown[]): Kind {
  const kinds = new Set(values.filter((v) => v !== null && !(typeof v === 'number' && Number.isNaN(v))).map((v) => (v instanceof Date ? 'date' : typeof v)));
  if (kinds.size > 1) throw new Error(`mixed column: ${[...kinds].join(', ')}`);
  const k = [...kinds][0];
  if (k === 'number') return values.every((v) => v === null || Number.isSafeInteger(v)) ? 'BIGINT' : 'DOUBLE';
  return k === 'boolean' ? 'BOOLEAN' : k === 'date' ? 'TIMESTAMP' : 'VARCHAR';
}

/** a DuckDB table holding exactly the batches' values (typed per column), with __row */
async function tableFrom(name: string, batches: Batch[], types: Record<string, Kind> = {}): Promise<string> {
  const names = batches[0]!.columns.map((c) => c.name);
  const cols = names.map((n) => batches.flatMap((b) => Array.from({ length: b.length }, (_, i) => valueAt(b.columns.find((c) => c.name === n)!, i))));
  const kinds = names.map((n, j) => types[n] ?? kindOf(cols[j]!));
  await engine.run(`CREATE OR REPLACE TEMP TABLE ${ident(name)} (__row BIGINT, ${names.map((n, j) => `${ident(n)} ${kinds[j]}`).join(', ')})`);
  const a = await engine.con.createAppender(name, 'main', 'temp');
  const rows = cols[0]?.length ?? 0;
  for (let i = 0; i < rows; i++) {
    a.appendBigInt(BigInt(i + 1));
    for (let j = 0; j < names.length; j++) {
      const v = cols[j]![i];
      if (v === null) a.appendNull();
      else if (kinds[j] === 'BIGINT') a.appendBigInt(BigInt(v as number));
      else if (kinds[j] === 'DOUBLE') a.appendDouble(v as number);
      else if (kinds[j] === 'BOOLEAN') a.appendBoolean(v as boolean);
      else if (kinds[j] === 'TIMESTAMP') a.appendTimestamp(timestampValue(BigInt((v as Date).getTime()) * 1000n));
      else a.appendVarchar(v as string);
    }
    a.endRow();
  }
  a.closeSync();
  return ident(name);
}

/** one batch from literal columns (JS values as the readers give them) */
const batchOf = (cols: Record<string, unknown[]>, rowStart = 0): Batch => {
  const columns: Column[] = Object.entries(cols).map(([name, values]) => ({ name, values }));
  return { rowStart, length: columns[0]?.values.length ?? 0, columns, file: 'literal' };
};

/** records (vega JSON) as batches of 1000 */
function batchesOfRecords(records: Array<Record<string, unknown>>): Batch[] {
  const names = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const out: Batch[] = [];
  for (let s = 0; s < records.length; s += 1000) {
    const part = records.slice(s, s + 1000);
    out.push(batchOf(Object.fromEntries(names.map((n) => [n, part.map((r) => r[n] ?? null)])), s));
  }
  return out;
}

async function batchesOfFile(path: string): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of readDataset(listDataset(path))) out.push(b);
  return out;
}

const featuresOf = (b: Batch, s: Spec): string[] => b.columns.map((c) => c.name).filter((n) => n !== s.label && !(s.ids ?? []).includes(n));

/** the JS path: RowHasher + IdTracker with a budget that never spills (spilled groups come in partition order) */
function onJs(batches: Batch[], s: Spec, o: { sampleMod?: number; against?: Map<string, string> } = {}) {
  const h = new RowHasher(s.label, new Set(s.text ?? []), o.sampleMod ?? 1, 1 << 22, undefined, new Set(s.ids ?? []));
  h.collectSample = true;
  if (o.against) h.against = { labels: new Map([...o.against].map(([k, v]) => [keyFromHex(k), v])), mod: 1 };
  const t = new IdTracker(new Set(s.ids ?? []), 1 << 22);
  for (const b of batches) {
    h.add(b);
    t.add(b);
  }
  const rows = batches.reduce((a, b) => a + b.length, 0);
  const stats = h.stats(Math.max(10, Math.ceil(1e-4 * rows)));
  return { stats, matched: h.matched, mismatched: h.mismatched, mismatchExamples: h.mismatchExamples, sample: h.sample, ids: new Map((s.ids ?? []).map((c) => [c, t.stats(c)])) };
}

async function onEngine(table: string, batches: Batch[], s: Spec, o: { sampleMod?: number; against?: Map<string, string> } = {}): Promise<RowsResult> {
  return rowsOnEngine({
    engine, table, features: featuresOf(batches[0]!, s), label: s.label, ids: s.ids ?? [], textCols: s.text ?? [],
    sampleMod: o.sampleMod, collectSample: true, ...(o.against ? { against: { labels: o.against, mod: 1 } } : {}),
  });
}

/** everything but the hash values themselves (the two paths hash differently; the groups must be the same) */
function comparable(r: Awaited<ReturnType<typeof onJs>> | RowsResult) {
  return {
    stats: { ...r.stats, spilled: false },
    matched: r.matched,
    mismatched: r.mismatched,
    mismatchExamples: r.mismatchExamples,
    sampleLabels: [...r.sample.values()].sort(),
    ids: Object.fromEntries(r.ids),
  };
}

/**
 * A DuckDB column has one type; the JS readers type each cell (a CSV city "True" reads as a boolean, an
 * iata code "000" as 0). Such mixed columns become strings (keyOf) on both sides, as read_csv reads them.
 */
function typed(batches: Batch[]): Batch[] {
  const mixed = new Set<string>();
  for (const c of batches[0]!.columns) {
    try {
      kindOf(batches.flatMap((b) => Array.from({ length: b.length }, (_, i) => valueAt(b.columns.find((x) => x.name === c.name)!, i))));
    } catch {
      mixed.add(c.name);
    }
  }
  return batches.map((b) => ({ ...b, columns: b.columns.map((c) => (mixed.has(c.name) ? { name: c.name, values: Array.from({ length: b.length }, (_, i) => { const v = valueAt(c, i); return v === null ? null : keyOf(v); }) } : c)) }));
}

async function same(name: string, raw: Batch[], s: Spec, types?: Record<string, Kind>): Promise<RowsResult> {
  const batches = typed(raw);
  const table = await tableFrom(name, batches, types);
  const js = onJs(batches, s);
  const db = await onEngine(table, batches, s);
  expect(comparable(db)).toEqual(comparable(js));
  return db;
}

const vega = (f: string) => batchesOfRecords(JSON.parse(readFileSync(join(VEGA, f), 'utf8')) as Array<Record<string, unknown>>);

describe('rowsOnEngine equals RowHasher/IdTracker on real datasets', () => {
  /** golden: duplicate rows, conflicting rows, max multiplicity, duplicate rows per id column */
  const CASES: Array<[string, () => Promise<Batch[]> | Batch[], Spec, [number, number, number, number[]]]> = [
    ['iris (one duplicate row)', () => batchesOfFile(join(REAL, 'iris.csv')), { label: 'species' }, [1, 0, 2, []]],
    ['wine', () => batchesOfFile(join(REAL, 'wine.csv')), { label: 'cultivar' }, [0, 0, 1, []]],
    ['diabetes (numeric target as label)', () => batchesOfFile(join(REAL, 'diabetes.csv')), { label: 'target' }, [0, 0, 1, []]],
    ['breast_cancer', () => batchesOfFile(join(REAL, 'breast_cancer.csv')), { label: 'diagnosis' }, [0, 0, 1, []]],
    ['birdstrikes (text columns, conflicts)', () => batchesOfFile(join(VEGA, 'birdstrikes.csv')), { label: 'Effect Amount of damage', text: ['Airport Name', 'Aircraft Make Model'] }, [24, 2, 5, []]],
    ['seattle-weather (date as id)', () => batchesOfFile(join(VEGA, 'seattle-weather.csv')), { label: 'weather', ids: ['date'] }, [8, 8, 3, [0]]],
    ['weather (date repeats per location: id duplicates)', () => batchesOfFile(join(VEGA, 'weather.csv')), { label: 'weather', ids: ['date'] }, [18, 16, 3, [1461]]],
    ['zipcodes (zip id, city text)', () => batchesOfFile(join(VEGA, 'zipcodes.csv')), { label: 'state', ids: ['zip_code'], text: ['city'] }, [4750, 0, 169, [0]]],
    ['airports', () => batchesOfFile(join(VEGA, 'airports.csv')), { label: 'country', ids: ['iata'], text: ['name'] }, [0, 0, 1, [1]]],
    ['movies.json (titles as text, nulls)', () => vega('movies.json'), { label: 'MPAA Rating', text: ['Title'], ids: ['Title'] }, [0, 0, 1, [24]]],
    ['penguins.json', () => vega('penguins.json'), { label: 'Species' }, [0, 0, 1, []]],
    ['cars.json', () => vega('cars.json'), { label: 'Origin', text: ['Name'] }, [0, 0, 1, []]],
    ['flights-20k.json (no label; heavy rows)', () => vega('flights-20k.json'), { ids: ['date'] }, [2152, 0, 8, [2271]]],
  ];
  it.each(CASES)('%s', async (name, load, spec, gold) => {
    const batches = await load();
    const db = await same(name, batches, spec);
    expect(db.stats.rows).toBe(batches.reduce((a, b) => a + b.length, 0));
    expect([db.stats.duplicateRows, db.stats.conflictRows, db.stats.maxMultiplicity, [...db.ids.values()].map((d) => d.duplicate_rows)]).toEqual(gold);
  });
});

describe('rowsOnEngine semantics on literal tables (equal to the JS path)', () => {
  const n = null;
  const CASES: Array<[string, Record<string, unknown[]>, Spec, Partial<{ duplicateRows: number; conflictRows: number; conflictGroups: number; maxMultiplicity: number }>]> = [
    ['NULL and empty string are different values', { a: [n, '', n, ''], y: ['p', 'p', 'p', 'p'] }, { label: 'y' }, { duplicateRows: 2, conflictRows: 0 }],
    ['NaN is missing, -0 is 0', { a: [NaN, n, -0, 0, 1.5], y: ['p', 'p', 'p', 'p', 'p'] }, { label: 'y' }, { duplicateRows: 2 }],
    ['copied rows with a fresh id and a flipped label conflict', { id: [1, 2, 3, 4], a: ['x', 'x', 'z', 'z'], b: [1, 1, 2, 2], y: ['p', 'q', 'p', 'p'] }, { label: 'y', ids: ['id'] }, { duplicateRows: 1, conflictRows: 2, conflictGroups: 1 }],
    ['a missing label and an empty label are one label', { a: [1, 1, 1], y: [n, '', 'q'] }, { label: 'y' }, { duplicateRows: 1, conflictRows: 3, conflictGroups: 1 }],
    ['numeric labels: NaN and NULL one label, -0 and 0 one', { a: [1, 1, 2, 2, 3], y: [NaN, n, -0, 0, 1] }, { label: 'y' }, { duplicateRows: 2, conflictRows: 0 }],
    ['boolean labels', { a: [1, 1, 1, 2], y: [true, false, true, n] }, { label: 'y' }, { conflictGroups: 1, conflictRows: 3, maxMultiplicity: 2 }],
    ['text normalised: case, punctuation, spacing, NFKC', { t: ['Hello, World!', 'hello   world', '\ufb01ne', 'FINE', '\uff26\uff49\uff4e\uff45!', 'caf\u00e9', 'CAF\u00c9', 'a\u000bb', 'a b', '!!!', ''], y: Array(11).fill('p') }, { label: 'y', text: ['t'] }, { duplicateRows: 6 }],
    ['text edge cases: CRLF, tabs, runs of punctuation and spaces, Unicode spaces, Turkish İ, final sigma', { t: ['x\r\ny', 'x y', 'tab\there', 'tab here', 'a ! ! b', 'a b', ' lead', 'lead', 'a\u00a0b', 'a\u3000b', '\u0130stanbul', 'i\u0307stanbul', '\u039f\u0394\u039f\u03a3', '\u03bf\u03b4\u03bf\u03c2', '\u03bf\u03b4\u03bf\u03c3', 'x\u200by', 'xy'], y: Array<string>(17).fill('p') }, { label: 'y', text: ['t'] }, { duplicateRows: 8 }],
    ['the same strings not normalised outside text columns', { t: ['Hello, World!', 'hello   world', 'caf\u00e9', 'CAF\u00c9'], y: Array(4).fill('p') }, { label: 'y' }, { duplicateRows: 0 }],
    ['one row repeated 12 times is a heavy example', { a: [...Array<number>(12).fill(7), 1, 2, 3], y: Array<string>(15).fill('p') }, { label: 'y' }, { duplicateRows: 11, maxMultiplicity: 12 }],
    ['dates and booleans as features', { d: [new Date(0), new Date(0), new Date(86_400_000), n], f: [true, true, false, true], y: ['a', 'b', 'a', 'a'] }, { label: 'y' }, { conflictGroups: 1 }],
    ['no label', { a: [1, 1, 2, 3, 3, 3] }, {}, { duplicateRows: 3, conflictRows: 0, maxMultiplicity: 3 }],
    ['no features: only an id and the label', { id: [1, 2, 3], y: ['p', 'q', 'p'] }, { label: 'y', ids: ['id'] }, { conflictGroups: 1, conflictRows: 3 }],
    ['id duplicates: missing values are not ids, NaN is missing', { id: [1, 2, 2, n, 3, 3, 3, NaN, n], a: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, { ids: ['id'] }, {}],
    ['string ids', { id: ['a', 'b', 'a', '', ''], a: [1, 2, 3, 4, 5] }, { ids: ['id'] }, {}],
  ];
  it.each(CASES)('%s', async (name, cols, spec, want) => {
    const db = await same(name, [batchOf(cols)], spec);
    expect(db.stats).toMatchObject(want);
  });

  it('id duplicate counts and examples', async () => {
    const db = await same('ids', [batchOf({ id: [1, 2, 2, null, 3, 3, 3, NaN, null, 1.0], a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] })], { ids: ['id'] });
    expect(db.ids.get('id')).toEqual({ column: 'id', rows: 7, duplicate_rows: 4, duplicate_values: 3, examples: [{ rows: [1, 10], count: 2 }, { rows: [2, 3], count: 2 }, { rows: [5, 6, 7], count: 3 }] });
  });

  it('labels checked against a baseline map: matched and changed rows, with examples', async () => {
    const base = batchOf({ id: [1, 2, 3, 4, 5], a: [1, 2, 3, 4, 5], y: ['p', 'q', 'p', 'q', 'p'] });
    const cur = batchOf({ id: [9, 8, 7, 6, 5, 4], a: [1, 2, 3, 3, 6, 5], y: ['p', 'p', 'q', 'p', 'p', 'q'] });
    const spec = { label: 'y', ids: ['id'] };
    const jsBase = onJs([base], spec);
    const dbBase = await onEngine(await tableFrom('base', [base]), [base], spec);
    const js = onJs([cur], spec, { against: new Map([...jsBase.sample].map(([h, l]) => [h, l])) });
    const db = await onEngine(await tableFrom('cur', [cur]), [cur], spec, { against: dbBase.sample });
    expect(comparable(db)).toEqual(comparable(js));
    expect([db.matched, db.mismatched, db.mismatchExamples]).toEqual([5, 3, [{ row: 2, label: 'p', baseline_label: 'q' }, { row: 3, label: 'q', baseline_label: 'p' }, { row: 6, label: 'q', baseline_label: 'p' }]]);
  });

  it('real data against its own baseline: birdstrikes, the first batch (8,192 rows) profiled, every row checked after 1 in 30 labels flipped', async () => {
    const spec = { label: 'Effect Amount of damage', text: ['Airport Name', 'Aircraft Make Model'] };
    const all = typed(await batchesOfFile(join(VEGA, 'birdstrikes.csv')));
    const half = all.slice(0, 1);
    const flip = (b: Batch): Batch => ({ ...b, columns: b.columns.map((c) => (c.name !== spec.label ? c : { name: c.name, values: Array.from({ length: b.length }, (_, i) => ((b.rowStart + i) % 30 === 0 ? (valueAt(c, i) === 'None' ? 'Minor' : 'None') : valueAt(c, i))) })) });
    const cur = all.map(flip);
    const js = onJs(cur, spec, { against: onJs(half, spec).sample });
    const db = await onEngine(await tableFrom('birds-cur', cur), cur, spec, { against: (await onEngine(await tableFrom('birds-base', half), half, spec)).sample });
    expect(comparable(db)).toEqual(comparable(js));
    expect([db.matched, db.mismatched]).toEqual([8192, 274]);
    expect(db.mismatchExamples).toHaveLength(20);
  });

  it('against a numeric label: a baseline label no number renders as never matches', async () => {
    const cur = batchOf({ a: [1, 2, 3], y: [1, 2.5, NaN] });
    const t = await tableFrom('numlab', [cur]);
    const base = await rowsOnEngine({ engine, table: t, features: ['a'], label: 'y', ids: [], textCols: [], collectSample: true });
    expect([...base.sample.values()]).toEqual(['1', '2.5', '']);
    const forged = new Map([...base.sample].map(([h, l], k) => [h, k === 0 ? '1.0' : l]));
    const r = await rowsOnEngine({ engine, table: t, features: ['a'], label: 'y', ids: [], textCols: [], against: { labels: forged, mod: 1 } });
    expect([r.matched, r.mismatched, r.mismatchExamples]).toEqual([3, 1, [{ row: 1, label: '1', baseline_label: '1.0' }]]);
  });
});

describe('rowsOnEngine refuses what it cannot put into SQL', () => {
  it.each([
    ['sampleMod 0', { sampleMod: 0 }, /sampleMod must be an integer ≥ 1/],
    ['a fractional modulus', { against: { labels: new Map([['00000000000000ff', 'p']]), mod: 1.5 } }, /against.mod must be an integer ≥ 1/],
    ['examples NaN', { examples: NaN }, /examples must be an integer ≥ 0/],
    ['heavyAt 1e300', { heavyAt: 1e300 }, /heavyAt must be an integer ≥ 1/],
    ['a column that is not there', { features: ['nope'] }, /no column "nope"/],
  ])('%s', async (_name, extra, error) => {
    const t = await tableFrom('refuse', [batchOf({ a: [1, 2], y: ['p', 'q'] })]);
    await expect(rowsOnEngine({ engine, table: t, features: ['a'], label: 'y', ids: [], textCols: [], ...extra })).rejects.toThrow(error);
  });

  it('a baseline map entry that is not 16 hex digits is ignored, not put into SQL', async () => {
    const t = await tableFrom('hexes', [batchOf({ a: [1, 2], y: ['p', 'q'] })]);
    const base = await rowsOnEngine({ engine, table: t, features: ['a'], label: 'y', ids: [], textCols: [], collectSample: true });
    const labels = new Map([...base.sample, ["1'; DROP TABLE hexes; --", 'p'], ['ZZZZZZZZZZZZZZZZ', 'q']]);
    const r = await rowsOnEngine({ engine, table: t, features: ['a'], label: 'y', ids: [], textCols: [], against: { labels, mod: 1 } });
    expect([r.matched, r.mismatched]).toEqual([2, 0]);
  });
});

describe('exact whether or not DuckDB spills', () => {
  it('1M rows under a 64 MB memory limit (spilled to the temp directory) give what 1 GB gives', async () => {
    const run = async (memoryLimit: string) => {
      const e = await openEngine({ files: [], memoryLimit });
      try {
        await e.run('CREATE TEMP TABLE d AS SELECT i + 1 AS __row, (i * 7919) % 700000 AS a, (i % 11)::VARCHAR AS y, i % 900000 AS id FROM range(1000000) r(i)');
        return await rowsOnEngine({ engine: e, table: 'd', features: ['a'], label: 'y', ids: ['id'], textCols: [], collectSample: true, sampleMod: 5 });
      } finally {
        e.close();
      }
    };
    const big = await run('1GB');
    const small = await run('64MB');
    expect([big.stats.spilled, small.stats.spilled]).toEqual([false, true]);
    expect({ ...small, stats: { ...small.stats, spilled: false } }).toEqual(big);
    expect([big.stats.conflictGroups, big.stats.duplicateRows, big.ids.get('id')!.duplicate_rows]).toEqual([300000, 0, 100000]);
  }, 120_000);
});

describe('the hash is canonical across readers and types', () => {
  it('small.csv (DuckDB read_csv: BIGINT x) and small.parquet (DOUBLE x) give the same hashes and stats', async () => {
    const run = async (from: string) => {
      await engine.run(`CREATE OR REPLACE TEMP TABLE canon AS SELECT row_number() OVER () AS __row, * FROM ${from}`);
      return rowsOnEngine({ engine, table: 'canon', features: ['x', 'grade', 'text'], label: 'label', ids: ['id'], textCols: ['text'], collectSample: true });
    };
    const csv = await run(`read_csv(${lit(join(SMALL, 'small.csv'))})`);
    const types = await engine.rows('DESCRIBE canon');
    const pq = await run(`read_parquet(${lit(join(SMALL, 'small.parquet'))})`);
    const ptypes = await engine.rows('DESCRIBE canon');
    expect([types.find((t) => t.column_name === 'x')!.column_type, ptypes.find((t) => t.column_name === 'x')!.column_type]).toEqual(['BIGINT', 'DOUBLE']);
    expect(csv.sample.size).toBe(40);
    expect(pq).toEqual(csv);
    const js = onJs(await batchesOfFile(join(SMALL, 'small.csv')), { label: 'label', ids: ['id'], text: ['text'] });
    expect(comparable(csv)).toEqual(comparable(js));
  });

  it('integers, floats and booleans of one value hash alike; the hex layout samples on the low 32 bits', async () => {
    const a = await tableFrom('ints', [batchOf({ x: [1, 0, 2], y: ['p', 'q', 'p'] })], { x: 'BIGINT' });
    const b = await tableFrom('floats', [batchOf({ x: [1, 0, 2], y: ['p', 'q', 'p'] })], { x: 'DOUBLE' });
    const c = await tableFrom('bools', [batchOf({ x: [true, false, null], y: ['p', 'q', 'p'] })]);
    const run = (table: string, sampleMod = 1) => rowsOnEngine({ engine, table, features: ['x'], label: 'y', ids: [], textCols: [], collectSample: true, sampleMod });
    const [ra, rb, rc] = [await run(a), await run(b), await run(c)];
    expect([...rb.sample]).toEqual([...ra.sample]);
    expect([...rc.sample].slice(0, 2)).toEqual([...ra.sample].slice(0, 2));
    for (const h of ra.sample.keys()) expect(h).toMatch(/^[0-9a-f]{16}$/);
    const big = await tableFrom('sampled', [batchOf({ x: Array.from({ length: 3000 }, (_, i) => i), y: Array.from({ length: 3000 }, (_, i) => (i % 3 ? 'p' : 'q')) })]);
    const s = await run(big, 7);
    expect([...s.sample.keys()].every((h) => parseInt(h.slice(8), 16) % 7 === 0)).toBe(true);
    expect(s.sample.size).toBeGreaterThan(3000 / 7 / 2);
    expect(s.sample.size).toBeLessThan((3000 / 7) * 2);
  });

  it('a DuckDB native CSV read (iris) gives the JS reader\'s counts and example rows', async () => {
    await engine.run(`CREATE OR REPLACE TEMP TABLE iris AS SELECT row_number() OVER () AS __row, * FROM read_csv(${lit(join(REAL, 'iris.csv'))})`);
    const batches = await batchesOfFile(join(REAL, 'iris.csv'));
    const db = await onEngine('iris', batches, { label: 'species' });
    expect(comparable(db)).toEqual(comparable(onJs(batches, { label: 'species' })));
  });
});
