/**
 * One column's profile, streamed: moments, a KLL quantile sketch, a distinct counter, top values,
 * invisible-character counts, token document frequencies (overall and per label) and near-duplicate
 * values for text, and,
 * when bin edges / robust bounds are known (baseline given, or profile pass 2), a fixed-edge
 * histogram, a feature × label contingency table and out-of-range / outlier counts.
 */
import { hashValue } from '../sketch/hash.js';
import { DistinctCounter } from '../sketch/hll.js';
import { Kll } from '../sketch/kll.js';
import { NearDupSketch } from '../sketch/near-dup.js';
import { TopK } from '../sketch/topk.js';
import type { Column, Dtype } from '../types.js';
import { valueAt } from '../types.js';
import { hashLikeShare } from '../rows/ids.js';
import { hasInvisible, looksLikeText, tokens } from './text.js';

export type Kind = 'numeric' | 'categorical' | 'text' | 'other';

export interface Bounds {
  edges?: number[];
  /** robust range: values outside count as out-of-range */
  lo?: number;
  hi?: number;
  /** the baseline's smallest and largest value: a value beyond both is past every baseline row */
  min?: number;
  max?: number;
  /** baseline median and MAD for the modified z-score */
  median?: number;
  mad?: number;
  /** categories that get their own contingency row (others pool into "__other__") */
  categories?: string[];
  /** the baseline's whole value set of a bounded-cardinality column: values outside it are unseen */
  known?: ReadonlySet<string>;
}

/** a bounded sample of 1-based rows and their values, for a finding's evidence */
export interface Example {
  row: number;
  value: unknown;
}

export const keyOf = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : typeof v === 'boolean' ? (v ? 'True' : 'False') : JSON.stringify(v));

export class ColumnProfile {
  n = 0;
  missing = 0;
  mean = 0;
  m2 = 0;
  kll = new Kll(200);
  readonly madKll = new Kll(200);
  distinct = new DistinctCounter();
  readonly top = new TopK<string>(1000);
  readonly tokenDf = new TopK<string>(50_000);
  readonly tokenLabel = new TopK<string>(100_000);
  docs = 0;
  /** near-duplicate values of a text or `other` string column (made on its first string) */
  nearDup: NearDupSketch | null = null;
  invisible = 0;
  readonly invisibleExamples: Example[] = [];
  /** non-null values that are not of the column's kind (a string in a numeric column) */
  typeMiss = 0;
  readonly typeMissExamples: Example[] = [];
  readonly nullExamples: Example[] = [];
  /** values outside `bounds.known` */
  unseen = 0;
  readonly unseenExamples: Example[] = [];
  /** consecutive numeric values that rose / fell (an identifier is monotone) */
  rises = 0;
  falls = 0;
  integral = true;
  private prev: number | null = null;
  hist: number[] | null = null;
  below = 0;
  above = 0;
  rangeOut = 0;
  /** values below the baseline's minimum or above its maximum */
  beyond = 0;
  outliers = 0;
  readonly outlierExamples: Example[] = [];
  readonly contingency = new Map<string, Map<string, number>>();
  /** share of the first string values that look like a UUID or a digest */
  hashLike = 0;
  private sample: string[] = [];
  private hv: [number, number] = [0, 0];

  constructor(
    readonly name: string,
    public kind: Kind | null,
    readonly bounds: Bounds = {},
  ) {
    if (bounds.edges) this.hist = new Array<number>(bounds.edges.length - 1).fill(0);
  }

  update(col: Column | undefined, length: number, rowStart: number, labels: string[] | null, dtype: Dtype): void {
    if (!col) {
      this.missing += length;
      return;
    }
    if (this.kind === null) this.decideKind(col, length, dtype);
    for (let i = 0; i < length; i++) {
      const v = valueAt(col, i);
      if (v === null) {
        this.missing++;
        if (this.nullExamples.length < 5) this.nullExamples.push({ row: rowStart + i + 1, value: null });
        continue;
      }
      this.n++;
      const label = labels ? labels[i]! : null;
      if (typeof v === 'number' && this.kind === 'numeric') this.numeric(v, rowStart + i + 1, label);
      else if (this.kind === 'numeric') this.mistyped(v, rowStart + i + 1);
      else this.categorical(v, rowStart + i + 1, label);
    }
  }

