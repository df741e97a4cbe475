/**
 * `mlvet profile merge`: combine baselines built on shards of one dataset into the baseline of their
 * concatenation, from the mergeable sketches a baseline stores.
 *
 * Exact: rows, per-column count and missing, min/max, label counts, histograms (summed; the shards must
 * share edges and robust bounds, `profile --edges-from`), range-out and outlier shares (weighted by
 * rows), top values and token counts while every shard's were exact, feature × label tables with equal
 * bins. Mean and std: Chan's parallel formula (exact up to rounding). Within the sketches' error:
 * quantiles (KLL merge, ≈1.3 % rank), distinct counts (HLL, ≈0.8 %; exact sets below 10k stay exact).
 * Approximate, documented in docs/validation.md: duplicate and conflict ratios of row hashes and of
 * identifier columns are row-weighted means of the shards' (a duplicate across shards is not seen: a
 * lower bound); a column is an identifier if any shard called it one; kinds that differ between
 * `categorical` and `other` become `other`; association tables whose bins differ are dropped.
 */
import { MlvetError } from '../../errors.js';
import { VERSION } from '../../findings/report.js';
import { DistinctCounter } from '../sketch/hll.js';
import { Kll } from '../sketch/kll.js';
import type { Dtype } from '../types.js';
import { BASELINE_FORMAT, type Baseline, type ColumnBaseline } from './baseline.js';
import { cramersV } from './collect.js';

const QS = [0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999];

export interface NamedBaseline {
  path: string;
  baseline: Baseline;
}

const refuse = (msg: string, details: Record<string, unknown> = {}): never => {
  throw new MlvetError('CONFIG_INVALID', `profile merge: ${msg}`, details);
};

const same = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function mergeDtype(ds: Dtype[]): Dtype {
  const set = new Set(ds.filter((d) => d !== 'null'));
  if (set.size === 0) return 'null';
  if (set.size === 1) return [...set][0]!;
  if ([...set].every((d) => d === 'int64' || d === 'float64')) return 'float64';
  return 'object';
}

/** weighted mean of per-shard shares, weight = the shard's non-null count */
function share(parts: ColumnBaseline[], get: (c: ColumnBaseline) => number | undefined): number {
  let num = 0;
  let den = 0;
  for (const c of parts) {
    const n = c.count - c.missing;
    num += (get(c) ?? 0) * n;
    den += n;
  }
  return den ? num / den : 0;
}

function addCounts(lists: Array<Array<[string, number]>>): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lists) for (const [k, c] of l) m.set(k, (m.get(k) ?? 0) + c);
  return m;
}

const sortCounts = (m: Map<string, number>): Array<[string, number]> => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));

function mergeNumeric(name: string, parts: ColumnBaseline[], files: string[]): NonNullable<ColumnBaseline['numeric']> {
  const nums = parts.map((c) => c.numeric!);
  const first = nums[0]!;
  nums.forEach((x, i) => {
    if (!same(x.edges, first.edges)) refuse(`column "${name}": histogram edges of ${files[i]} differ from ${files[0]}; profile every shard with the same --edges-from <baseline>`, { code: 'MERGE_EDGES', column: name, path: files[i] });
    if (x.lo !== first.lo || x.hi !== first.hi || x.median !== first.median || x.mad !== first.mad) refuse(`column "${name}": robust range / median / MAD of ${files[i]} differ from ${files[0]}; profile every shard with the same --edges-from <baseline>`, { code: 'MERGE_BOUNDS', column: name, path: files[i] });
  });
  // Chan et al.: combine (n, mean, M2) pairwise
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const x of nums) {
    const nb = x.kll.n;
    if (nb === 0) continue;
    const mb = x.std * x.std * Math.max(0, nb - 1);
    const d = x.mean - mean;
    const tot = n + nb;
    mean += (d * nb) / tot;
    m2 += mb + (d * d * n * nb) / tot;
    n = tot;
  }
  const kll = Kll.from(first.kll);
  for (const x of nums.slice(1)) kll.merge(x.kll);
  const hist = first.hist.map((_, i) => nums.reduce((a, x) => a + (x.hist[i] ?? 0), 0));
  return {
    mean, std: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0,
    min: Math.min(...nums.map((x) => x.min)), max: Math.max(...nums.map((x) => x.max)),
    median: first.median, mad: first.mad, q: Object.fromEntries(QS.map((q) => [String(q), kll.quantile(q)])), kll: kll.toJSON(),
    edges: first.edges, hist, lo: first.lo, hi: first.hi,
    rangeOutShare: share(parts, (c) => c.numeric?.rangeOutShare), outlierShare: share(parts, (c) => c.numeric?.outlierShare),
  };
}

