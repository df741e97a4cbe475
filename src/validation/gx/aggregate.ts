/**
 * Column aggregate expectations (GX `ColumnAggregateExpectation`): a metric over the non-null values,
 * then `_validate_metric_value_between` (inclusive unless strict; a missing/NaN metric fails with
 * observed_value null). Median and quantiles are exact up to `exactLimit` values, then a KLL sketch
 * (result meta says so).
 */
import { Kll } from '../sketch/kll.js';
import { valueAt } from '../types.js';
import type { Evaluator, FinishCtx, View } from './evaluator.js';
import type { MapOutcome } from './map.js';
import { cmp, GxError, pyKey } from './values.js';

type K = Record<string, unknown>;
const EXACT_LIMIT = 2_000_000;

/** every non-null value of a column, streamed into the statistics the aggregates need */
export class ColumnStats {
  n = 0;
  missing = 0;
  elements = 0;
  sum = 0;
  private comp = 0;
  mean = 0;
  m2 = 0;
  min: unknown = null;
  max: unknown = null;
  numeric = true;
  /** the numbers, kept for an exact median or quantile only (past EXACT_LIMIT the KLL sketch answers) */
  private exact: number[] | null;
  readonly kll: Kll | null;
  readonly counts = new Map<unknown, number>();
  readonly reprs = new Map<unknown, unknown>();
  countsCapped = false;
  seen = false;

  /**
   * `wantQuantiles`: keep the numbers (and a sketch) for a median or quantiles. Off for the other
   * aggregates, which read running sums: a mean of 3M values needs neither 16 MB of numbers nor a sketch
   * fed every value (a fifth of a GX suite's time on flights), and is not reported approximate past 2M.
   */
  constructor(
    readonly wantCounts: boolean,
    readonly wantQuantiles = false,
  ) {
    this.exact = wantQuantiles ? [] : null;
    this.kll = wantQuantiles ? new Kll(200) : null;
  }

  add(v: unknown): void {
    this.elements++;
    if (v === null) {
      this.missing++;
      return;
    }
    this.n++;
    if (this.min === null || cmp(v, this.min) < 0) this.min = v;
    if (this.max === null || cmp(v, this.max) > 0) this.max = v;
    if (typeof v === 'number' || typeof v === 'boolean') {
      const x = Number(v);
      const y = x - this.comp;
      const t = this.sum + y;
      this.comp = t - this.sum - y;
      this.sum = t;
      const d = x - this.mean;
      this.mean += d / this.n;
      this.m2 += d * (x - this.mean);
      if (this.kll) this.kll.add(x);
      if (this.exact) {
        this.exact.push(x);
        if (this.exact.length > EXACT_LIMIT) this.exact = null;
      }
    } else this.numeric = false;
    if (this.wantCounts && !this.countsCapped) {
      const k = pyKey(v);
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
      if (!this.reprs.has(k)) this.reprs.set(k, v);
      if (this.counts.size > EXACT_LIMIT) this.countsCapped = true;
    }
  }

  get approximate(): boolean {
    return this.wantQuantiles && this.exact === null;
  }

  /** numpy quantile with interpolation "nearest" (round half to even on the index), or linear for the median */
  quantile(q: number, method: 'nearest' | 'linear' | 'lower' | 'higher' | 'midpoint'): number {
    if (!this.wantQuantiles) throw new Error('ColumnStats: quantiles were not asked for');
    if (!this.exact) return this.kll!.quantile(q);
    const xs = this.sorted();
    const pos = q * (xs.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    switch (method) {
      case 'lower':
        return xs[lo]!;
      case 'higher':
        return xs[hi]!;
      case 'midpoint':
        return (xs[lo]! + xs[hi]!) / 2;
      case 'linear':
        return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
      default: {
        const r = pos - lo === 0.5 ? (lo % 2 === 0 ? lo : hi) : Math.round(pos);
        return xs[r]!;
      }
    }
  }

  private sortedCache: Float64Array | null = null;
  private sorted(): Float64Array {
    if (!this.sortedCache || this.sortedCache.length !== this.exact!.length) this.sortedCache = Float64Array.from(this.exact!).sort();
    return this.sortedCache;
  }
}

export function checkBetween(kw: K, observed: unknown): boolean {
  if (observed === null || observed === undefined || (typeof observed === 'number' && Number.isNaN(observed))) return false;
  const lo = kw.min_value;
  const hi = kw.max_value;
  if (lo !== null && lo !== undefined) {
    const c = cmp(observed, lo);
    if (kw.strict_min === true ? c <= 0 : c < 0) return false;
  }
  if (hi !== null && hi !== undefined) {
    const c = cmp(observed, hi);
    if (kw.strict_max === true ? c >= 0 : c > 0) return false;
  }
  return true;
}

export class AggregateEval implements Evaluator {
  readonly passes = 1;
  readonly stats: ColumnStats;

  constructor(
    private readonly column: string,
    wantCounts: boolean,
    private readonly decide: (s: ColumnStats, ctx: FinishCtx) => MapOutcome,
    wantQuantiles = false,
  ) {
    this.stats = new ColumnStats(wantCounts, wantQuantiles);
  }

  update(v: View): void {
    const col = v.col(this.column);
    if (col) this.stats.seen = true;
    for (let i = 0; i < v.batch.length; i++) {
      if (v.mask && !v.mask[i]) continue;
      this.stats.add(col ? valueAt(col, i) : null);
    }
  }

  finish(ctx: FinishCtx): MapOutcome {
    if (!this.stats.seen && !ctx.columns.includes(this.column)) throw new GxError(`KeyError: column "${this.column}" not found in the table`);
    const out = this.decide(this.stats, ctx);
    if (this.stats.approximate || this.stats.countsCapped) out.meta = { ...(out.meta ?? {}), mlvet: { approximate: true, method: 'KLL k=200, ~1.3% rank error' } };
    return out;
  }
}
