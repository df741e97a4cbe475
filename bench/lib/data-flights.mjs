// Bench data from the real flights-3m.parquet (npm vega-datasets, U.S. DOT BTS data): every derived
// file is written once by DuckDB into bench/.data/ and never loaded into JS memory.
//   flights-3m.csv       the same 3M rows as CSV (what pandas and mlvet's CSV path read)
//   flights-1.5m.parquet every other row (the baseline `mlvet profile` builds)
//   flights-1m.parquet   the first 1M rows; flights-30m.parquet  the 3M rows ten times (RSS vs rows)
// Run as a script, it also does the DuckDB side of the comparison in its own process (so /usr/bin/time
// measures DuckDB alone): `node bench/lib/data-flights.mjs summarize <file>` prints JSON.
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..');
export const DATA = join(ROOT, 'bench', '.data');
export const SOURCE = join(ROOT, 'node_modules', 'vega-datasets', 'data', 'flights-3m.parquet');

const q = (p) => `'${p.replace(/'/g, "''")}'`;

async function connect() {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB', temp_directory: join(DATA, 'duckdb-tmp') });
  return db.connect();
}

/** Write `out` with DuckDB `COPY (sql) TO out` unless it exists (atomic: .tmp then rename). */
async function make(con, out, sql, format) {
  if (existsSync(out)) return false;
  const tmp = out + '.tmp';
  await con.run(`COPY (${sql}) TO ${q(tmp)} (FORMAT ${format})`);
  renameSync(tmp, out);
  return true;
}

export async function prepare(log = console.log) {
  mkdirSync(DATA, { recursive: true });
  if (!existsSync(SOURCE)) throw new Error(`missing ${SOURCE}: run npm ci (vega-datasets is a devDependency)`);
  const con = await connect();
  const src = `SELECT * FROM read_parquet(${q(SOURCE)})`;
  const files = {
    parquet3m: SOURCE,
    csv3m: join(DATA, 'flights-3m.csv'),
    baseline15m: join(DATA, 'flights-1.5m.parquet'),
    parquet1m: join(DATA, 'flights-1m.parquet'),
    parquet30m: join(DATA, 'flights-30m.parquet'),
  };
  const t = Date.now();
  const made = [
    await make(con, files.csv3m, src, 'CSV, HEADER'),
    await make(con, files.baseline15m, `SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER () AS rn FROM read_parquet(${q(SOURCE)})) WHERE rn % 2 = 0`, 'PARQUET'),
    await make(con, files.parquet1m, `${src} LIMIT 1000000`, 'PARQUET'),
    await make(con, files.parquet30m, Array.from({ length: 10 }, () => src).join(' UNION ALL '), 'PARQUET'),
  ];
  if (made.some(Boolean)) log(`prepared bench data in ${((Date.now() - t) / 1000).toFixed(1)} s (DuckDB, bench/.data/)`);
  for (const [k, f] of Object.entries(files)) log(`  ${k}: ${f.replace(ROOT + '/', '')} ${(statSync(f).size / 1e6).toFixed(1)} MB`);
  return files;
}

/** DuckDB SUMMARIZE (min/max/avg/std/approx quantiles/approx distinct/null %) + an exact duplicate-row count. */
async function summarize(file) {
  const con = await connect();
  const from = file.endsWith('.csv') ? `read_csv(${q(file)})` : `read_parquet(${q(file)})`;
  const t = performance.now();
  const s = await con.runAndReadAll(`SUMMARIZE SELECT * FROM ${from}`);
  const cols = s.getRowObjectsJson().map((r) => r.column_name);
  const d = await con.runAndReadAll(`SELECT sum(c) AS rows, sum(c - 1) AS duplicates FROM (SELECT count(*) AS c FROM ${from} GROUP BY ${cols.map((c) => `"${c}"`).join(', ')})`);
  const [row] = d.getRowObjectsJson();
  return { seconds: (performance.now() - t) / 1000, rows: Number(row.rows), duplicates: Number(row.duplicates), columns: cols.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cmd, file] = process.argv.slice(2);
  if (cmd === 'summarize') console.log(JSON.stringify(await summarize(file)));
  else if (cmd === 'prepare') await prepare();
  else throw new Error('usage: data-flights.mjs prepare | summarize <file>');
}