function mergeText(parts: ColumnBaseline[]): NonNullable<ColumnBaseline['text']> {
  const ts = parts.map((c) => c.text!);
  const tokens = sortCounts(addCounts(ts.map((t) => t.tokens)));
  const exact = ts.every((t) => t.exact && t.tokens.length < 20_000) && tokens.length < 20_000;
  const kept = tokens.slice(0, 20_000);
  const keep = new Set(kept.slice(0, 5000).map(([t]) => t));
  const labels: Record<string, Record<string, number>> = {};
  for (const t of ts) {
    for (const [tok, per] of Object.entries(t.labels ?? {})) {
      if (!keep.has(tok)) continue;
      const out = (labels[tok] ??= {});
      for (const [l, c] of Object.entries(per)) out[l] = (out[l] ?? 0) + c;
    }
  }
  // a token a shard did not keep may hold up to that shard's minDf there: the bounds add up
  const minDf = exact ? 0 : ts.reduce((a, t) => a + t.minDf, 0) + (tokens.length > 20_000 ? (kept.at(-1)?.[1] ?? 0) : 0);
  return { docs: ts.reduce((a, t) => a + t.docs, 0), tokens: kept, minDf, exact, labels };
}

function mergeColumn(name: string, parts: ColumnBaseline[], files: string[], labels: string[] | null): ColumnBaseline {
  const kinds = new Set(parts.map((c) => c.kind));
  if (kinds.size > 1 && (kinds.has('numeric') || kinds.has('text'))) refuse(`column "${name}" is ${[...kinds].join(' in one shard, ')} in another; profile every shard with the same --edges-from <baseline>`, { code: 'MERGE_KIND', column: name });
  const kind = kinds.size > 1 ? 'other' : parts[0]!.kind;
  const d = DistinctCounter.from(parts[0]!.distinct.sketch);
  for (const c of parts.slice(1)) d.merge(DistinctCounter.from(c.distinct.sketch));
  const out: ColumnBaseline = {
    name,
    dtype: mergeDtype(parts.map((c) => c.dtype)),
    kind,
    count: parts.reduce((a, c) => a + c.count, 0),
    missing: parts.reduce((a, c) => a + c.missing, 0),
    distinct: { estimate: d.count(), approximate: d.approximate, sketch: d.toJSON() },
    invisibleShare: share(parts, (c) => c.invisibleShare),
    typeMissShare: share(parts, (c) => c.typeMissShare),
  };
  // near-duplicate pairs across shards were never compared, so the whole's share cannot be had exactly: the
  // count-weighted mean of the shards' shares (a lower bound in expectation), marked approximate
  if (parts.every((c) => c.nearDuplicate)) {
    const n = parts.reduce((a, c) => a + c.nearDuplicate!.n, 0);
    const rows = parts.reduce((a, c) => a + c.nearDuplicate!.share * c.nearDuplicate!.n, 0);
    out.nearDuplicate = { share: n ? rows / n : 0, n, approximate: parts.length > 1 || parts.some((c) => c.nearDuplicate!.approximate) };
  }
  if (kind === 'numeric' && parts.every((c) => c.numeric)) out.numeric = mergeNumeric(name, parts, files);
  else if (kind === 'numeric' && parts.some((c) => c.numeric)) {
    // a shard with no numeric value has no edges: merge the others, count its rows as missing
    out.numeric = mergeNumeric(name, parts.filter((c) => c.numeric), files.filter((_, i) => parts[i]!.numeric));
  }
  if (parts.every((c) => c.top)) {
    const m = addCounts(parts.map((c) => c.top!.values));
    const exact = parts.every((c) => c.top!.exact) && m.size <= 1000;
    out.top = { values: sortCounts(m).slice(0, 1000), exact };
    if (kind === 'categorical' && exact && out.count - out.missing > 0) {
      let singletons = 0;
      for (const c of m.values()) if (c === 1) singletons++;
      out.unseenShare = singletons / (out.count - out.missing);
    }
  }
  if (parts.every((c) => c.text)) out.text = mergeText(parts);
  const ids = parts.filter((c) => c.id);
  if (ids.length) {
    out.id = true;
    out.idDuplicateShare = share(parts, (c) => c.idDuplicateShare);
  } else if (labels) {
    const a = mergeAssociation(parts.filter((c) => c.count > c.missing), labels);
    if (a) out.association = a;
  }
  return out;
}

/**
 * Feature × label tables: summed over the union of bins (a bin a shard lacks held no row there) when
 * that is exact, that is when no shard pooled into `__other__` a bin another shard kept. Then the rule
 * profile applies to one table (enough rows per cell, at most 60 bins) to the sum.
 */
function mergeAssociation(parts: ColumnBaseline[], labels: string[]): ColumnBaseline['association'] | undefined {
  if (parts.length === 0 || !parts.every((c) => c.association && same(c.association.labels, labels))) return undefined;
  const bins = [...new Set(parts.flatMap((c) => c.association!.bins))];
  const numeric = parts[0]!.kind === 'numeric';
  if (numeric && !parts.every((c) => same(c.association!.bins, bins))) return undefined;
  if (!numeric) {
    const own = bins.filter((b) => b !== '__other__');
    if (!parts.every((c) => !c.association!.bins.includes('__other__') || own.every((b) => c.association!.bins.includes(b)))) return undefined;
    bins.sort();
  }
  const table = bins.map((b) => labels.map((_, j) => parts.reduce((s, c) => s + (c.association!.table[c.association!.bins.indexOf(b)]?.[j] ?? 0), 0)));
  const n = table.reduce((s, row) => s + row.reduce((x, y) => x + y, 0), 0);
  if (bins.length > 60 || n < 20 * bins.length * Math.max(2, labels.length)) return undefined;
  return { bins, labels, table, cramersV: cramersV(table) };
}

