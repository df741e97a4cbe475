/**
 * The dataset as one DuckDB table `t` (issue 13): every data file, in file order, with `__row` (1-based, the
 * row numbers mlvet's readers give). Parquet and CSV/TSV (plain, .gz, .zst) are read by DuckDB itself;
 * JSON Lines and Arrow IPC (DuckDB has no offline Arrow reader, and JSONL's flattening and value model are
 * mlvet's) are read by the JS readers and appended, so every format has one statistics engine.
 *
 * Each column is described by SQL expressions with mlvet's value model (types.ts / readers/infer.ts):
 * `cls` — 0 missing (null or NaN), 1 integer, 2 float, 3 boolean, 4 string, 5 date/time, 6 other (nested) —,
 * `num` (the number; a boolean as 0/1; a time as epoch milliseconds) and `str` (a string; nested values as
 * JSON). A CSV column DuckDB types as a number or a time holds only those; a CSV column of strings is typed
 * value by value as mlvet's CSV reader does (a "12" among words is a number), so type drift is seen.
 */
import { MlvetError } from '../../errors.js';
import { readFile } from '../readers/dataset.js';
import type { DataFile, Dtype, ReaderOptions, RowProblem } from '../types.js';
import { valueAt } from '../types.js';
import { ident, lit, type Engine } from './duckdb.js';

export type Store = 'number' | 'bool' | 'time' | 'string' | 'json' | 'mixed' | 'csv-string';

export interface ColumnModel {
  name: string;
  /** the quoted column in `t` (mixed columns: the prefix of k_/n_/s_) */
  col: string;
  store: Store;
  cls: string;
  num: string;
  str: string;
  /** a GROUP BY-able expression for the value (native type) */
  value: string;
  /** the value's hash for distinct counts (numbers by value: 1 and 1.0 are one value) */
  hash: string;
  /** the dtype the file declares (Parquet, Arrow), as the JS readers give it */
  declared?: Dtype;
}

export interface EngineTable {
  /** the table as engine/rows.ts reads it: `__row` and each column under its own name, typed */
  relation: string;
  /** the 0-based row in file order, as SQL over `t` */
  row0: string;
  rows: number;
  columns: ColumnModel[];
  problems: RowProblem[];
}

const NULLS = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '<NA>', 'n/a', '#N/A', '-NaN', '-nan'];
const INT_RE = "'[+-]?[0-9]+'";
const FLOAT_RE = "'(?i)[+-]?(?:[0-9]+\\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\\.[0-9]+(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)'";

/** JS `String(x)` for a double, as `keyOf` prints numbers */
export const numKey = (x: string): string =>
  `CASE WHEN isinf(${x}) THEN (CASE WHEN ${x} > 0 THEN 'Infinity' ELSE '-Infinity' END) WHEN ${x} = trunc(${x}) AND abs(${x}) < 1e21 THEN CAST(CAST(${x} AS HUGEINT) AS VARCHAR) ELSE CAST(${x} AS VARCHAR) END`;
/** JSON.stringify(Date) */
const timeKey = (ms: string): string => `'"' || strftime(make_timestamp(CAST(${ms} * 1000 AS BIGINT)), '%Y-%m-%dT%H:%M:%S.%gZ') || '"'`;

/** keyOf(value) over a column's expressions */
export function keyExpr(c: ColumnModel): string {
  switch (c.store) {
    case 'number':
      return numKey(c.num);
    case 'bool':
      return `CASE WHEN ${c.col} THEN 'True' ELSE 'False' END`;
    case 'time':
      return `'"' || strftime(CAST(${c.col} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ') || '"'`;
    case 'string':
    case 'json':
      return c.str;
    default:
      return `CASE ${c.cls} WHEN 1 THEN ${numKey(c.num)} WHEN 2 THEN ${numKey(c.num)} WHEN 3 THEN (CASE WHEN ${c.num} = 1 THEN 'True' ELSE 'False' END) WHEN 5 THEN ${timeKey(c.num)} ELSE ${c.str} END`;
  }
}

