/**
 * `mlvet profile`: two streaming passes over trusted data. Pass 1 gathers sketches and decides each
 * column's kind; pass 2 counts fixed-edge histograms (edges = pass-1 quantiles), MAD, robust-range
 * and outlier shares and the feature × label tables. The result is a Baseline.
 */
import { readDataset } from '../readers/dataset.js';
import { DtypeTracker } from '../gx/values.js';
import type { DataFile, Dtype, ReaderOptions } from '../types.js';
import { VERSION } from '../../findings/report.js';
import { MlvetError } from '../../errors.js';
import { progressOf, type OnProgress } from '../progress.js';
import { isIdentifier } from '../rows/ids.js';
import { BASELINE_FORMAT, type Baseline, type ColumnBaseline } from './baseline.js';
import { contingencyTable, cramersV, DatasetCollector } from './collect.js';
import type { Bounds, ColumnProfile, Kind } from './column.js';

const QS = [0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999];
const BINS = 20;

async function pass(files: DataFile[], c: DatasetCollector, reader: ReaderOptions, trackers: Map<string, DtypeTracker>, track: boolean, progress = progressOf(files, undefined)): Promise<void> {
  for await (const b of readDataset(files, reader)) {
    progress.batch(b);
    if (track) {
      for (const col of b.columns) {
        let t = trackers.get(col.name);
        if (!t) trackers.set(col.name, (t = new DtypeTracker()));
        t.update(col, b.length);
      }
    }
    c.update(b, (n) => trackers.get(n)?.dtype ?? 'object');
  }
  progress.done();
}

function edgesOf(p: ColumnProfile): number[] {
  const qs = Array.from({ length: BINS + 1 }, (_, i) => p.kll.quantile(i / BINS));
  const uniq = [...new Set(qs)].sort((a, b) => a - b);
  if (uniq.length < 2) return [uniq[0]! - 0.5, uniq[0]! + 0.5];
  // a value that fills several quantiles is a point mass (zero-inflated costs, a default value): it gets a
  // bin of its own, [v, v + ε), or a shift of that mass stays inside one wide bin and no test can see it
  const edges: number[] = [];
  for (const v of uniq) {
    edges.push(v);
    if (qs.filter((q) => q === v).length >= 2 && v !== uniq.at(-1)) edges.push(v + Math.max(Math.abs(v) * 1e-9, 1e-12));
  }
  return edges;
}

function boundsOf(p: ColumnProfile): Bounds {
  const q = (x: number): number => p.kll.quantile(x);
  const iqr = q(0.75) - q(0.25);
  const median = q(0.5);
  return { edges: edgesOf(p), lo: q(0.001) - iqr, hi: q(0.999) + iqr, median, mad: madOf(p, median) };
}

/**
 * The median absolute deviation from pass 1's sketch (bisection on the CDF), fixed before pass 2, so
 * pass 2 counts the baseline's own outlier share exactly with the same median and MAD validate uses.
 */
function madOf(p: ColumnProfile, median: number): number {
  let lo = 0;
  let hi = Math.max(p.kll.max - median, median - p.kll.min);
  for (let i = 0; i < 60 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const d = (lo + hi) / 2;
    if (p.kll.cdf(median + d) - p.kll.cdf(median - d - Math.abs(median) * 1e-15) >= 0.5) hi = d;
    else lo = d;
  }
  return hi;
}

/** a string column with more levels than this (or than a fifth of its rows) is not a category */
export const MAX_LEVELS = 200;

/** Bounded cardinality: few levels, each seen several times on average. Dates, titles, cities and zip codes are not. */
export function boundedLevels(distinct: number, n: number): boolean {
  return distinct <= MAX_LEVELS && distinct <= Math.max(2, 0.2 * n);
}

