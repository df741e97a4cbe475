/**
 * Hostile input on the DuckDB engine: a truncated Parquet file is an error naming the file; a CSV with a
 * bad row and a CSV with a field past the line limit are read except for those rows, which the report
 * names by file and line as inconclusive — never a clean report of data that was not fully read.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MlvetError } from '../../../src/errors.js';
import { validate } from '../../../src/validation/validate.js';
import { ROOT } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mlvet-hostile-'));
const rows = (n: number): string => Array.from({ length: n }, (_, i) => `${i},${(i * 7) % 13},${i % 3 === 0 ? 'a' : 'b'}`).join('\n');

async function outcome(path: string): Promise<{ code?: string; message?: string; inconclusive: Array<{ path: string; message: string }>; clean?: boolean }> {
  try {
    const { report } = await validate({ dataset: path, poisoning: true });
    return { inconclusive: report.inconclusive.map((i) => ({ path: i.path, message: i.message })), clean: report.findings.length === 0 && report.inconclusive.length === 0 };
  } catch (e) {
    if (!(e instanceof MlvetError)) throw e;
    return { code: String(e.code), message: e.message, inconclusive: [] };
  }
}

describe('hostile input on the engine', () => {
  it('a truncated Parquet file: PARSE_ERROR naming the file', async () => {
    const whole = readFileSync(join(ROOT, 'fixtures', 'datasets', 'small.parquet'));
    const p = join(dir, 'truncated.parquet');
    writeFileSync(p, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const o = await outcome(p);
    expect(o.code).toBe('PARSE_ERROR');
    expect(o.message).toContain('truncated.parquet');
  });

  it('a CSV with a row of too many fields: the row is named (file and line), the report is not clean', async () => {
    const p = join(dir, 'bad-row.csv');
    writeFileSync(p, `id,x,c\n${rows(50)}\n51,1,a,EXTRA\n${rows(50)}\n`);
    const o = await outcome(p);
    expect(o.code).toBeUndefined();
    expect(o.clean).toBe(false);
    expect(o.inconclusive).toEqual([{ path: p, message: expect.stringMatching(/^row 52: /) as string }]);
  }, 30_000);

  it('a 9 MiB field (past DuckDB line limit) is read by the JS tokenizer; past 64 MiB it is LIMIT_EXCEEDED at its line', async () => {
    const p = join(dir, 'big-field.csv');
    writeFileSync(p, `id,x,c\n${rows(50)}\n51,1,${'z'.repeat(9 << 20)}\n${rows(50)}\n`);
    const { validation } = await validate({ dataset: p, poisoning: true });
    expect(validation.meta.rows_scanned ?? (validation.meta as { mlvet?: { rows_scanned?: number } }).mlvet?.rows_scanned).toBe(101);
    const q = join(dir, 'huge-field.csv');
    writeFileSync(q, `id,x,c\n${rows(50)}\n51,1,${'z'.repeat(65 << 20)}\n${rows(50)}\n`);
    const o = await outcome(q);
    expect([o.code, o.message]).toEqual(['LIMIT_EXCEEDED', `${q}: line 52: a record is longer than ${64 * 1024 * 1024} bytes`]);
  }, 60_000);
});
