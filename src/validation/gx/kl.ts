/**
 * expect_column_kl_divergence_to_be_less_than, following GX 1.2's `_validate` step by step:
 * KL(observed ‖ expected) in nats (scipy `entropy`, which normalises both sides), tail handling for
 * infinite and finite partition endpoints, tail/internal weight holdouts, and an automatic partition
 * (numpy's "auto" bins, or value counts) when none is given. Infinite KL → observed_value null.
 */
import { valueAt } from '../types.js';
import type { Evaluator, FinishCtx, View } from './evaluator.js';
import type { MapOutcome } from './map.js';
import { ColumnStats } from './aggregate.js';
import { GxError, pyKey } from './values.js';

type K = Record<string, unknown>;
interface Partition {
  bins?: number[];
  values?: unknown[];
  weights: number[];
  tail_weights?: number[];
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function entropy(pk: number[], qk: number[]): number {
  const sp = sum(pk);
  const sq = sum(qk);
  let kl = 0;
  for (let i = 0; i < pk.length; i++) {
    const p = pk[i]! / sp;
    const q = qk[i]! / sq;
    if (p > 0) kl += q > 0 ? p * Math.log(p / q) : Infinity;
  }
  return kl;
}

function isCategorical(p: Partition): boolean {
  return Array.isArray(p.values) && Array.isArray(p.weights) && p.values.length === p.weights.length && Math.abs(sum(p.weights) - 1) < 1e-6;
}

function isContinuous(p: Partition): boolean {
  const b = p.bins;
  if (!Array.isArray(b) || !Array.isArray(p.weights) || b.length !== p.weights.length + 1) return false;
  for (let i = 1; i < b.length; i++) if (!(b[i]! > b[i - 1]!)) return false;
  const total = sum(p.weights) + (p.tail_weights ? sum(p.tail_weights) : 0);
  return Math.abs(total - 1) < 1e-6 && p.weights.every((w) => w >= 0);
}

/** numpy histogram_bin_edges(x, "auto") */
function autoEdges(xs: Float64Array): number[] {
  const n = xs.length;
  const lo = xs[0]!;
  const hi = xs[n - 1]!;
  if (hi === lo) return [lo - 0.5, hi + 0.5];
  const pct = (q: number): number => {
    const pos = q * (n - 1);
    const f = Math.floor(pos);
    return xs[f]! + (xs[Math.min(n - 1, f + 1)]! - xs[f]!) * (pos - f);
  };
  const sturges = (hi - lo) / (Math.log2(n) + 1);
  const fd = (2 * (pct(0.75) - pct(0.25))) / Math.cbrt(n);
  const width = fd > 0 ? Math.min(fd, sturges) : sturges;
  const bins = Math.max(1, Math.ceil((hi - lo) / width));
  return Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
}

function histogram(xs: Float64Array, edges: number[]): { hist: number[]; below: number; above: number } {
  const hist = new Array<number>(edges.length - 1).fill(0);
  let below = 0;
  let above = 0;
  const last = edges.length - 1;
  for (const x of xs) {
    if (x < edges[0]!) below++;
    else if (x > edges[last]!) above++;
    else {
      let lo = 0;
      let hi = last;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (x >= edges[mid]!) lo = mid;
        else hi = mid;
      }
      hist[lo]!++;
    }
  }
  return { hist, below, above };
}

class KlEval implements Evaluator {
  readonly passes = 1;
  private readonly stats = new ColumnStats(true);
  private readonly values: number[] = [];
  private seen = false;

  constructor(private readonly kw: K) {}

  update(v: View): void {
    const col = v.col(String(this.kw.column));
    if (col) this.seen = true;
    for (let i = 0; i < v.batch.length; i++) {
      if (v.mask && !v.mask[i]) continue;
      const x = col ? valueAt(col, i) : null;
      this.stats.add(x);
      if (typeof x === 'number' && this.values.length < 5_000_000) this.values.push(x);
    }
  }