/** the shards must be mlvet baselines of this format, one tool version, one label column */
function checkInputs(inputs: NamedBaseline[]): void {
  if (inputs.length < 1) refuse('give at least one baseline');
  const v0 = inputs[0]!.baseline.tool?.version;
  for (const { path, baseline: b } of inputs) {
    if (b.mlvetBaseline !== BASELINE_FORMAT || b.tool?.name !== 'mlvet') refuse(`${path} is not an mlvet baseline of format ${BASELINE_FORMAT}`, { path });
    if (b.tool.version !== v0) refuse(`${path} was written by mlvet ${b.tool.version}, ${inputs[0]!.path} by ${v0}: profile every shard with one mlvet version`, { path, code: 'MERGE_VERSION' });
    if ((b.engine ?? 'duckdb') !== (inputs[0]!.baseline.engine ?? 'duckdb')) refuse(`${path} and ${inputs[0]!.path} were profiled by different statistics engines (MLVET_ENGINE): their hashes do not merge`, { path, code: 'MERGE_ENGINE' });
    if (b.label?.column !== inputs[0]!.baseline.label?.column) refuse(`${path} has label column ${b.label?.column ?? '(none)'}, ${inputs[0]!.path} has ${inputs[0]!.baseline.label?.column ?? '(none)'}`, { path, code: 'MERGE_LABEL' });
  }
}

export function mergeBaselines(inputs: NamedBaseline[]): Baseline {
  checkInputs(inputs);
  const bs = inputs.map((i) => i.baseline);
  const order: string[] = [];
  for (const b of bs) for (const c of b.columns) if (!order.includes(c.name)) order.push(c.name);
  const labelCounts = bs[0]!.label ? Object.fromEntries([...addCounts(bs.map((b) => Object.entries(b.label!.counts)))].sort()) : null;
  const labels = labelCounts ? Object.keys(labelCounts).sort() : null;
  const stats: Record<string, ColumnBaseline> = {};
  for (const name of order) {
    const here = inputs.filter((i) => i.baseline.stats[name]);
    // a shard without the column: all its rows are missing there (as one collector counts it)
    const parts = inputs.map((i) => i.baseline.stats[name] ?? absent(name, i.baseline.rows, here[0]!.baseline.stats[name]!));
    stats[name] = mergeColumn(name, parts, inputs.map((i) => i.path), labels);
  }
  const rows = bs.reduce((a, b) => a + b.rows, 0);
  const w = (get: (b: Baseline) => number): number => (rows ? bs.reduce((a, b) => a + get(b) * b.rows, 0) / rows : 0);
  const sampleMod = Math.max(Math.ceil(rows / 200_000), ...bs.map((b) => b.rowHashes.sampleMod));
  const sample: Record<string, string> = {};
  for (const b of bs) for (const [h, l] of Object.entries(b.rowHashes.labels)) if (!(h in sample) && parseInt(h.slice(8), 16) % sampleMod === 0) sample[h] = l;
  return {
    mlvetBaseline: BASELINE_FORMAT,
    ...(inputs[0]!.baseline.engine ? { engine: inputs[0]!.baseline.engine } : {}),
    createdAt: new Date().toISOString(),
    tool: { name: 'mlvet', version: bs[0]!.tool.version ?? VERSION },
    source: { files: bs.flatMap((b) => b.source.files) },
    rows,
    columns: order.map((name) => ({ name, dtype: stats[name]!.dtype })),
    ...(labelCounts ? { label: { column: bs[0]!.label!.column, counts: labelCounts } } : {}),
    ids: order.filter((n) => stats[n]!.id),
    stats,
    rowHashes: {
      duplicateRatio: w((b) => b.rowHashes.duplicateRatio),
      conflictRatio: w((b) => b.rowHashes.conflictRatio),
      maxMultiplicity: Math.max(0, ...bs.map((b) => b.rowHashes.maxMultiplicity)),
      sampleMod,
      labels: sample,
    },
  };
}

function absent(name: string, rows: number, like: ColumnBaseline): ColumnBaseline {
  return { name, dtype: 'null', kind: like.kind, count: rows, missing: rows, distinct: { estimate: 0, approximate: false, sketch: { exact: [] } }, invisibleShare: 0, typeMissShare: 0, ...(like.top ? { top: { values: [], exact: true } } : {}), ...(like.text ? { text: { docs: 0, tokens: [], minDf: 0, exact: true, labels: {} } } : {}) };
}
