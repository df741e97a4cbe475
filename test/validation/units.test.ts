/**
 * Unit tables for the pieces the GX semantics and the exact counts rest on: Python regex
 * translation, NaN/Infinity JSON, the CSV tokenizer against csv-parse, sketch accuracy, and
 * hash-partitioned counting giving the same groups in memory and spilled to disk.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { tokenizeCsv } from '../../src/validation/readers/csv-tokenizer.js';
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
      const got: string[][] = [];
      for await (const group of tokenizeCsv(chunks(), 44, 'x.csv')) for (const r of group) got.push(r.fields);
      expect(got).toEqual(parse(text, { skip_empty_lines: true, relax_column_count: true }));
    }
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
