/**
 * The DuckDB session reads the dataset's own files and nothing else: another file, a write, or turning the
 * sandbox off from SQL are refused, and closing removes its temp directory.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_LIMIT, ident, lit, openEngine, parseMemoryLimit } from '../../../src/validation/engine/duckdb.js';
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

  it.each([
    [undefined, DEFAULT_MEMORY_LIMIT],
    ['64MB', '64MB'],
    ['1.5GiB', '1.5GiB'],
  ])('memory limit %s is the session\'s memory_limit (%s)', async (given, want) => {
    const e = await openEngine({ files: [], ...(given ? { memoryLimit: given } : {}) });
    try {
      const [r] = await e.rows(`SELECT current_setting('memory_limit') AS m, (SELECT value FROM duckdb_settings() WHERE name = 'memory_limit') AS v`);
      // DuckDB prints the limit in its own units (e.g. "122.0 MiB" for 128MB): compare as bytes
      const bytes = (x: string): number => {
        const m = /^([\d.]+)\s*(KiB|MiB|GiB|KB|MB|GB)$/i.exec(x.trim())!;
        return Number(m[1]) * ({ kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1e3, mb: 1e6, gb: 1e9 } as Record<string, number>)[m[2]!.toLowerCase()]!;
      };
      expect(Math.abs(bytes(String(r!.m)) / bytes(want) - 1)).toBeLessThan(0.01);
    } finally {
      e.close();
    }
  });

  it.each(['', '12', 'lots', '0MB', '-5MB', '8MB', '32MB', "1GB'; SET x=1"])('memory limit %j is a usage error', (s) => {
    let err: unknown;
    try {
      parseMemoryLimit(s);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'USAGE' });
    expect((err as Error).message).toMatch(/--memory-limit/);
  });

  it('what outgrows the memory limit is LIMIT_EXCEEDED naming the limit and the flag, not a parse error', async () => {
    const e = await openEngine({ files: [], memoryLimit: '64MB' });
    try {
      // a list aggregate cannot spill: 30M BIGINTs are 240 MB
      const err: unknown = await e.rows('SELECT length(list(i)) AS n FROM range(30000000) t(i)').then(() => undefined, (x: unknown) => x);
      expect(err).toMatchObject({ code: 'LIMIT_EXCEEDED' });
      expect((err as Error).message).toMatch(/ran out of its 64MB memory limit .*--memory-limit/);
    } finally {
      e.close();
    }
  });

  it('quotes hostile names and strings', () => {
    expect(ident('a"b')).toBe('"a""b"');
    expect(lit("it's")).toBe("'it''s'");
  });
});
