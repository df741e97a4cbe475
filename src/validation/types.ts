/**
 * The data model every dataset reader produces and every check consumes: column batches.
 * Readers stream batches of bounded size, so memory depends on the batch size, never on the row count.
 */

/** pandas-style dtype names, because GX's type expectations speak pandas on a file backend */
export type Dtype = 'int64' | 'float64' | 'bool' | 'object' | 'datetime64[ns]' | 'null';

export interface Column {
  name: string;
  /**
   * Values in row order. Missing values are `null` (or NaN for floats, or a 0 in `valid`).
   * Typed arrays are used by the Parquet and Arrow readers for numeric columns.
   */
  values: ArrayLike<unknown>;
  /** 1 = present, 0 = missing; absent means "look at the value" */
  valid?: Uint8Array | null;
  /** dtype declared by the file format (Parquet, Arrow); text formats leave it to inference */
  declared?: Dtype;
  /** the column holds numbers only (a typed array): checks can skip per-value type tests */
  numeric?: boolean;
}

export interface Batch {
  /** 0-based index of the batch's first row within the whole dataset */
  rowStart: number;
  length: number;
  columns: Column[];
  /** the file this batch came from (a dataset may have several shards) */
  file: string;
}

/** One problem row that a reader skipped; the rest of the file is still read. */
export interface RowProblem {
  file: string;
  /** 1-based row (line for JSONL/CSV, counting the header) */
  row: number;
  message: string;
}

export interface ReaderOptions {
  /** rows per batch for text formats */
  batchRows?: number;
  /** CSV/TSV: column → forced type; `string` keeps text as text */
  csvTypes?: Record<string, 'string' | 'number' | 'boolean' | 'auto'>;
  /** CSV/TSV: which tokenizer (default: mlvet's Buffer tokenizer; csv-parse is kept for comparison) */
  csvParser?: 'mlvet' | 'csv-parse';
  /** CSV/TSV: turn off inference for every column */
  csvInfer?: boolean;
  /** columns to read (Parquet/Arrow read only these); undefined = all */
  columns?: string[];
  /** how many bad rows to skip before giving up on the file */
  maxBadRows?: number;
  onProblem?: (p: RowProblem) => void;
  /** the dataset engine's (DuckDB's) memory limit, e.g. '128MB' (default) or '2GB': past it, operators spill to disk */
  engineMemory?: string;
}

export interface DataFile {
  /** absolute path */
  path: string;
  /** path as the user sees it (relative to the dataset root) */
  display: string;
  format: 'csv' | 'tsv' | 'jsonl' | 'parquet' | 'arrow';
  compression: 'none' | 'gzip' | 'zstd';
  size: number;
}

export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/** The value at row i, or null when missing. */
export function valueAt(col: Column, i: number): unknown {
  if (col.valid && col.valid[i] === 0) return null;
  const v = col.values[i];
  return isMissing(v) ? null : v;
}