function nativeModel(name: string, type: string, declared?: Dtype): ColumnModel {
  const col = ident(name);
  const t = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/.test(t)) {
    const num = /^(FLOAT|DOUBLE|DECIMAL)/.test(t) ? `CASE WHEN isnan(CAST(${col} AS DOUBLE)) THEN NULL ELSE CAST(${col} AS DOUBLE) END` : `CAST(${col} AS DOUBLE)`;
    const float = /^(FLOAT|DOUBLE|DECIMAL)/.test(t);
    return { name, col, store: 'number', cls: `CASE WHEN (${num}) IS NULL THEN 0 WHEN ${float ? `(${num}) <> trunc(${num})` : 'false'} THEN 2 ELSE 1 END`, num, str: 'NULL::VARCHAR', value: col, hash: `hash(${num})`, declared: declared ?? (float ? 'float64' : 'int64') };
  }
  if (t === 'BOOLEAN') {
    const num = `CAST(${col} AS DOUBLE)`;
    return { name, col, store: 'bool', cls: `CASE WHEN ${col} IS NULL THEN 0 ELSE 3 END`, num, str: 'NULL::VARCHAR', value: col, hash: `hash(${num})`, declared: declared ?? 'bool' };
  }
  if (/^(TIMESTAMP|DATE)/.test(t)) {
    const num = `CAST(epoch_ms(CAST(${col} AS TIMESTAMP)) AS DOUBLE)`;
    return { name, col, store: 'time', cls: `CASE WHEN ${col} IS NULL THEN 0 ELSE 5 END`, num, str: 'NULL::VARCHAR', value: col, hash: `hash(${num})`, declared: declared ?? 'datetime64[ns]' };
  }
  if (t === 'VARCHAR') return { name, col, store: 'string', cls: `CASE WHEN ${col} IS NULL THEN 0 ELSE 4 END`, num: 'NULL::DOUBLE', str: col, value: col, hash: `hash(${col})`, declared: declared ?? 'object' };
  const str = `CAST(to_json(${col}) AS VARCHAR)`;
  return { name, col, store: 'json', cls: `CASE WHEN ${col} IS NULL THEN 0 ELSE 6 END`, num: 'NULL::DOUBLE', str, value: col, hash: `hash(${str})`, declared: declared ?? 'object' };
}

/** a CSV string column typed value by value (readers/infer.ts) */
function csvStringModel(name: string): ColumnModel {
  const v = ident(name);
  const cls = `CASE WHEN ${v} IS NULL THEN 0 WHEN regexp_full_match(${v}, ${INT_RE}) AND abs(TRY_CAST(${v} AS HUGEINT)) <= 9007199254740991 THEN 1 WHEN regexp_full_match(${v}, ${FLOAT_RE}) THEN (CASE WHEN isnan(TRY_CAST(${v} AS DOUBLE)) THEN 0 ELSE 2 END) WHEN ${v} IN ('True', 'TRUE', 'true', 'False', 'FALSE', 'false') THEN 3 ELSE 4 END`;
  const num = `CASE WHEN regexp_full_match(${v}, ${INT_RE}) OR regexp_full_match(${v}, ${FLOAT_RE}) THEN TRY_CAST(${v} AS DOUBLE) WHEN ${v} IN ('True', 'TRUE', 'true') THEN 1.0 WHEN ${v} IN ('False', 'FALSE', 'false') THEN 0.0 END`;
  const str = `CASE WHEN (${cls}) = 4 THEN ${v} END`;
  return { name, col: v, store: 'mixed', cls, num: `CASE WHEN isnan(${num}) THEN NULL ELSE ${num} END`, str, value: `${v}`, hash: `CASE WHEN (${cls}) IN (1, 2, 3) THEN hash(TRY_CAST(${v} AS DOUBLE)) ELSE hash(${v}) END` };
}

