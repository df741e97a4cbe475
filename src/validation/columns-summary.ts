/**
 * Per-column summaries for the report (`validation.meta.mlvet.columns`), for reporters that draw
 * column cards: counts only (the renderer normalises), the baseline's beside them when there is one.
 * Numeric histograms use the baseline's fixed bins (quantile edges), the same bins the drift test uses.
 */
import type { Baseline } from './profile/baseline.js';
import type { DatasetCollector } from './profile/collect.js';

export interface ColumnSummary {
  name: string;
  kind: 'number' | 'string' | 'boolean' | 'other';
  rows: number;
  nulls: number;
  distinct: number;
  identifier?: boolean;
  histogram?: { edges: number[]; counts: number[]; baseline?: number[] };
  top?: Array<{ value: string; count: number; baseline?: number }>;
  min?: number;
  max?: number;
  mean?: number;
}

export function columnSummaries(c: DatasetCollector, b: Baseline | undefined, ids: ReadonlySet<string>): ColumnSummary[] {
  return c.order.map((name) => {
    const p = c.columns.get(name)!;
    const base = b?.stats[name];
    const dtype = c.dtypes.get(name);
    const kind = p.kind === 'numeric' ? 'number' : dtype === 'bool' ? 'boolean' : p.kind === 'other' && p.docs === 0 ? 'other' : 'string';
    const out: ColumnSummary = { name, kind, rows: p.n + p.missing, nulls: p.missing, distinct: p.distinct.count(), ...(ids.has(name) ? { identifier: true } : {}) };
    if (p.kind === 'numeric' && p.kll.n > 0) {
      Object.assign(out, { min: p.kll.min, max: p.kll.max, mean: p.mean });
      if (p.hist && base?.numeric) out.histogram = { edges: base.numeric.edges, counts: [...p.hist], baseline: base.numeric.hist };
    } else if (p.kind !== 'text') {
      const baseTop = new Map(base?.top?.values ?? []);
      out.top = p.top.top(20).map(([value, count]) => ({ value, count, ...(base?.top ? { baseline: baseTop.get(value) ?? 0 } : {}) }));
    }
    return out;
  });
}
