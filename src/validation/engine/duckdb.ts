/**
 * The DuckDB session the dataset statistics run on (issue 13, decision 0006): one in-memory database per
 * run, two threads, a memory limit with spill to a private temp directory, and no access to anything but
 * the dataset's own files. The sandbox is set before the first query and then locked, so no SQL this
 * module or a caller builds can read another file, write one, or load an extension from the network.
 *
 * `@duckdb/node-api` is required on first use only: a scan never loads the native binding. It is CommonJS, and
 * `require` loads it without the ES module wrapper (whose export scan of its ~90 files cost ~45 ms a run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { MlvetError } from '../../errors.js';

export interface EngineOptions {
  /** files the SQL may read (absolute paths); nothing else is reachable */
  files: string[];
  /** worker threads (default 2: the machines CI gives) */
  threads?: number;
  /** DuckDB memory_limit, e.g. '512MB' (default DEFAULT_MEMORY_LIMIT); past it, operators spill to the temp directory */
  memoryLimit?: string;
}

/**
 * 128 MB: peak RSS then stops growing with rows (flights, `validate --baseline`, Parquet: 217 / 279 /
 * 283 MB at 1M / 3M / 30M rows, against 222 / 400 / 645 MB under 1 GB) at the cost of spilling on very
 * large inputs (30M rows: 11.0 s against 6.9 s). `--memory-limit` trades one for the other.
 */
export const DEFAULT_MEMORY_LIMIT = '128MB';

/** a memory size DuckDB reads (`512MB`, `2GiB`, `1.5GB`), checked here so a typo is a usage error, not a SQL one */
export function parseMemoryLimit(s: string): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i.exec(s);
  if (!m || Number(m[1]) <= 0) throw new MlvetError('USAGE', `--memory-limit ${s}: expected a size such as 256MB or 2GB`);
  const bytes = Number(m[1]) * 1024 ** ({ k: 1, m: 2, g: 3, t: 4 } as Record<string, number>)[m[2]![0]!.toLowerCase()]!;
  // a CSV read holds a 16 MiB buffer per thread, and a Parquet scan a row group per thread
  if (bytes < 64 * 1024 * 1024) throw new MlvetError('USAGE', `--memory-limit ${s}: at least 64MB (the engine holds a 16 MiB read buffer and a row group per thread)`);
  return `${m[1]}${m[2]}`;
}

export interface Engine {
  readonly con: DuckDBConnection;
  /** run a query and return its rows as JSON-safe objects (bigints as strings) */
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  /** run a statement for its effect */
  run(sql: string): Promise<void>;
  /** another connection to the same database (tables shared, temp tables its own), for queries side by side */
  fork(): Promise<Queries>;
  close(): void;
}

export type Queries = Pick<Engine, 'rows' | 'run'>;

/** a SQL string literal */
export const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** a SQL identifier (a column name from a hostile file) */
export const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

export async function openEngine(o: EngineOptions): Promise<Engine> {
  let api: typeof import('@duckdb/node-api');
  try {
    api = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');
  } catch (e) {
    throw new MlvetError('UNSUPPORTED', `the dataset engine (DuckDB) cannot load on this platform: ${(e as Error).message}`);
  }
  // MLVET_ENGINE_MEMORY_LIMIT: the same for runs that cannot pass a flag (benches)
  const limit = parseMemoryLimit(o.memoryLimit ?? process.env.MLVET_ENGINE_MEMORY_LIMIT ?? DEFAULT_MEMORY_LIMIT);
  const tmp = mkdtempSync(join(tmpdir(), 'mlvet-duckdb-'));
  let db: DuckDBInstance | undefined;
  try {
    db = await api.DuckDBInstance.create(':memory:', {
      threads: String(o.threads ?? 2),
      memory_limit: limit,
      temp_directory: tmp,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const con = await db.connect();
    await con.run(`SET allowed_paths = [${o.files.map(lit).join(', ')}]`);
    await con.run(`SET allowed_directories = [${lit(tmp + '/')}]`);
    await con.run('SET enable_external_access = false');
    // examples are the first rows by row number: collect.ts reads them with LIMIT and no ORDER BY
    await con.run('SET preserve_insertion_order = true');
    await con.run('SET lock_configuration = true');
    const instance = db;
    // MLVET_ENGINE_TRACE=1: each statement's time on stderr (for benches and profiling)
    const trace = process.env.MLVET_ENGINE_TRACE === '1';
    const timed = async <T>(sql: string, f: () => Promise<T>): Promise<T> => {
      if (!trace) return f();
      const t = performance.now();
      try {
        return await f();
      } finally {
        process.stderr.write(`[duckdb ${(performance.now() - t).toFixed(1)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 160)}\n`);
      }
    };
    // what cannot spill (a string column's distinct values, one huge row) can still exceed the limit:
    // that is the limit's doing, not the file's, and says so
    const oom = (e: unknown): never => {
      const m = /Out of Memory Error: ([^\n]*)/.exec((e as Error).message ?? '');
      if (m) throw new MlvetError('LIMIT_EXCEEDED', `the dataset engine ran out of its ${limit} memory limit (${m[1]!.slice(0, 200)}); raise it with --memory-limit`);
      throw e;
    };
    const forks: DuckDBConnection[] = [];
    const queries = (c: DuckDBConnection): Queries => ({
      async rows(sql) {
        return timed(sql, async () => (await c.runAndReadAll(sql).catch(oom)).getRowObjectsJson());
      },
      async run(sql) {
        await timed(sql, () => c.run(sql).catch(oom));
      },
    });
    return {
      con,
      ...queries(con),
      async fork() {
        const c = await instance.connect();
        forks.push(c);
        return queries(c);
      },
      close() {
        try {
          for (const c of forks) c.closeSync();
          con.closeSync();
          instance.closeSync();
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    db?.closeSync();
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