/** identifier columns: `--id` when given, else detected from pass 1 (rows/ids.ts) */
function identifiers(p1: DatasetCollector, label: string | undefined, forced: string[] | undefined): Set<string> {
  if (forced) return new Set(forced);
  const out = new Set<string>();
  for (const [name, p] of p1.columns) {
    if (name === label || (p.kind !== 'numeric' && p.kind !== 'categorical' && p.kind !== 'other')) continue;
    const numeric = p.kind === 'numeric';
    if (isIdentifier({ name, n: p.n, distinct: p.distinct.count(), integral: numeric && p.integral, rises: numeric ? p.rises : 0, falls: numeric ? p.falls : 0, hashLike: numeric ? 0 : p.hashLike, approximate: p.distinct.approximate })) out.add(name);
  }
  return out;
}

export interface BuildOptions {
  label?: string;
  ids?: string[];
  reader?: ReaderOptions;
  spillBudget?: number;
  onProgress?: OnProgress;
  edgesFrom?: Baseline;
}

/** the statistics engine: DuckDB (default), or the streaming JS loop with MLVET_ENGINE=js (kept for comparison) */
export const useEngine = (): boolean => process.env.MLVET_ENGINE !== 'js';

export async function buildBaseline(files: DataFile[], opts: BuildOptions): Promise<Baseline> {
  if (useEngine()) return buildOnEngine(files, opts);
  const trackers = new Map<string, DtypeTracker>();
  const p1 = new DatasetCollector({ label: opts.label, hashRows: false });
  await pass(files, p1, opts.reader ?? {}, trackers, true, progressOf(files, opts.onProgress, 1, 2));
  const { ids, bounds, kinds } = plan(p1, opts);
  // pass 2 hashes rows: only now are the identifier columns known, and they must stay out of the hash
  const p2 = new DatasetCollector({ label: opts.label, hashRows: true, collectSample: true, spillBudget: opts.spillBudget, bounds, kinds, ids });
  await pass(files, p2, { ...(opts.reader ?? {}), onProblem: undefined }, trackers, false, progressOf(files, opts.onProgress, 2, 2));
  return assemble(files, opts, p1, p2, ids, bounds, (n) => trackers.get(n)?.dtype ?? 'object');
}

/** DuckDB: load the files once, statistics by aggregate queries, then the bounded counts with the edges */
async function buildOnEngine(files: DataFile[], opts: BuildOptions): Promise<Baseline> {
  const { openEngine } = await import('../engine/duckdb.js');
  const { loadTable } = await import('../engine/table.js');
  const { EngineStats } = await import('../engine/collect.js');
  const { rowsOnEngine } = await import('../engine/rows.js');
  const progress = progressOf(files, opts.onProgress, 1, 2);
  const e = await openEngine({ files: files.map((f) => f.path), ...(opts.reader?.engineMemory ? { memoryLimit: opts.reader.engineMemory } : {}) });
  try {
    const table = await loadTable(e, files, opts.reader ?? {});
    for (const p of table.problems) opts.reader?.onProblem?.(p);
    const stats = new EngineStats(e, table);
    const p1 = await stats.collect({ label: opts.label, tokens: (_, k) => k === 'text' });
    progress.done();
    const { ids, bounds, kinds } = plan(p1, opts);
    // pass 2 counts what needs pass 1's bounds: numbers (histogram, range, outliers), categories with a label
    // (label table) and other strings (tokens); a text or time column, or a category without a label, is kept
    const p2 = await stats.collect({
      label: opts.label,
      kinds,
      bounds,
      tokens: (_, k) => k === 'other',
      reuse: (n, k) => {
        const p = p1.columns.get(n)!;
        if (p.kind !== k) return undefined;
        const keep = k === 'text' || (k === 'categorical' && !opts.label) || (k === 'other' && table.columns.find((c) => c.name === n)?.store === 'time');
        return keep ? p : undefined;
      },
    });
    const sampleMod = Math.max(1, Math.ceil(table.rows / 200_000));
    p2.setRows(await rowsOnEngine({ engine: e, table: table.relation, features: p2.order.filter((n) => n !== opts.label && !ids.has(n)), ...(opts.label ? { label: opts.label } : {}), ids: p2.order.filter((n) => ids.has(n)), textCols: p2.order.filter((n) => kinds[n] === 'text'), sampleMod, collectSample: opts.label !== undefined }));
    progressOf(files, opts.onProgress, 2, 2).done();
    return assemble(files, opts, p1, p2, ids, bounds, (n) => stats.dtypes.get(n) ?? 'object');
  } finally {
    e.close();
  }
}

