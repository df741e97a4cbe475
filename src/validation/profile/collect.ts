/**
 * Streams batches into per-column profiles, label counts and row hashes. `mlvet profile` runs it
 * twice (pass 2 knows the bin edges and robust bounds from pass 1); `mlvet validate` runs it once
 * with the baseline's edges and bounds, so current and baseline histograms share bins.
 */
import { IdTracker, type IdStats } from '../rows/ids.js';
import { RowHasher, type RowStats } from '../rows/rowhash.js';
import type { Batch, Dtype } from '../types.js';
import { valueAt } from '../types.js';
import type { ColumnBaseline } from './baseline.js';
import { ColumnProfile, keyOf, type Bounds, type Kind } from './column.js';

export interface CollectOptions {
  label?: string;
  bounds?: Record<string, Bounds>;
  kinds?: Record<string, Kind>;
  hashRows?: boolean;
  sampleMod?: number;
  spillBudget?: number;
  /** baseline feature hash → label, checked as rows stream */
  against?: { labels: Map<number, string>; mod: number };
  /** keep a hash-sampled feature hash → label map (profile) */
  collectSample?: boolean;
  /** identifier columns: out of the row hash, counted for duplicates instead */
  ids?: ReadonlySet<string>;
}

/** row identity as the row checks read it: the JS RowHasher, or the engine's result (engine/rows.ts) */
export interface RowSource {
  readonly matched: number;
  readonly mismatched: number;
  readonly mismatchExamples: ReadonlyArray<{ row: number; label: string; baseline_label: string }>;
  /** sampled feature hash (16 hex) → label (profile) */
  readonly sample: ReadonlyMap<string, string>;
  stats(heavyAt: number): RowStats;
}

export interface IdSource {
  stats(column: string): IdStats;
}

export class DatasetCollector {
  readonly columns = new Map<string, ColumnProfile>();
  readonly order: string[] = [];
  readonly labelCounts = new Map<string, number>();
  rows = 0;
  hasher: RowSource | null = null;
  idTracker: IdSource | null;
  /** the dtype each column was read as (the schema check compares it with the baseline's) */
  readonly dtypes = new Map<string, Dtype>();
  private textCols = new Set<string>();

  constructor(readonly o: CollectOptions) {
    this.jsIds = o.ids?.size && o.hashRows !== false ? new IdTracker(o.ids, o.spillBudget) : null;
    this.idTracker = this.jsIds;
  }

  private jsHasher: RowHasher | null = null;
  private readonly jsIds: IdTracker | null;

  /** row identity computed elsewhere (the engine) */
  setRows(r: { stats: RowStats; matched: number; mismatched: number; mismatchExamples: RowSource['mismatchExamples']; sample: ReadonlyMap<string, string>; ids: ReadonlyMap<string, IdStats> }): void {
    this.hasher = { matched: r.matched, mismatched: r.mismatched, mismatchExamples: r.mismatchExamples, sample: r.sample, stats: () => r.stats };
    this.idTracker = { stats: (column) => r.ids.get(column) ?? { column, rows: 0, duplicate_rows: 0, duplicate_values: 0, examples: [] } };
  }

  update(b: Batch, dtype: (n: string) => Dtype): void {
    for (const c of b.columns) {
      if (!this.columns.has(c.name)) {
        const p = new ColumnProfile(c.name, this.o.kinds?.[c.name] ?? null, this.o.bounds?.[c.name]);
        p.missing += this.rows;
        this.columns.set(c.name, p);
        this.order.push(c.name);
      }
    }
    let labels: string[] | null = null;
    const lab = this.o.label ? b.columns.find((c) => c.name === this.o.label) : undefined;
    if (lab) {
      labels = new Array<string>(b.length);
      for (let i = 0; i < b.length; i++) {
        const v = valueAt(lab, i);
        const k = v === null ? '' : keyOf(v);
        labels[i] = k;
        this.labelCounts.set(k, (this.labelCounts.get(k) ?? 0) + 1);
      }
    }
    const byName = new Map(b.columns.map((c) => [c.name, c]));
    for (const [name, p] of this.columns) {
      if (byName.has(name)) this.dtypes.set(name, dtype(name));
      if (name === this.o.label) {
        p.update(byName.get(name), b.length, b.rowStart, null, dtype(name));
        continue;
      }
      p.update(byName.get(name), b.length, b.rowStart, labels, dtype(name));
      if (p.kind === 'text') this.textCols.add(name);
    }
    if (this.o.hashRows !== false) {
      if (!this.jsHasher) {
        this.jsHasher = new RowHasher(this.o.label, this.textCols, this.o.sampleMod ?? 1, this.o.spillBudget, undefined, this.o.ids);
        this.jsHasher.against = this.o.against ?? null;
        this.jsHasher.collectSample = this.o.collectSample === true;
        this.hasher = this.jsHasher;
      }
      this.jsHasher.add(b);
      this.jsIds?.add(b);
    }
    this.rows += b.length;
  }
}

/** Cramér's V of a contingency table (rows = feature bins, columns = labels) */
export function cramersV(table: number[][]): number {
  const r = table.length;
  const k = table[0]?.length ?? 0;
  if (r < 2 || k < 2) return 0;
  const rowSum = table.map((row) => row.reduce((a, b) => a + b, 0));
  const colSum = Array.from({ length: k }, (_, j) => table.reduce((a, row) => a + row[j]!, 0));
  const n = rowSum.reduce((a, b) => a + b, 0);
  if (n === 0) return 0;
  let chi = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < k; j++) {
      const e = (rowSum[i]! * colSum[j]!) / n;
      if (e > 0) chi += (table[i]![j]! - e) ** 2 / e;
    }
  }
  const usedRows = rowSum.filter((x) => x > 0).length;
  const usedCols = colSum.filter((x) => x > 0).length;
  const m = Math.min(usedRows - 1, usedCols - 1);
  return m > 0 ? Math.sqrt(chi / n / m) : 0;
}

export function contingencyTable(p: ColumnProfile, bins: string[] | null, labels: string[]): { bins: string[]; table: number[][] } {
  const keys = bins ?? [...p.contingency.keys()].sort();
  return { bins: keys, table: keys.map((b) => labels.map((l) => p.contingency.get(b)?.get(l) ?? 0)) };
}

/** edges, robust range and category list a baseline gives the validate pass */
export function boundsFromBaseline(c: ColumnBaseline): Bounds {
  if (c.numeric) return { edges: c.numeric.edges, lo: c.numeric.lo, hi: c.numeric.hi, min: c.numeric.min, max: c.numeric.max, median: c.numeric.median, mad: c.numeric.mad };
  const known = c.kind === 'categorical' && c.top?.exact ? { known: new Set(c.top.values.map(([v]) => v)) } : {};
  if (c.association) return { categories: c.association.bins.filter((b) => b !== '__other__'), ...known };
  if (c.top) return { categories: c.top.values.slice(0, 50).map(([v]) => v), ...known };
  return {};
}
