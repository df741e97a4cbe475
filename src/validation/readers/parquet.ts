/**
 * Parquet reader on hyparquet: the footer gives schema, row groups and statistics; data is read one
 * row group at a time and only for the columns asked for, so memory is one row group's columns.
 * The footer is attacker-controlled: its row count and null counts are cross-checked, never trusted.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { MlvetError } from '../../errors.js';
import type { Batch, Column, DataFile, Dtype, ReaderOptions } from '../types.js';
import { guarded } from './failure.js';

export interface ParquetFooter {
  rows: number;
  rowGroups: number;
  columns: Array<{ name: string; dtype: Dtype; nullCount?: number; min?: unknown; max?: unknown }>;
}

export async function parquetFooter(file: DataFile): Promise<{ meta: FileMetaData; footer: ParquetFooter }> {
  const meta = await guarded(file.display, 'hyparquet', 'not a readable Parquet file (the footer does not decode)', async () =>
    parquetMetadataAsync(await asyncBufferFromFile(file.path)),
  );
  // a footer that decodes can still lie in shape (a schema without children, row groups that are not lists)
  return guarded(file.display, 'hyparquet', 'corrupt Parquet footer (schema or row groups malformed)', () => footerOf(file.display, meta));
}

/** More rows than this in one row group is a lying footer (it would also be one JS array too many). */
export const MAX_GROUP_ROWS = 1 << 28;

const shown = (v: unknown): string => (typeof v === 'number' || typeof v === 'bigint' ? String(v) : 'no count of');

function footerOf(display: string, meta: FileMetaData): { meta: FileMetaData; footer: ParquetFooter } {
  let total = 0;
  meta.row_groups.forEach((g, i) => {
    const n = Number(g.num_rows);
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_GROUP_ROWS) {
      throw new MlvetError('PARSE_ERROR', `${display}: corrupt Parquet footer (row group ${i} claims ${shown(g.num_rows)} rows)`, { path: display });
    }
    total += n;
  });
  if (total !== Number(meta.num_rows)) {
    throw new MlvetError('PARSE_ERROR', `${display}: corrupt Parquet footer (row groups hold ${total} rows, the footer says ${shown(meta.num_rows)})`, { path: display });
  }
  const top = parquetSchema(meta).children;
  const columns = top.map((c, i) => {
    const stats = meta.row_groups.map((g) => g.columns[i]?.meta_data?.statistics);
    const nulls = stats.every((s) => s?.null_count !== undefined) ? stats.reduce((a, s) => a + Number(s!.null_count), 0) : undefined;
    return { name: c.element.name, dtype: dtypeOf(c.element), ...(nulls !== undefined ? { nullCount: nulls } : {}) };
  });
  return { meta, footer: { rows: Number(meta.num_rows), rowGroups: meta.row_groups.length, columns } };
}

function dtypeOf(el: { type?: string; converted_type?: string; logical_type?: { type: string } }): Dtype {
  const lt = el.logical_type?.type ?? el.converted_type;
  if (lt === 'TIMESTAMP' || lt === 'TIMESTAMP_MILLIS' || lt === 'TIMESTAMP_MICROS' || lt === 'DATE') return 'datetime64[ns]';
  if (lt === 'STRING' || lt === 'UTF8' || lt === 'JSON' || lt === 'ENUM') return 'object';
  switch (el.type) {
    case 'INT32':
    case 'INT64':
      return 'int64';
    case 'FLOAT':
    case 'DOUBLE':
      return 'float64';
    case 'BOOLEAN':
      return 'bool';
    default:
      return 'object';
  }
}

export async function* readParquet(file: DataFile, rowStart: number, opts: ReaderOptions): AsyncGenerator<Batch> {
  const { meta, footer } = await parquetFooter(file);
  const buf = await asyncBufferFromFile(file.path);
  const wanted = opts.columns ? footer.columns.filter((c) => opts.columns!.includes(c.name)) : footer.columns;
  let groupStart = 0;
  for (const group of meta.row_groups) {
    const n = Number(group.num_rows);
    const arrays = new Map<string, unknown[] | ArrayLike<unknown>>();
    const filled = new Map<string, number>();
    await guarded(file.display, 'hyparquet', `row group at row ${groupStart + 1} does not decode (corrupt or truncated pages)`, () =>
      parquetRead({
        file: buf,
        metadata: meta,
        compressors,
        columns: wanted.map((c) => c.name),
        rowStart: groupStart,
        rowEnd: groupStart + n,
        onChunk: ({ columnName, columnData, rowStart: cs }) => place(arrays, filled, columnName, columnData, cs - groupStart, n),
      }),
      { row: groupStart + 1 },
    );
    const columns: Column[] = wanted.map((c) => toColumn(c.name, c.dtype, arrays.get(c.name), n));
    yield { rowStart: rowStart + groupStart, length: n, columns, file: file.display };
    groupStart += n;
  }
}

/** hyparquet hands a column chunk as one or more arrays; the common case (one chunk = the group) is kept as is. */
function place(
  arrays: Map<string, unknown[] | ArrayLike<unknown>>,
  filled: Map<string, number>,
  name: string,
  data: ArrayLike<unknown>,
  at: number,
  n: number,
): void {
  if (at === 0 && data.length === n && !arrays.has(name)) {
    arrays.set(name, data);
    filled.set(name, n);
    return;
  }
  const prev = arrays.get(name);
  let arr: unknown[];
  if (Array.isArray(prev)) arr = prev;
  else {
    arr = new Array<unknown>(n).fill(null);
    if (prev) for (let i = 0; i < Math.min(n, prev.length); i++) arr[i] = prev[i];
    arrays.set(name, arr);
  }
  for (let i = 0; i < data.length; i++) {
    const k = at + i;
    if (k >= 0 && k < n) arr[k] = data[i];
  }
}

function toColumn(name: string, declared: Dtype, data: ArrayLike<unknown> | undefined, n: number): Column {
  if (!data) return { name, values: new Array<unknown>(n).fill(null), declared };
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
    return { name, values: out, declared, numeric: true };
  }
  if (ArrayBuffer.isView(data)) return { name, values: data, declared, numeric: true };
  const arr = data as unknown[];
  if (declared === 'int64') for (let i = 0; i < arr.length; i++) if (typeof arr[i] === 'bigint') arr[i] = Number(arr[i]);
  return { name, values: arr, declared };
}