/** identifiers, kinds and the bounds pass 2 counts against, from pass 1 */
function plan(p1: DatasetCollector, opts: BuildOptions): { ids: Set<string>; bounds: Record<string, Bounds>; kinds: Record<string, Kind> } {
  for (const id of opts.ids ?? []) if (!p1.columns.has(id)) throw new MlvetError('USAGE', `--id ${id}: no such column`);
  // --edges-from: shards share one baseline's kinds, identifiers, edges and robust bounds, so their profiles merge (merge.ts)
  const fixed = opts.edgesFrom;
  const ids = fixed && !opts.ids ? new Set(fixed.ids.filter((n) => p1.columns.has(n))) : identifiers(p1, opts.label, opts.ids);
  const bounds: Record<string, Bounds> = {};
  const kinds: Record<string, Kind> = {};
  for (const [name, p] of p1.columns) {
    if (p.kind === 'categorical' && name !== opts.label && !boundedLevels(p.distinct.count(), p.n)) p.kind = 'other';
    const f = fixed?.stats[name];
    if (f && (p.kind === 'categorical' || p.kind === 'other') && (f.kind === 'categorical' || f.kind === 'other')) p.kind = f.kind;
    kinds[name] = p.kind ?? 'other';
    if (p.kind === 'numeric' && f?.numeric) bounds[name] = { edges: f.numeric.edges, lo: f.numeric.lo, hi: f.numeric.hi, median: f.numeric.median, mad: f.numeric.mad };
    else if (p.kind === 'numeric' && p.n > 0) bounds[name] = boundsOf(p);
    else if (p.kind === 'categorical') bounds[name] = { categories: (f?.top ? f.top.values : p.top.top(50)).slice(0, 50).map(([v]) => v) };
  }
  return { ids, bounds, kinds };
}

function assemble(files: DataFile[], opts: BuildOptions, p1: DatasetCollector, p2: DatasetCollector, ids: Set<string>, bounds: Record<string, Bounds>, dtypeOf: (n: string) => Dtype): Baseline {
  const fixed = opts.edgesFrom;
  const rows = p2.hasher!.stats(Math.max(10, Math.ceil(1e-4 * p2.rows)));
  const labels = [...p1.labelCounts.keys()].sort();
  const stats: Record<string, ColumnBaseline> = {};
  for (const name of p1.order) {
    const dtype: Dtype = dtypeOf(name);
    stats[name] = columnBaseline(p1.columns.get(name)!, p2.columns.get(name)!, dtype, bounds[name], opts.label ? labels : null, name === opts.label, fixed !== undefined);
    if (ids.has(name)) {
      const d = p2.idTracker!.stats(name);
      stats[name].id = true;
      stats[name].idDuplicateShare = d.rows ? d.duplicate_rows / d.rows : 0;
      delete stats[name].association;
    }
  }
  const sampleMod = Math.max(1, Math.ceil(p1.rows / 200_000));
  return {
    mlvetBaseline: BASELINE_FORMAT,
    // a baseline of the JS loop says so: its row and distinct hashes are not DuckDB's (validate and merge refuse to mix them)
    ...(useEngine() ? {} : { engine: 'js' as const }),
    createdAt: new Date().toISOString(),
    tool: { name: 'mlvet', version: VERSION },
    source: { files: files.map((f) => ({ path: f.display, size: f.size })) },
    rows: p1.rows,
    columns: p1.order.map((name) => ({ name, dtype: dtypeOf(name) })),
    ...(opts.label ? { label: { column: opts.label, counts: Object.fromEntries([...p1.labelCounts].sort()) } } : {}),
    ids: p1.order.filter((n) => ids.has(n)),
    stats,
    rowHashes: {
      duplicateRatio: rows.rows ? rows.duplicateRows / rows.rows : 0,
      conflictRatio: rows.rows ? rows.conflictRows / rows.rows : 0,
      maxMultiplicity: rows.maxMultiplicity,
      sampleMod,
      labels: Object.fromEntries([...p2.hasher!.sample].filter(([h]) => parseInt(h.slice(8), 16) % sampleMod === 0)),
    },
  };
}

