/**
 * The DuckDB session the dataset statistics run on (issue 13, decision 0006): one in-memory database per
 * run, two threads, a memory limit with spill to a private temp directory, and no access to anything but
 * the dataset's own files. The sandbox is set before the first query and then locked, so no SQL this
 * module or a caller builds can read another file, write one, or load an extension from the network.
 *
 * `@duckdb/node-api` is imported on first use only: a scan never loads the native binding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { MlvetError } from '../../errors.js';

export interface EngineOptions {
  /** files the SQL may read (absolute paths); nothing else is reachable */
  files: string[];
  /** worker threads (default 2: the machines CI gives) */
  threads?: number;
  /** DuckDB memory_limit, e.g. '1GB' (default 1GB); past it, operators spill to the temp directory */
  memoryLimit?: string;
}

export interface Engine {
  readonly con: DuckDBConnection;
  /** run a query and return its rows as JSON-safe objects (bigints as strings) */
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  /** run a statement for its effect */
  run(sql: string): Promise<void>;
  close(): void;
}

/** a SQL string literal */
export const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** a SQL identifier (a column name from a hostile file) */
export const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

export async function openEngine(o: EngineOptions): Promise<Engine> {
  let api: typeof import('@duckdb/node-api');
  try {
    api = await import('@duckdb/node-api');
  } catch (e) {
    throw new MlvetError('UNSUPPORTED', `the dataset engine (DuckDB) cannot load on this platform: ${(e as Error).message}`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'mlvet-duckdb-'));
  let db: DuckDBInstance | undefined;
  try {
    db = await api.DuckDBInstance.create(':memory:', {
      threads: String(o.threads ?? 2),
      memory_limit: o.memoryLimit ?? '1GB',
      temp_directory: tmp,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const con = await db.connect();
    await con.run(`SET allowed_paths = [${o.files.map(lit).join(', ')}]`);
    await con.run(`SET allowed_directories = [${lit(tmp + '/')}]`);
    await con.run('SET enable_external_access = false');
    await con.run('SET lock_configuration = true');
    const instance = db;
    return {
      con,
      async rows(sql) {
        const r = await con.runAndReadAll(sql);
        return r.getRowObjectsJson();
      },
      async run(sql) {
        await con.run(sql);
      },
      close() {
        try {
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