/** a column appended from JS batches: class, number and string in three columns */
function mixedModel(name: string, i: number, declared?: Dtype): ColumnModel {
  const k = `k_${i}`;
  const n = `n_${i}`;
  const s = `s_${i}`;
  return { name, col: `c_${i}`, store: 'mixed', cls: k, num: n, str: s, value: `${k}, ${n}, ${s}`, hash: `CASE WHEN ${n} IS NOT NULL THEN hash(${n}) ELSE hash(${s}) END`, ...(declared ? { declared } : {}) };
}

function fail(file: DataFile, e: unknown): never {
  if (e instanceof MlvetError) throw e;
  const msg = (e as Error).message.split(/\n\s*\n/)[0]!.replace(/Original Line: .*$/m, '').replace(/\s+/g, ' ').trim().slice(0, 300);
  const line = /line:? (\d+)/i.exec(msg)?.[1];
  throw new MlvetError('PARSE_ERROR', `${file.display}: ${file.format} does not read${line ? ` (line ${line})` : ''}: ${msg}`, { path: file.display, ...(line ? { row: Number(line) } : {}) });
}

const csvSource = (f: DataFile, o: ReaderOptions, names?: Record<string, string>): string => {
  const opts = [
    'header = true',
    `delim = ${lit(f.format === 'tsv' ? '\t' : ',')}`,
    "quote = '\"'",
    "escape = '\"'",
    `nullstr = [${NULLS.map(lit).join(', ')}]`,
    "auto_type_candidates = ['BIGINT', 'DOUBLE', 'TIMESTAMP', 'DATE', 'VARCHAR']",
    'ignore_errors = true',
    'store_rejects = true',
    'max_line_size = 8388608',
    'buffer_size = 16777216',
    `compression = ${lit(f.compression === 'gzip' ? 'gzip' : f.compression === 'zstd' ? 'zstd' : 'none')}`,
    ...(o.csvInfer === false ? ['all_varchar = true'] : []),
    ...(names && Object.keys(names).length ? [`types = {${Object.entries(names).map(([k, v]) => `${lit(k)}: ${lit(v)}`).join(', ')}}`] : []),
  ];
  return `read_csv(${lit(f.path)}, ${opts.join(', ')})`;
};