function columnBaseline(p1: ColumnProfile, p2: ColumnProfile, dtype: Dtype, b: Bounds | undefined, labels: string[] | null, isLabel: boolean, shardPart = false): ColumnBaseline {
  const out: ColumnBaseline = {
    name: p1.name,
    dtype,
    kind: p1.kind ?? 'other',
    count: p1.n + p1.missing,
    missing: p1.missing,
    distinct: { estimate: p1.distinct.count(), approximate: p1.distinct.approximate, sketch: p1.distinct.toJSON() },
    invisibleShare: p1.n ? p1.invisible / p1.n : 0,
    typeMissShare: p1.n ? p1.typeMiss / p1.n : 0,
  };
  if (p1.kind === 'categorical' && p1.top.exact && p1.n > 0) {
    let singletons = 0;
    for (const c of p1.top.counts.values()) if (c === 1) singletons++;
    out.unseenShare = singletons / p1.n;
  }
  if (p1.kind === 'numeric' && p1.n > 0 && b?.edges) {
    const q = Object.fromEntries([0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999].map((x) => [String(x), p1.kll.quantile(x)]));
    const mad = b.mad ?? 0;
    out.numeric = {
      mean: p1.mean, std: p1.std, min: p1.kll.min, max: p1.kll.max, median: b.median!, mad, q, kll: p1.kll.compactState(),
      edges: b.edges, hist: p2.hist ?? [], lo: b.lo!, hi: b.hi!, rangeOutShare: p2.n ? p2.rangeOut / p2.n : 0,
      outlierShare: p2.n ? p2.outliers / p2.n : 0,
    };
  }
  if (p1.kind === 'categorical' || isLabel) out.top = { values: p1.top.top(1000), exact: p1.top.exact };
  // high-cardinality strings (titles, names) become `other` after pass 1, so their tokens come from pass 2
  const tp = p1.kind === 'text' ? p1 : p1.kind === 'other' && p2.docs > 0 ? p2 : null;
  if (tp) out.text = textBaseline(tp);
  const nd = (p1.kind === 'text' ? p1 : p1.kind === 'other' ? p2 : null)?.nearDup?.finish();
  if (nd) out.nearDuplicate = { share: nd.n ? nd.nearDupRows / nd.n : 0, n: nd.n, approximate: nd.approximate };
  if (labels && !isLabel && (p1.kind === 'numeric' || p1.kind === 'categorical')) {
    const bins = p1.kind === 'numeric' ? Array.from({ length: (b?.edges?.length ?? 1) + 1 }, (_, i) => String(i - 1)) : null;
    const t = contingencyTable(p2, bins, labels);
    // association is only measured where each cell can hold enough rows: Cramér's V on many levels moves by chance
    // (a shard profiled --edges-from keeps its table: `profile merge` applies this rule to the sum)
    if (!shardPart && (t.bins.length > 60 || p2.n < 20 * t.bins.length * Math.max(2, labels.length))) return out;
    out.association = { bins: t.bins, labels, table: t.table, cramersV: cramersV(t.table) };
  }
  return out;
}

function textBaseline(p: ColumnProfile): NonNullable<ColumnBaseline['text']> {
  const tokens = p.tokenDf.top(20_000);
  const perLabel: Record<string, Record<string, number>> = {};
  const keep = new Set(tokens.slice(0, 5000).map(([t]) => t));
  for (const [k, c] of p.tokenLabel.counts) {
    const [t, l] = k.split('\u0000') as [string, string];
    if (keep.has(t)) (perLabel[t] ??= {})[l] = c;
  }
  return { docs: p.docs, tokens, minDf: tokens.length >= 20_000 || !p.tokenDf.exact ? p.tokenDf.slack + (tokens.at(-1)?.[1] ?? 0) : 0, exact: p.tokenDf.exact, labels: perLabel };
}

export { QS };
