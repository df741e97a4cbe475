/**
 * The DuckDB session reads the dataset's own files and nothing else: another file, a write, or turning the
 * sandbox off from SQL are refused, and closing removes its temp directory.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ident, lit, openEngine } from '../../../src/validation/engine/duckdb.js';
import { ROOT } from '../../helpers/cli.js';

const FLIGHTS = join(ROOT, 'fixtures');

describe('DuckDB engine sandbox', () => {
  it('reads an allowed file, refuses every other path and a config change', async () => {
    const data = join(ROOT, 'package.json');
    const e = await openEngine({ files: [data] });
    try {
      const [r] = await e.rows(`SELECT count(*) AS n FROM read_json_auto(${lit(data)})`);
      expect(Number(r!.n)).toBe(1);
      await expect(e.rows(`SELECT * FROM read_csv(${lit('/etc/passwd')})`)).rejects.toThrow(/Permission Error/);
      await expect(e.run(`COPY (SELECT 1) TO ${lit(join(FLIGHTS, 'out.csv'))}`)).rejects.toThrow(/Permission Error/);
      await expect(e.run('SET enable_external_access = true')).rejects.toThrow(/Cannot change configuration/);
      await expect(e.run("INSTALL httpfs")).rejects.toThrow();
    } finally {
      e.close();
    }
    expect(existsSync(join(FLIGHTS, 'out.csv'))).toBe(false);
  });

  it('quotes hostile names and strings', () => {
    expect(ident('a"b')).toBe('"a""b"');
    expect(lit("it's")).toBe("'it''s'");
  });
});