/** Loads the dataset into table `t`; JSONL and Arrow through the JS readers (appended). */
export async function loadTable(e: Engine, files: DataFile[], o: ReaderOptions = {}): Promise<EngineTable> {
  const problems: RowProblem[] = [];
  const kind = files[0]!.format;
  // compressed text goes through the JS readers: their decompression budgets stop bombs (DuckDB has none);
  // the csv-parse tokenizer, when asked for, is the JS reader's
  const js = files.some((f) => f.compression !== 'none') || o.csvParser === 'csv-parse';
  if (kind === 'parquet') {
    // Parquet is not loaded: every query scans the files (only the columns it names), so memory does not grow
    // with rows; the row number is the file's offset plus its row number, in file order
    const list = `[${files.map((f) => lit(f.path)).join(', ')}]`;
    try {
      const counts = await e.rows(`SELECT filename AS f, count(*) AS n FROM read_parquet(${list}, filename = true) GROUP BY 1`);
      const byFile = new Map(counts.map((r) => [String(r.f), Number(r.n)]));
      let at = 0;
      const offset = files.map((f) => {
        const o = at;
        at += byFile.get(f.path) ?? 0;
        return `WHEN ${lit(f.path)} THEN ${o}`;
      });
      const row0 = files.length === 1 ? 'file_row_number' : `(file_row_number + CASE filename ${offset.join(' ')} END)`;
      await e.run(`CREATE VIEW t AS SELECT *, ${row0} AS __row0 FROM read_parquet(${list}, union_by_name = true, filename = true, file_row_number = true)`);
    } catch (err) {
      const bad = await firstUnreadable(e, files);
      fail(bad ?? files[0]!, err);
    }
    const tab = await described(e, (n, type) => nativeModel(n, type), problems, ['filename', 'file_row_number', '__row0']);
    return { ...tab, row0: '__row0', relation: '(SELECT __row0 + 1 AS __row, * EXCLUDE (filename, file_row_number, __row0) FROM t)' };
  }
  if ((kind === 'csv' || kind === 'tsv') && !js) {
    for (const [i, f] of files.entries()) {
      const forced: Record<string, string> = {};
      for (const [c, t] of Object.entries(o.csvTypes ?? {})) if (t === 'string') forced[c] = 'VARCHAR';
      const src = `SELECT * FROM ${csvSource(f, o, forced)}`;
      try {
        await e.run(i === 0 ? `CREATE TABLE t AS ${src}` : `INSERT INTO t BY NAME ${src}`);
      } catch (err) {
        // a line past DuckDB's 8 MiB: the JS tokenizer reads records up to 64 MiB (and names the line past that)
        if (/Maximum line size/i.test((err as Error).message)) {
          await e.run('DROP TABLE IF EXISTS t');
          problems.length = 0;
          return appended(e, files, o, problems);
        }
        fail(f, err);
      }
      const rejects = await e.rows('SELECT line, error_type, error_message FROM reject_errors ORDER BY line LIMIT 1001');
      const maxBad = o.maxBadRows ?? 1000;
      if (rejects.length > maxBad) throw new MlvetError('PARSE_ERROR', `${f.display}: line ${String(rejects[maxBad]!.line)}: too many bad rows (${rejects.length}${rejects.length > 1000 ? '+' : ''})`, { path: f.display, row: Number(rejects[maxBad]!.line) });
      for (const r of rejects) problems.push({ file: f.display, row: Number(r.line), message: String(r.error_message).split('\n')[0]!.slice(0, 300) });
    }
    const forcedString = new Set(o.csvInfer === false ? [] : Object.entries(o.csvTypes ?? {}).filter(([, t]) => t === 'string').map(([c]) => c));
    return described(e, (n, type) => (type === 'VARCHAR' && o.csvInfer !== false && !forcedString.has(n) ? csvStringModel(n) : nativeModel(n, type)), problems);
  }
  return appended(e, files, o, problems);
}

async function firstUnreadable(e: Engine, files: DataFile[]): Promise<DataFile | undefined> {
  for (const f of files) {
    try {
      await e.rows(`SELECT count(*) FROM read_parquet(${lit(f.path)})`);
    } catch {
      return f;
    }
  }
  return undefined;
}

async function described(e: Engine, model: (name: string, type: string) => ColumnModel, problems: RowProblem[], hidden: string[] = []): Promise<EngineTable> {
  const cols = (await e.rows('DESCRIBE t')).filter((c) => !hidden.includes(String(c.column_name)));
  const [{ n }] = (await e.rows('SELECT count(*) AS n FROM t')) as [{ n: string }];
  const columns = cols.map((c) => model(String(c.column_name), String(c.column_type)));
  // a string column with no value of another type needs no per-value typing in later queries
  const typed = columns.filter((c) => c.store === 'mixed');
  if (typed.length) {
    // judged on the distinct values (a few hundred airport codes, not three million rows through a regex)
    for (const c of typed) {
      const [r] = await e.rows(`SELECT count_if((${c.cls}) IN (1, 2, 3)) AS m FROM (SELECT DISTINCT ${c.col} FROM t)`);
      if (Number(r!.m) === 0) Object.assign(c, nativeModel(c.name, 'VARCHAR'), { declared: undefined });
    }
  }
  return { relation: '(SELECT rowid + 1 AS __row, * FROM t)', row0: 'rowid', rows: Number(n), columns, problems };
}

