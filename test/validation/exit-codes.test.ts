/**
 * Issue 12: one exit-code rule across every reader. Content that cannot be read is a coded error
 * (PARSE_ERROR, LIMIT_EXCEEDED, UNSUPPORTED) or a per-row problem, both exit 2; a usage error is 3.
 * Every corrupt input is made here from the committed small fixtures, and every thrown error must
 * name the file, never a JavaScript internal ("Cannot read properties of undefined").
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMlvetError, MlvetError } from '../../src/errors.js';
import { datasetErrorExit } from '../../src/validation/exit.js';
import { profile } from '../../src/validation/profile.js';
import { validate } from '../../src/validation/validate.js';

const FIX = 'fixtures/datasets';
const parquet = readFileSync(join(FIX, 'small.parquet'));
const arrow = readFileSync(join(FIX, 'small.arrow'));
const JS_INTERNALS = /Cannot read properties|is not a function|is not iterable|undefined|Maximum call stack/;
let dir: string;

function withFooterLength(b: Buffer, len: number): Buffer {
  const out = Buffer.from(b);
  out.writeUInt32LE(len, out.length - 8);
  return out;
}

/** Overwrite `n` footer bytes (just before the length word) with `byte`. */
function smashFooter(b: Buffer, n: number, byte: number): Buffer {
  const out = Buffer.from(b);
  out.fill(byte, out.length - 8 - n, out.length - 8);
  return out;
}

const deep = (d: number, open: string, close: string): string => `{"x":${open.repeat(d)}1${close.repeat(d)}}\n`;