  private decideKind(col: Column, length: number, dtype: Dtype): void {
    if (dtype === 'int64' || dtype === 'float64' || col.numeric) {
      this.kind = 'numeric';
      return;
    }
    for (let i = 0; i < length && this.sample.length < 1000; i++) {
      const v = valueAt(col, i);
      if (typeof v === 'string') this.sample.push(v);
    }
    this.hashLike = hashLikeShare(this.sample);
    this.kind = this.sample.length ? (looksLikeText(this.sample) ? 'text' : 'categorical') : dtype === 'bool' ? 'categorical' : 'other';
    this.sample = [];
  }

  /** a value that no longer parses as the column's type: counted and kept out of the numeric statistics */
  private mistyped(v: unknown, row: number): void {
    this.typeMiss++;
    if (this.typeMissExamples.length < 5) this.typeMissExamples.push({ row, value: typeof v === 'string' ? v.slice(0, 200) : v });
  }

  private numeric(x: number, row: number, label: string | null): void {
    if (this.prev !== null) {
      if (x > this.prev) this.rises++;
      else if (x < this.prev) this.falls++;
    }
    this.prev = x;
    if (this.integral && !Number.isInteger(x)) this.integral = false;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
    this.kll.add(x);
    hashValue(x, this.hv);
    this.distinct.add(this.hv[0], this.hv[1]);
    const b = this.bounds;
    if (b.median !== undefined) this.madKll.add(Math.abs(x - b.median));
    if (b.lo !== undefined && b.hi !== undefined && (x < b.lo || x > b.hi)) this.rangeOut++;
    if (b.min !== undefined && b.max !== undefined && (x < b.min || x > b.max)) this.beyond++;
    if (b.median !== undefined && b.mad !== undefined && b.mad > 0 && Math.abs((0.6745 * (x - b.median)) / b.mad) > 3.5) {
      this.outliers++;
      if (this.outlierExamples.length < 20) this.outlierExamples.push({ row, value: x });
    }
    if (this.hist && b.edges) {
      const bin = binOf(b.edges, x);
      if (bin < 0) this.below++;
      else if (bin >= this.hist.length) this.above++;
      else this.hist[bin]!++;
      if (label !== null) this.count(String(Math.max(-1, Math.min(this.hist.length, bin))), label);
    }
  }

  private categorical(v: unknown, row: number, label: string | null): void {
    const k = keyOf(v);
    hashValue(v, this.hv);
    this.distinct.add(this.hv[0], this.hv[1]);
    if (this.kind !== 'text') this.top.add(k);
    if (this.bounds.known && !this.bounds.known.has(k)) {
      this.unseen++;
      if (this.unseenExamples.length < 5) this.unseenExamples.push({ row, value: k.slice(0, 200) });
    }
    if (typeof v === 'string') {
      if (hasInvisible(v)) {
        this.invisible++;
        if (this.invisibleExamples.length < 20) this.invisibleExamples.push({ row, value: JSON.stringify(v).slice(1, -1).slice(0, 200) });
      }
      // `other` strings (titles, names) are tokenised too: a trigger word hides in a title as well as in a review
      if (this.kind === 'text' || this.kind === 'other') {
        (this.nearDup ??= new NearDupSketch()).add(v);
        this.docs++;
        for (const t of tokens(v)) {
          this.tokenDf.add(t);
          if (label !== null) this.tokenLabel.add(`${t}\u0000${label}`);
        }
      }
    }
    if (label !== null && this.kind === 'categorical') {
      const cats = this.bounds.categories;
      this.count(cats && !cats.includes(k) ? '__other__' : k, label);
    }
  }

  private count(bin: string, label: string): void {
    let row = this.contingency.get(bin);
    if (!row) {
      if (this.contingency.size > 10_000) return;
      row = new Map<string, number>();
      this.contingency.set(bin, row);
    }
    row.set(label, (row.get(label) ?? 0) + 1);
  }

  get std(): number {
    return this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0;
  }
}

export function binOf(edges: number[], x: number): number {
  if (x < edges[0]!) return -1;
  const last = edges.length - 1;
  if (x > edges[last]!) return last;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x >= edges[mid]!) lo = mid;
    else hi = mid;
  }
  return lo;
}