  finish(ctx: FinishCtx): MapOutcome {
    const kw = this.kw;
    if (!this.seen && !ctx.columns.includes(String(kw.column))) throw new GxError(`KeyError: column "${String(kw.column)}" not found`);
    const tw = (kw.tail_weight_holdout ?? 0) as number;
    const iw = (kw.internal_weight_holdout ?? 0) as number;
    const threshold = kw.threshold as number | null | undefined;
    const nonnull = this.stats.n;
    const xs = Float64Array.from(this.values).sort();
    let p = kw.partition_object as Partition | null | undefined;
    if (p === null || p === undefined) {
      if (kw.bucketize_data !== false) {
        if (!nonnull) throw new GxError('ValueError: cannot build a partition from an empty column');
        const bins = autoEdges(xs);
        const weights = histogram(xs, bins).hist.map((h) => h / nonnull);
        const t = (1 - sum(weights)) / 2;
        p = { bins, weights, tail_weights: [t, t] };
      } else {
        const vals = [...this.stats.reprs.values()].sort((a, b) => (String(a) < String(b) ? -1 : 1));
        p = { values: vals, weights: vals.map((v) => (this.stats.counts.get(pyKey(v)) ?? 0) / nonnull) };
      }
    }
    if (!isCategorical(p) && !isContinuous(p)) throw new GxError('ValueError: Invalid partition object.');
    if (threshold !== null && threshold !== undefined && (typeof threshold !== 'number' || threshold < 0)) throw new GxError('ValueError: Threshold must be specified, greater than or equal to zero.');
    if (typeof tw !== 'number' || tw < 0 || tw > 1) throw new GxError('ValueError: tail_weight_holdout must be between zero and one.');
    if (typeof iw !== 'number' || iw < 0 || iw > 1) throw new GxError('ValueError: internal_weight_holdout must be between zero and one.');
    if (tw !== 0 && p.tail_weights) throw new GxError('ValueError: tail_weight_holdout must be 0 when using tail_weights in partition object');
    const done = (kl: number, details: Record<string, unknown>): MapOutcome => ({
      success: threshold === null || threshold === undefined ? true : kl <= threshold,
      result: { observed_value: Number.isFinite(kl) ? kl : null, details },
    });
    if (isCategorical(p)) {
      if (iw > 0) throw new GxError('ValueError: Internal weight holdout cannot be used for discrete data.');
      const index = [...p.values!];
      const keys = new Set(index.map(pyKey));
      for (const v of this.stats.reprs.values()) {
        if (keys.has(pyKey(v))) continue;
        index.push(v);
        keys.add(pyKey(v));
      }
      const exp = new Map(p.values!.map((v, i) => [pyKey(v), p.weights[i]!]));
      const pk = index.map((v) => (this.stats.counts.get(pyKey(v)) ?? 0) / (nonnull || 1));
      const naExpected = index.filter((v) => !exp.has(pyKey(v))).length;
      const qk = index.map((v) => (exp.has(pyKey(v)) ? exp.get(pyKey(v))! * (naExpected > 0 ? 1 - tw : 1) : tw / naExpected));
      return done(entropy(pk, qk), { observed_partition: { values: index, weights: pk }, expected_partition: { values: index, weights: qk } });
    }
    if (kw.bucketize_data === false) throw new GxError('ValueError: KL Divergence cannot be computed with a continuous partition object and the bucketize_data parameter set to false.');
    return done(...this.continuous(p, xs, nonnull, tw, iw));
  }

  private continuous(p: Partition, xs: Float64Array, nonnull: number, tw: number, iw: number): [number, Record<string, unknown>] {
    const bins = p.bins!;
    const finite = bins.map((b, i) => (Number.isFinite(b) ? b : i === 0 ? Math.min(xs[0] ?? b, bins[1] ?? 0) : Math.max(xs[xs.length - 1] ?? b, bins[i - 1] ?? 0)));
    const { hist, below, above } = histogram(xs, finite);
    let obs = hist.map((h) => h / nonnull);
    let exp = p.weights.map((w) => w * (1 - tw - iw));
    if (iw > 0) {
      const zeros = exp.filter((w) => w === 0).length;
      if (zeros > 0) exp = exp.map((w) => (w === 0 ? iw / zeros : w));
    }
    const lowInf = bins[0] === -Infinity;
    const highInf = bins[bins.length - 1] === Infinity;
    let expectedBins: number[];
    let combExp: number[];
    let combObs: number[];
    let expTail: number[];
    let obsTail: number[];
    if (lowInf && highInf) {
      if (tw > 0) throw new GxError('ValueError: tail_weight_holdout cannot be used for partitions with infinite endpoints.');
      if (p.tail_weights) throw new GxError('ValueError: There can be no tail weights for partitions with one or both endpoints at infinity');
      expectedBins = bins.slice(1, -1);
      combExp = exp;
      combObs = obs;
      expTail = [exp[0]!, exp[exp.length - 1]!];
      obsTail = [obs[0]!, obs[obs.length - 1]!];
      exp = exp.slice(1, -1);
      obs = obs.slice(1, -1);
    } else if (lowInf) {
      if (p.tail_weights) throw new GxError('ValueError: There can be no tail weights for partitions with one or both endpoints at infinity');
      expectedBins = bins.slice(1);
      combExp = [...exp, tw];
      combObs = [...obs, above / nonnull];
      expTail = [exp[0]!, tw];
      obsTail = [obs[0]!, above / nonnull];
      exp = exp.slice(1);
      obs = obs.slice(1);
    } else if (highInf) {
      if (p.tail_weights) throw new GxError('ValueError: There can be no tail weights for partitions with one or both endpoints at infinity');
      expectedBins = bins.slice(0, -1);
      combExp = [tw, ...exp];
      combObs = [below / nonnull, ...obs];
      expTail = [tw, exp[exp.length - 1]!];
      obsTail = [below / nonnull, obs[obs.length - 1]!];
      exp = exp.slice(0, -1);
      obs = obs.slice(0, -1);
    } else {
      expectedBins = bins;
      expTail = p.tail_weights ? [...p.tail_weights] : [tw / 2, tw / 2];
      combExp = [expTail[0]!, ...exp, expTail[1]!];
      combObs = [below / nonnull, ...obs, above / nonnull];
      obsTail = [below / nonnull, above / nonnull];
    }
    return [
      entropy(combObs, combExp),
      {
        observed_partition: { bins: expectedBins, weights: obs, tail_weights: obsTail },
        expected_partition: { bins: expectedBins, weights: exp, tail_weights: expTail },
      },
    ];
  }
}

export function klEval(kw: K): Evaluator {
  return new KlEval(kw);
}