/** name, file name, bytes, expected thrown code (or 'row' for a per-row problem at that line) */
const CASES: Array<[string, string, Buffer | string, 'PARSE_ERROR' | 'LIMIT_EXCEEDED' | 'UNSUPPORTED' | { row: number }]> = [
  ['parquet: not parquet at all', 'a.parquet', 'PAR1 but not really', 'PARSE_ERROR'],
  ['parquet: footer length past the file', 'b.parquet', withFooterLength(parquet, 0x7fffffff), 'PARSE_ERROR'],
  ['parquet: footer zeroed', 'c.parquet', smashFooter(parquet, 200, 0x00), 'PARSE_ERROR'],
  ['parquet: footer of 0xff', 'd.parquet', smashFooter(parquet, 600, 0xff), 'PARSE_ERROR'],
  ['parquet: footer with a list where a struct is', 'e.parquet', smashFooter(parquet, 40, 0x19), 'PARSE_ERROR'],
  ['parquet: cut in half', 'f.parquet', parquet.subarray(0, parquet.length >> 1), 'PARSE_ERROR'],
  ['arrow: magic only', 'a.arrow', arrow.subarray(0, 8), 'PARSE_ERROR'],
  ['arrow: cut at 40%', 'b.arrow', arrow.subarray(0, Math.floor(arrow.length * 0.4)), 'PARSE_ERROR'],
  ['arrow: cut at 90%', 'c.arrow', arrow.subarray(0, Math.floor(arrow.length * 0.9)), 'PARSE_ERROR'],
  ['arrow: schema message of 0xff', 'd.arrow', Buffer.concat([arrow.subarray(0, 16), Buffer.alloc(200, 0xff), arrow.subarray(216)]), 'PARSE_ERROR'],
  ['csv: unterminated quote', 'a.csv', 'a,b\n1,"2\n3,4\n', 'PARSE_ERROR'],
  ['csv: ragged row', 'b.csv', 'a,b\n1,2\n3\n4,5\n', { row: 3 }],
  ['csv.gz: truncated gzip', 'c.csv.gz', gzipSync('a,b\n1,2\n'.repeat(500)).subarray(0, 40), 'PARSE_ERROR'],
  ['parquet.gz: compressed columnar', 'g.parquet.gz', gzipSync(parquet), 'UNSUPPORTED'],
  ['jsonl: bad line', 'a.jsonl', '{"a":1}\n{"a":\n{"a":2}\n', { row: 2 }],
  ['jsonl: not an object', 'b.jsonl', '{"a":1}\n[1,2]\n', { row: 2 }],
  ['jsonl: 10,000 nested objects', 'c.jsonl', '{"a":1}\n' + `{"a":${'{"b":'.repeat(10_000)}1${'}'.repeat(10_000)}}\n`, { row: 2 }],
  ['jsonl: 10,000 nested arrays', 'd.jsonl', '{"a":1}\n{"a":2}\n' + deep(10_000, '[', ']'), { row: 3 }],
  ['jsonl: 513 levels, one past the limit', 'e.jsonl', '{"a":1}\n' + deep(512, '[', ']'), { row: 2 }],
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlvet-exit-'));
  for (const [, name, bytes] of CASES) writeFileSync(join(dir, name), bytes);
  writeFileSync(join(dir, 'ok.jsonl'), '{"a":1}\n' + deep(500, '[', ']'));
  writeFileSync(join(dir, 'empty-suite.json'), JSON.stringify({ name: 'empty', expectations: [] }));
  writeFileSync(join(dir, 'old-baseline.json'), JSON.stringify({ mlvetBaseline: 1, stats: {}, columns: [] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function thrown(p: Promise<unknown>): Promise<MlvetError> {
  try {
    await p;
  } catch (e) {
    if (isMlvetError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('unreadable content is exit 2, named by file', () => {
  it.each(CASES)('%s', async (_name, file, _bytes, want) => {
    const dataset = join(dir, file);
    if (typeof want === 'string') {
      for (const run of [() => profile({ dataset }), () => validate({ dataset, poisoning: true })]) {
        const e = await thrown(run());
        expect([e.code, e.details.path, datasetErrorExit(e)]).toEqual([want, dataset, 2]);
        expect(e.message.startsWith(`${dataset}: `)).toBe(true);
        expect(e.message).not.toMatch(JS_INTERNALS);
      }
    } else {
      const { problems } = await profile({ dataset });
      expect(problems.map((p) => [p.file, p.row])).toEqual([[dataset, want.row]]);
      const { report } = await validate({ dataset, poisoning: true });
      expect(report.inconclusive.map((i) => [i.path, i.code, i.message.startsWith(`row ${want.row}: `)])).toEqual([[dataset, 'PARSE_ERROR', true]]);
    }
  }, 20_000);

  it.each([
    ['unterminated quote', 'a,b\n1,"2\n3,4\n', 'PARSE_ERROR'],
    ['quote inside an unquoted field', 'a,b\n1,2"x"\n', 'PARSE_ERROR'],
  ])('csv-parse reader: %s', async (_name, text, code) => {
    const dataset = join(dir, `cp-${code}-${text.length}.csv`);
    writeFileSync(dataset, text);
    const e = await thrown(profile({ dataset, reader: { csvParser: 'csv-parse' } }));
    expect([e.code, e.details.path, e.details.parser, datasetErrorExit(e)]).toEqual([code, dataset, 'csv-parse', 2]);
    expect(e.message).not.toMatch(JS_INTERNALS);
  }, 20_000);

  it('512 levels of nesting is still a row', async () => {
    const { problems, baseline } = await profile({ dataset: join(dir, 'ok.jsonl') });
    expect([problems.length, baseline.rows]).toEqual([0, 2]);
  }, 20_000);
});

describe('usage errors are exit 3', () => {
  it.each([
    ['missing dataset', () => profile({ dataset: join(dir, 'nope.csv') }), 'NOT_FOUND'],
    ['unknown kwarg in the suite', () => validate({ dataset: join(FIX, 'small.csv'), suite: join(FIX, 'suite-unknown-kwarg.json') }), 'SUITE_INVALID'],
    ['not a data file', () => profile({ dataset: join(FIX, 'make.mjs') }), 'USAGE'],
    ['validate: not a data file', () => validate({ dataset: join(FIX, 'make.mjs'), poisoning: true }), 'USAGE'],
    ['validate: no suite, no baseline, no label, no check', () => validate({ dataset: join(FIX, 'small.csv') }), 'USAGE'],
    ['validate: a suite with no expectations and no checks', () => validate({ dataset: join(FIX, 'small.csv'), suite: join(dir, 'empty-suite.json'), poisoning: false }), 'USAGE'],
    ['validate: an old baseline', () => validate({ dataset: join(FIX, 'small.csv'), baseline: join(dir, 'old-baseline.json') }), 'CONFIG_INVALID'],
  ] as const)('%s', async (_name, run, code) => {
    const e = await thrown(run());
    expect([e.code, datasetErrorExit(e)]).toEqual([code, 3]);
  }, 20_000);

  it('an uncoded error is exit 3', () => {
    expect(datasetErrorExit(new TypeError('x'))).toBe(3);
  });
});
