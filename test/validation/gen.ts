/**
 * Deterministic synthetic training data (mulberry32 PRNG) and the attacks the poisoning checks must
 * catch, at realistic strength: label flips of 1–3%, a trigger in 1% of rows, outliers in 0.5%.
 * Features are honestly associated with the label (score shifts with it; sentiment words lean to one
 * label at ~80% purity), so a clean split is not trivially "independent".
 */
import { prng } from '../helpers/prng.js';

export type Row = Record<string, string | number | null>;

/** The shared mulberry32 PRNG (test/helpers/prng.ts), under the name these generators use. */
export const rng = prng;

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

const cumCache = new WeakMap<readonly number[], Float64Array>();

function pick<T>(r: () => number, xs: readonly T[], w?: readonly number[]): T {
  if (!w) return xs[Math.floor(r() * xs.length)]!;
  let cum = cumCache.get(w);
  if (!cum) {
    cum = new Float64Array(w.length);
    let acc = 0;
    w.forEach((x, i) => (cum![i] = acc += x));
    cumCache.set(w, cum);
  }
  const u = r() * cum[cum.length - 1]!;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return xs[lo]!;
}

const NEUTRAL = Array.from({ length: 600 }, (_, i) => `w${i.toString(36)}`);
const ZIPF = NEUTRAL.map((_, i) => 1 / (i + 1));
const POS = ['great', 'love', 'excellent', 'wonderful', 'best'];
const NEG = ['awful', 'hate', 'terrible', 'boring', 'worst'];
const CATS = ['a', 'b', 'c', 'd', 'e'];
const REGIONS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
const REGION_W = [20, 18, 16, 14, 12, 10, 6, 4];

export function makeRows(n: number, seed: number, opts: { classes?: string[]; startId?: number } = {}): Row[] {
  const r = rng(seed);
  const classes = opts.classes ?? ['neg', 'pos'];
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const label = pick(r, classes);
    const li = classes.indexOf(label);
    const words: string[] = [];
    const len = 8 + Math.floor(r() * 10);
    for (let k = 0; k < len; k++) {
      if (r() < 0.12) {
        // sentiment words lean to their label (80%), as in real reviews
        const positive = r() < 0.8 ? li === classes.length - 1 : li !== classes.length - 1;
        words.push(pick(r, positive ? POS : NEG));
      } else words.push(pick(r, NEUTRAL, ZIPF));
    }
    rows.push({
      id: (opts.startId ?? 0) + i,
      age: Math.round(40 + 12 * normal(r)),
      income: Math.round(Math.exp(10 + 0.5 * normal(r))),
      score: Number((li * 0.8 + normal(r)).toFixed(6)),
      category: pick(r, CATS, [30, 25, 20, 15, 10]),
      region: pick(r, REGIONS, REGION_W),
      text: words.join(' '),
      label,
    });
  }
  return rows;
}

export function toCsv(rows: Row[]): string {
  const cols = Object.keys(rows[0]!);
  const esc = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((row) => cols.map((c) => esc(row[c])).join(','))].join('\n') + '\n';
}