/** JSONL / Arrow: the JS readers' batches, appended row by row into class/number/string columns */
async function appended(e: Engine, files: DataFile[], o: ReaderOptions, problems: RowProblem[]): Promise<EngineTable> {
  const names: string[] = [];
  const declared = new Map<string, Dtype>();
  const at = new Map<string, number>();
  // the schema first (a column may first appear in a later batch): one pass to learn names, then append
  let rows = 0;
  for (const f of files) {
    for await (const b of readFile(f, rows, { ...o, onProblem: (p) => problems.push(p) })) {
      for (const c of b.columns) {
        if (!at.has(c.name)) {
          at.set(c.name, names.length);
          names.push(c.name);
        }
        if (c.declared && !declared.has(c.name)) declared.set(c.name, c.declared);
      }
      rows += b.length;
    }
  }
  const defs = names.map((_, i) => `k_${i} UTINYINT, n_${i} DOUBLE, s_${i} VARCHAR`);
  // which classes each column holds, for the typed view engine/rows.ts hashes
  const classes = names.map(() => new Set<number>());
  await e.run(`CREATE TABLE t (${defs.length ? defs.join(', ') : 'k_none UTINYINT'})`);
  const app = await e.con.createAppender('t');
  try {
    let start = 0;
    for (const f of files) {
      for await (const b of readFile(f, start, { ...o, onProblem: undefined })) {
        const cols = names.map((n) => b.columns.find((c) => c.name === n));
        for (let r = 0; r < b.length; r++) {
          if (!names.length) app.appendNull();
          for (const [j, c] of cols.entries()) {
            const v = c ? valueAt(c, r) : null;
            classes[j]!.add(v === null ? 0 : typeof v === 'number' ? 1 : typeof v === 'boolean' ? 3 : typeof v === 'string' ? 4 : v instanceof Date ? 5 : 6);
            if (v === null) {
              app.appendUTinyInt(0);
              app.appendNull();
              app.appendNull();
            } else if (typeof v === 'number') {
              app.appendUTinyInt(Number.isInteger(v) && !(c as { floatLiteral?: boolean }).floatLiteral ? 1 : 2);
              app.appendDouble(v);
              app.appendNull();
            } else if (typeof v === 'boolean') {
              app.appendUTinyInt(3);
              app.appendDouble(v ? 1 : 0);
              app.appendNull();
            } else if (typeof v === 'string') {
              app.appendUTinyInt(4);
              app.appendNull();
              app.appendVarchar(v);
            } else if (v instanceof Date) {
              app.appendUTinyInt(5);
              app.appendDouble(v.getTime());
              app.appendNull();
            } else {
              app.appendUTinyInt(6);
              app.appendNull();
              app.appendVarchar(typeof v === 'bigint' ? v.toString() : (JSON.stringify(v) ?? 'null'));
            }
          }
          app.endRow();
        }
        start += b.length;
      }
    }
    app.flushSync();
  } finally {
    app.closeSync();
  }
  const typed = names.map((n, i) => {
    const k = new Set([...classes[i]!].filter((x) => x !== 0));
    const only = k.size === 1 ? [...k][0] : k.size === 0 ? 4 : -1;
    const e = only === 1 ? `n_${i}` : only === 3 ? `n_${i} = 1` : only === 5 ? `make_timestamp(CAST(n_${i} * 1000 AS BIGINT))` : only === 4 || only === 6 ? `s_${i}` : `CASE WHEN k_${i} IN (1, 2, 3) THEN CAST(n_${i} AS VARCHAR) ELSE s_${i} END`;
    return `${e} AS ${ident(n)}`;
  });
  const relation = `(SELECT rowid + 1 AS __row${typed.map((x) => `, ${x}`).join('')} FROM t)`;
  return { relation, row0: 'rowid', rows, columns: names.map((n, i) => mixedModel(n, i, declared.get(n))), problems };
}
