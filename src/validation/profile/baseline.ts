/**
 * The baseline file `mlvet profile` writes and `mlvet validate --baseline` reads
 * (`schemas/baseline.schema.json`). Sketches are stored in mergeable form (KLL levels, HLL registers
 * or the exact set, top-k counts, fixed-edge histograms), so shard baselines can be combined.
 */
import { readRegularFile } from '../../files.js';
import { MlvetError } from '../../errors.js';
import type { HllState } from '../sketch/hll.js';
import type { KllState } from '../sketch/kll.js';
import type { Dtype } from '../types.js';
import type { Kind } from './column.js';

export interface ColumnBaseline {
  name: string;
  dtype: Dtype;
  kind: Kind;
  count: number;
  missing: number;
  distinct: { estimate: number; approximate: boolean; sketch: HllState };
  numeric?: {
    mean: number;
    std: number;
    min: number;
    max: number;
    median: number;
    mad: number;
    q: Record<string, number>;
    kll: KllState;
    edges: number[];
    hist: number[];
    /** robust range [q0.001 − IQR, q0.999 + IQR] and the baseline's own share outside it */
    lo: number;
    hi: number;
    rangeOutShare: number;
    outlierShare: number;
  };
  top?: { values: Array<[string, number]>; exact: boolean };
  text?: { docs: number; tokens: Array<[string, number]>; minDf: number; exact: boolean; labels?: Record<string, Record<string, number>> };
  invisibleShare: number;
  /** text and `other` strings: the baseline's own share of near-duplicate rows (sketch/near-dup.ts) over `n` judged rows; absent in baselines of earlier mlvet */
  nearDuplicate?: { share: number; n: number; approximate: boolean };
  /** an identifier column (detected, or named by --id): checked for duplicates, never for drift */
  id?: boolean;
  /** identifier columns: the baseline's own share of duplicate values (exact) */
  idDuplicateShare?: number;
  /** share of non-null values that were not of the column's kind (strings in a numeric column) */
  typeMissShare?: number;
  /** Good–Turing estimate of the chance that a new row holds a value the baseline never saw */
  unseenShare?: number;
  /** feature × label contingency (bins or categories × labels) and its Cramér's V */
  association?: { bins: string[]; labels: string[]; table: number[][]; cramersV: number };
}

/**
 * The baseline format. 3: statistics from the DuckDB engine — row hashes of scheme mlvet-rows-1
 * (engine/rows.ts) and distinct-count sketches on DuckDB's hash(); 2 added identifier columns, type-miss
 * and unseen shares, row hashes without ids.
 */
export const BASELINE_FORMAT = 3;

export interface Baseline {
  mlvetBaseline: typeof BASELINE_FORMAT;
  /** 'js': made with MLVET_ENGINE=js, whose row and distinct-count hashes are not DuckDB's; absent: the DuckDB engine */
  engine?: 'js';
  createdAt: string;
  tool: { name: 'mlvet'; version: string };
  source: { files: Array<{ path: string; size: number }> };
  rows: number;
  columns: Array<{ name: string; dtype: Dtype }>;
  label?: { column: string; counts: Record<string, number> };
  /** identifier columns, in column order */
  ids: string[];
  stats: Record<string, ColumnBaseline>;
  rowHashes: {
    duplicateRatio: number;
    conflictRatio: number;
    maxMultiplicity: number;
    /** feature hash (hex) → label, for rows whose hash falls in the 1-in-`sampleMod` sample */
    sampleMod: number;
    labels: Record<string, string>;
  };
}

export function loadBaseline(path: string): Baseline {
  let raw: unknown;
  const text = readRegularFile(path, '--baseline');
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new MlvetError('CONFIG_INVALID', `cannot read baseline ${path}: ${(e as Error).message}`, { path });
  }
  const b = raw as Omit<Partial<Baseline>, 'mlvetBaseline'> & { mlvetBaseline?: unknown };
  const format = b.mlvetBaseline;
  if (typeof format === 'number' && format !== BASELINE_FORMAT) {
    throw new MlvetError('CONFIG_INVALID', `${path} is an mlvet baseline of format ${format}; this mlvet reads format ${BASELINE_FORMAT} (row hashes and sketches from the DuckDB engine). Re-run: mlvet profile <trusted data> --out ${path}`, { path });
  }
  if (format !== BASELINE_FORMAT || typeof b.stats !== 'object' || !Array.isArray(b.columns) || !Array.isArray(b.ids)) {
    throw new MlvetError('CONFIG_INVALID', `${path} is not an mlvet baseline (run: mlvet profile <trusted data> --out ${path})`, { path });
  }
  return b as unknown as Baseline;
}

/**
 * Refuse a baseline whose hashes another statistics engine made: its sampled row hashes would match no row
 * (conflicting labels would pass unseen) and its distinct-count sketches would not merge.
 */
export function requireSameEngine(b: Baseline, path: string, engine: 'duckdb' | 'js'): void {
  const made = b.engine ?? 'duckdb';
  if (made !== engine) {
    throw new MlvetError('CONFIG_INVALID', `${path} was profiled by the ${made === 'js' ? 'streaming JS loop (MLVET_ENGINE=js)' : 'DuckDB engine'}; this run uses the ${engine === 'js' ? 'streaming JS loop (MLVET_ENGINE=js)' : 'DuckDB engine'}, whose row hashes differ. Re-run mlvet profile with the same engine`, { path });
  }
}