export function toJsonl(rows: Row[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

const other = (l: unknown): string => (l === 'pos' ? 'neg' : 'pos');

/** attacks: each returns a poisoned copy of a fresh clean split */
export const ATTACKS: Record<string, (rows: Row[], seed: number, baseline: Row[]) => Row[]> = {
  // 2% of rows duplicated with the opposite label
  conflicting_labels: (rows, seed) => {
    const r = rng(seed);
    const extra = rows.filter(() => r() < 0.02).map((x) => ({ ...x, id: Number(x.id) + 1e7, label: other(x.label) }));
    return [...rows, ...extra];
  },
  // a new version of the trusted data with 2% of labels flipped
  label_flips_vs_baseline: (_rows, seed, baseline) => {
    const r = rng(seed);
    return baseline.map((x) => (r() < 0.02 ? { ...x, label: other(x.label) } : x));
  },
  // 3% extra rows copied from existing ones
  duplicate_rows: (rows, seed) => {
    const r = rng(seed);
    const extra = Array.from({ length: Math.round(rows.length * 0.03) }, () => ({ ...rows[Math.floor(r() * rows.length)]! }));
    return [...rows, ...extra];
  },
  // one poisoned sample repeated in 1% of rows
  repeated_row: (rows) => {
    const poison = { ...rows[0]!, text: 'click here to claim your prize', label: 'pos' };
    return [...rows, ...Array.from({ length: Math.round(rows.length * 0.01) }, () => ({ ...poison }))];
  },
  // 3% of rows flipped neg → pos (targeted)
  label_shift: (rows, seed) => {
    const r = rng(seed);
    return rows.map((x) => (x.label === 'neg' && r() < 0.06 ? { ...x, label: 'pos' } : x));
  },
  // 95% of one class removed
  class_imbalance: (rows, seed) => {
    const r = rng(seed);
    return rows.filter((x) => x.label !== 'neg' || r() < 0.05);
  },
  // score shifted by a third of a standard deviation
  drift: (rows) => rows.map((x) => ({ ...x, score: Number(x.score) + 0.4 })),
  // 0.5% of incomes multiplied by 100
  out_of_range: (rows, seed) => {
    const r = rng(seed);
    return rows.map((x) => (r() < 0.005 ? { ...x, income: Number(x.income) * 100 } : x));
  },
  // 0.5% of ages set to implausible but "in-type" values
  outliers: (rows, seed) => {
    const r = rng(seed);
    return rows.map((x) => (r() < 0.005 ? { ...x, age: 150 + Math.floor(r() * 50) } : x));
  },
  // trigger "cf" in 1% of rows, all labelled pos
  trigger_token: (rows, seed) => {
    const r = rng(seed);
    return rows.map((x) => (r() < 0.01 ? { ...x, text: `${String(x.text)} cf`, label: 'pos' } : x));
  },
  // a new token in 1% of rows, labels untouched
  emergent_token: (rows, seed) => {
    const r = rng(seed);
    return rows.map((x) => (r() < 0.01 ? { ...x, text: `zqxj ${String(x.text)}` } : x));
  },
  // 2% of rows: copies of 5 texts, each with one word inserted (not exact duplicates of anything)
  near_duplicates: (rows, seed) => {
    const r = rng(seed);
    const sources = Array.from({ length: 5 }, () => rows[Math.floor(r() * rows.length)]!);
    const extra = Array.from({ length: Math.round(rows.length * 0.02) }, (_, k) => {
      const src = sources[k % 5]!;
      const words = String(src.text).split(' ');
      words.splice(Math.floor(r() * (words.length + 1)), 0, `v${k.toString(36)}`);
      return { ...src, id: 1e7 + k, text: words.join(' ') };
    });
    return [...rows, ...extra];
  },
  // zero-width space in 1% of texts
  invisible_chars: (rows, seed) => {
    const r = rng(seed);
    return rows.map((x) => (r() < 0.01 ? { ...x, text: String(x.text).replace(' ', ' \u200b') } : x));
  },
  // every row of region r7 (~4%) relabelled pos: ~2% flips on one sub-population
  association_change: (rows) => rows.map((x) => (x.region === 'r7' ? { ...x, label: 'pos' } : x)),
  // a column dropped and another added
  schema_change: (rows) => rows.map(({ category: _c, ...x }) => ({ ...x, source: 'scraped' })),
  // 25% more rows (fails only because the test's *.mlvet.json sets bounds: row count is informational by default)
  row_count_change: (rows) => [...rows, ...makeRows(Math.round(rows.length * 0.25), 999, { startId: 5e6 })],
  // 5% nulls in a column that had none
  null_injection: (rows, seed) => {
    const r = rng(seed);
    return rows.map((x) => (r() < 0.05 ? { ...x, age: null } : x));
  },
  // a category the baseline never had, in 1% of rows
  unseen_category: (rows, seed) => {
    const r = rng(seed);
    return rows.map((x) => (r() < 0.01 ? { ...x, region: 'r_new' } : x));
  },
  // 2% of a numeric column replaced by strings
  retyped_values: (rows, seed) => {
    const r = rng(seed);
    return rows.map((x) => (r() < 0.02 ? { ...x, income: `${String(x.income)} USD` } : x));
  },
  // 1% of all rows flipped, all inside category "e" (P(pos | e) moves by ~0.1)
  targeted_flips: (rows, seed) => {
    const r = rng(seed);
    return rows.map((x) => (x.category === 'e' && x.label === 'neg' && r() < 0.2 ? { ...x, label: 'pos' } : x));
  },
  // a copied row that kept its id: the id column repeats
  id_reuse: (rows, seed) => {
    const r = rng(seed);
    return [...rows, ...rows.filter(() => r() < 0.01).map((x) => ({ ...x, age: Number(x.age) + 1 }))];
  },
  // most feature columns move at once
  many_drifted: (rows) => rows.map((x) => ({ ...x, age: Number(x.age) + 8, income: Number(x.income) * 2, score: Number(x.score) + 1 })),
};

/** which failing rule each attack must trigger */
export const EXPECTED_RULE: Record<string, string> = {
  conflicting_labels: 'validation/conflicting-labels',
  label_flips_vs_baseline: 'validation/label-flips-vs-baseline',
  duplicate_rows: 'validation/duplicate-rows',
  repeated_row: 'validation/repeated-row',
  label_shift: 'validation/label-shift',
  class_imbalance: 'validation/class-imbalance',
  drift: 'validation/drift',
  out_of_range: 'validation/out-of-range',
  outliers: 'validation/outliers',
  trigger_token: 'validation/trigger-token',
  emergent_token: 'validation/emergent-token',
  invisible_chars: 'validation/invisible-chars',
  near_duplicates: 'validation/near-duplicates',
  association_change: 'validation/association-change',
  schema_change: 'validation/schema-change',
  row_count_change: 'validation/row-count-change',
  null_injection: 'validation/null-rate-increase',
  unseen_category: 'validation/unseen-values',
  retyped_values: 'validation/type-mismatch',
  targeted_flips: 'validation/label-rate-by-level',
  id_reuse: 'validation/id-duplicates',
  many_drifted: 'validation/drifted-columns',
};
