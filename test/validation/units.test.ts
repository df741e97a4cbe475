/**
 * Unit tables for the pieces the GX semantics and the exact counts rest on: Python regex
 * translation, NaN/Infinity JSON, the CSV tokenizer against csv-parse, sketch accuracy, and
 * hash-partitioned counting giving the same groups in memory and spilled to disk.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../../src/validation/readers/csv.js';
import { tokenizeCsv } from '../../src/validation/readers/csv-tokenizer.js';
import { typeCsv } from '../../src/validation/readers/infer.js';
import { ColumnStats } from '../../src/validation/gx/aggregate.js';
import { HashGroups } from '../../src/validation/rows/spill.js';
import { DistinctCounter } from '../../src/validation/sketch/hll.js';
import { Kll } from '../../src/validation/sketch/kll.js';
import { parseJsonLoose, stringifyPy } from '../../src/validation/suite/json.js';
import { pyRegex } from '../../src/validation/suite/regex.js';
import { rng } from './gen.js';

describe('Python regex → JS (search semantics)', () => {
  it.each([
    ['(?i)^abc', 'ABCd', true],
    ['(?s)a.b', 'a\nb', true],
    ['a.b', 'a\nb', false],
    ['(?P<y>\\d{4})-(?P=y)', '2020-2020', true],
    ['abc\\Z', 'abc\n', false],
    ['abc$', 'abc\n', true],
    ['\\w+', 'café', true],
    ['^\\d+$', '١٢٣', true],
    ['\\-\\_', '-_', true],
    ['(?x) a  b # comment', 'ab', true],
    ['[]a]', ']', true],
  ])('%s on %j → %s', (pattern, value, expected) => {
    expect(pyRegex(pattern).test(value)).toBe(expected);
  });
  it('an untranslatable pattern is a SUITE_INVALID error', () => {
    let code = '';
    try {
      pyRegex('(?<!a+)b(');
    } catch (e) {
      code = (e as { code: string }).code;
    }
    expect(code).toBe('SUITE_INVALID');
  });
});

describe('Python-style JSON', () => {
  it('reads bare NaN / Infinity / -Infinity outside strings, and writes them back', () => {
    const v = parseJsonLoose('{"a": [NaN, Infinity, -Infinity, "Infinity"]}') as { a: unknown[] };
    expect(v.a.slice(1, 4)).toEqual([Infinity, -Infinity, 'Infinity']);
    expect(Number.isNaN(v.a[0])).toBe(true);
    expect(stringifyPy({ x: [NaN, -Infinity] }, 0)).toBe('{"x":[NaN,-Infinity]}');
  });
});

describe('CSV tokenizer agrees with csv-parse', () => {
  const cases: Array<[string, string]> = [
    ['plain', 'a,b\n1,2\n3,4\n'],
    ['quotes and doubled quotes', 'a,b\n"x, y","say ""hi"""\n'],
    ['newline inside quotes', 'a,b\n"line1\nline2",2\n3,4\n'],
    ['CRLF and no final newline', 'a,b\r\n1,2\r\n3,4'],
    ['empty fields and blank lines', 'a,b,c\n,,\n\n1,,3\n'],
    ['utf-8 across chunk boundaries', 'a,b\nélan,naïve\n"€uro",日本\n'],
  ];
  it.each(cases)('%s', async (_name, text) => {
    const bytes = Buffer.from(text);
    for (const size of [1, 3, 7, bytes.length]) {
      function* chunks(): Generator<Buffer> {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      }
      const got: Array<Array<string | number>> = [];
      for await (const group of tokenizeCsv(chunks(), 44, 'x.csv')) for (const r of group) got.push(r.fields);
      expect(got).toEqual(parse(text, { skip_empty_lines: true, relax_column_count: true }));
    }
  });
});

describe('CSV integers handed over by the tokenizer', () => {
  // every field an optional sign and 1-15 digits comes out as the number typeCsv makes of its text; the rest as text
  const texts = ['1', '-0', '+5', '007', '0', '-12', '123456789012345', '-999999999999999', '1234567890123456', '1e3', '1.5', '-', '+', '', ' 12', '12 ', '1_000', '٣', '"12"', 'NaN', 'inf'];
  it.each(texts)('%j', async (text) => {
    const chunk = Buffer.from(`${text},${text}\n`);
    const got: Array<string | number> = [];
    for await (const group of tokenizeCsv([chunk], 44, 'x.csv', undefined, { cols: [true, false] })) for (const r of group) got.push(...r.fields);
    const unquoted = text.startsWith('"') ? text.slice(1, -1) : text;
    const plain = /^[+-]?[0-9]{1,15}$/.test(text);
    expect(got[1]).toBe(unquoted); // a column not typed by value keeps its text
    if (plain) {
      expect(typeof got[0]).toBe('number');
      expect(Object.is(got[0], typeCsv(text, 'auto'))).toBe(true);
    } else expect(got[0]).toBe(unquoted);
  });
  it('the default reader and the csv-parse reader give the same batches over many chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlvet-csvint-'));
    const path = join(dir, 'n.csv');
    const r = rng(11);
    const vals = ['-0', '+5', '007', '1234567890123456', '1.0', '2.5e3', 'x', '', 'True', '-', '9007199254740993'];
    const lines = ['a,b,c'];
    for (let i = 0; i < 150_000; i++) lines.push(`${Math.floor(r() * 1e6) - 5e5},${vals[i % vals.length]},"${i}"`);
    writeFileSync(path, lines.join('\n') + '\n');
    const file = { path, display: 'n.csv', format: 'csv' as const, compression: 'none' as const, size: statSync(path).size };
    // past the reader's 1 MiB chunks: records after the first chunk are tokenized once the header is typed
    expect(file.size).toBeGreaterThan(2 << 20);
    const read = async (csvParser?: 'csv-parse') => {
      const out: Array<{ rowStart: number; length: number; columns: unknown[] }> = [];
      for await (const b of readCsv(file, 0, csvParser ? { csvParser } : {})) out.push({ rowStart: b.rowStart, length: b.length, columns: b.columns.map((c) => ({ ...c, values: Array.from(c.values, (v: unknown) => (Object.is(v, -0) ? '-0 (negative zero)' : v)) })) });
      return out;
    };
    const fast = await read();
    expect(fast.reduce((n, b) => n + b.length, 0)).toBe(150_000);
    expect(fast).toEqual(await read('csv-parse'));
  });
});

describe('regex answers are remembered per matcher', () => {
  it.each([
    ['repeated codes', (i: number) => ['ATL', 'lax', 'ORD1', 'SFO', ''][i % 5]!],
    ['near-unique values past the memo', (i: number) => (i % 3 ? `K${i}` : String.fromCharCode(65 + (i % 26)).repeat(3))],
    ['values past the length the memo keeps', (i: number) => (i % 2 ? 'A'.repeat(300) : 'ABC')],
  ])('%s: the same answer as a matcher that never saw them', (_name, value) => {
    const m = pyRegex('^[A-Z]{3}$');
    for (let i = 0; i < 20_000; i++) {
      const v = value(i);
      expect(m.test(v)).toBe(/^[A-Z]{3}$/.test(v));
    }
  });
});

describe('GX column aggregates', () => {
  it.each([
    // quantiles asked for, approximate past 2M values
    [false, false],
    [true, true],
  ])('quantiles %s: approximate past 2M values %s, the mean exact either way', (quantiles, approximate) => {
    const s = new ColumnStats(false, quantiles);
    for (let i = 0; i < 2_000_001; i++) s.add(i % 1000);
    expect(s.approximate).toBe(approximate);
    expect(s.sum / s.n).toBeCloseTo(499.4997502, 6);
    if (quantiles) expect(Math.abs(s.quantile(0.5, 'linear') - 500)).toBeLessThan(30);
    else expect(() => s.quantile(0.5, 'linear')).toThrow(/not asked for/);
  });
});

describe('sketches', () => {
  it('KLL quantiles stay within 2% rank of the truth on 1M normals', () => {
    const r = rng(5);
    const k = new Kll(200);
    const xs = new Float64Array(200_000);
    for (let i = 0; i < 1_000_000; i++) {
      const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
      k.add(z);
      if (i % 5 === 0) xs[i / 5] = z;
    }
    xs.sort();
    for (const q of [0.001, 0.01, 0.25, 0.5, 0.75, 0.99, 0.999]) {
      const v = k.quantile(q);
      let lo = 0;
      while (lo < xs.length && xs[lo]! < v) lo++;
      expect(Math.abs(lo / xs.length - q)).toBeLessThan(0.02);
    }
  });
  it.each([1000, 9000, 50_000, 300_000])('distinct count of %i values is within 3%', (n) => {
    const d = new DistinctCounter();
    const r = rng(n);
    for (let i = 0; i < n; i++) d.add((r() * 2 ** 32) >>> 0, (r() * 2 ** 32) >>> 0);
    expect(Math.abs(d.count() - n) / n).toBeLessThan(n <= 10_000 ? 1e-9 : 0.03);
  });
});

describe('hash-partitioned grouping is exact whether or not it spills', () => {
  it.each([1 << 20, 64])('budget %i records', (budget) => {
    const g = new HashGroups(budget);
    const r = rng(9);
    const truth = new Map<number, Set<number>>();
    const sizes = new Map<number, number>();
    for (let i = 0; i < 5000; i++) {
      const k = Math.floor(r() * 3000);
      const label = k % 7 === 0 ? i % 2 : 0;
      g.add((k * 2654435761) >>> 0, k, label, i);
      truth.set(k, (truth.get(k) ?? new Set()).add(label));
      sizes.set(k, (sizes.get(k) ?? 0) + 1);
    }
    const want = { groups: truth.size, conflicts: [...truth].filter(([, l]) => l.size > 1).reduce((a, [k]) => a + sizes.get(k)!, 0) };
    let groups = 0;
    let conflicts = 0;
    let rows = 0;
    g.forEach((x) => {
      groups++;
      rows += x.count;
      if (x.labels.size > 1) conflicts += x.count;
    });
    expect(rows).toBe(5000);
    expect({ groups, conflicts }).toEqual(want);
    expect(g.spilled).toBe(budget < 5000);
  });
});
