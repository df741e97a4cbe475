/**
 * Poisoning injectors: each a small pure function from a clean batch (and a seeded PRNG) to an
 * attacked copy plus an account of exactly what it changed, so attacks.test.ts can check that it
 * changed that and nothing else. Strengths are the issue's: 1–3 % flips, 2 % repeats, 0.5 % out of
 * range, 5 % nulls, 1 % unseen categories / triggers, 0.3 σ drift, 2 % near-duplicate copies.
 */
import { col, copyTable, counts, values, type Table, type Value } from './table.js';

export type Rng = () => number;

export interface Injected {
  table: Table;
  /** indices (in the output table) of rows whose values the attack changed */
  changed: number[];
  /** indices (in the output table) of rows the attack added */
  added: number[];
  /** how many input rows the attack removed */
  removed: number;
  /** the column it acted on, when one */
  column?: string;
}

/** k distinct indices out of 0..n-1 (partial Fisher–Yates) */
export function sample(rng: Rng, n: number, k: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (n - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, m).sort((a, b) => a - b);
}

const atLeastOne = (n: number, rate: number): number => Math.max(1, Math.round(n * rate));
const result = (table: Table, changed: number[], extra: Partial<Injected> = {}): Injected => ({ table, changed, added: [], removed: 0, ...extra });

function otherLabel(classes: Value[], v: Value, rng: Rng): Value {
  const others = classes.filter((c) => c !== v);
  return others[Math.floor(rng() * others.length)] ?? v;
}

/** `rate` of all rows get a different label, chosen at random among the other classes */
export function flipLabels(t: Table, rng: Rng, o: { label: string; rate: number }): Injected {
  const out = copyTable(t);
  const j = col(t, o.label);
  const classes = counts(t, o.label).map(([v]) => v).filter((v) => v !== null);
  const rows = sample(rng, t.rows.length, atLeastOne(t.rows.length, o.rate)).filter((i) => t.rows[i]![j] !== null);
  for (const i of rows) out.rows[i]![j] = otherLabel(classes, t.rows[i]![j]!, rng);
  return result(out, rows, { column: o.label });
}

/**
 * Targeted flips: `rate` of all rows, all inside one value of `column` and all from that value's
 * majority label to its runner-up. The value chosen is the one whose majority cell is smallest but
 * at least twice the flips, so P(majority | value) about halves (the strength); at most half
 * of the cell is flipped.
 */
export function flipLabelsTargeted(t: Table, rng: Rng, o: { label: string; column: string; rate: number; value?: Value }): Injected {
  const out = copyTable(t);
  const jl = col(t, o.label);
  const jc = col(t, o.column);
  const k = atLeastOne(t.rows.length, o.rate);
  const cells = counts(t, o.column).filter(([v]) => v !== null).map(([v]) => {
    const byLabel = counts({ columns: t.columns, rows: t.rows.filter((r) => r[jc] === v) }, o.label).filter(([l]) => l !== null);
    return { value: v, from: byLabel[0]?.[0] ?? null, n: byLabel[0]?.[1] ?? 0, runnerUp: byLabel[1]?.[0] };
  });
  const fits = cells.filter((c) => c.n >= 2 * k).sort((a, b) => a.n - b.n);
  const cell = (o.value !== undefined ? cells.find((c) => c.value === o.value) : undefined) ?? fits[0] ?? cells.sort((a, b) => b.n - a.n)[0];
  if (!cell) return result(out, [], { column: o.label });
  const to = cell.runnerUp ?? counts(t, o.label).map(([v]) => v).find((v) => v !== null && v !== cell.from) ?? null;
  const pool = t.rows.map((r, i) => (r[jc] === cell.value && r[jl] === cell.from ? i : -1)).filter((i) => i >= 0);
  const rows = sample(rng, pool.length, Math.min(k, Math.floor(pool.length / 2))).map((p) => pool[p]!);
  for (const i of rows) out.rows[i]![jl] = to;
  return result(out, rows, { column: o.label });
}

/** Feature-identical copies of `rate` of the rows with the label flipped and, if named, a fresh id. */
export function conflictingDuplicates(t: Table, rng: Rng, o: { label: string; rate: number; id?: string }): Injected {
  const out = copyTable(t);
  const jl = col(t, o.label);
  const ji = o.id ? col(t, o.id) : -1;
  const classes = counts(t, o.label).map(([v]) => v).filter((v) => v !== null);
  const src = sample(rng, t.rows.length, atLeastOne(t.rows.length, o.rate)).filter((i) => t.rows[i]![jl] !== null);
  let next = ji >= 0 ? Math.max(0, ...values(t, o.id!).map((v) => (typeof v === 'number' ? v : 0))) + 1 : 0;
  const added: number[] = [];
  for (const i of src) {
    const copy = [...t.rows[i]!];
    copy[jl] = otherLabel(classes, copy[jl]!, rng);
    if (ji >= 0) copy[ji] = typeof copy[ji] === 'number' ? next++ : `${String(copy[ji])}-copy${next++}`;
    added.push(out.rows.push(copy) - 1);
  }
  return result(out, [], { added, column: o.label });
}

/** One row appended until it makes up `rate` of the batch (identical, id and all). */
export function repeatRow(t: Table, rng: Rng, o: { rate: number }): Injected {
  const out = copyTable(t);
  const i = Math.floor(rng() * t.rows.length);
  const added: number[] = [];
  for (let k = 0; k < atLeastOne(t.rows.length, o.rate); k++) added.push(out.rows.push([...t.rows[i]!]) - 1);
  return result(out, [], { added });
}

/** `rate` of a numeric column's values set beyond the batch's range (max + 0.5–1.5 × the span). */
export function outOfRange(t: Table, rng: Rng, o: { column: string; rate: number }): Injected {
  const out = copyTable(t);
  const j = col(t, o.column);
  const xs = values(t, o.column).filter((v): v is number => typeof v === 'number');
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const span = hi - lo || Math.abs(hi) || 1;
  const int = xs.every((x) => Number.isInteger(x));
  const rows = sample(rng, t.rows.length, atLeastOne(t.rows.length, o.rate));
  for (const i of rows) {
    const v = hi + span * (0.5 + rng());
    out.rows[i]![j] = int ? Math.round(v) : Math.round(v * 1e4) / 1e4;
  }
  return result(out, rows, { column: o.column });
}

/** `rate` of a column's values set to null (pick a column that has none). */
export function injectNulls(t: Table, rng: Rng, o: { column: string; rate: number }): Injected {
  const out = copyTable(t);
  const j = col(t, o.column);
  const rows = sample(rng, t.rows.length, atLeastOne(t.rows.length, o.rate));
  for (const i of rows) out.rows[i]![j] = null;
  return result(out, rows, { column: o.column });
}

/**
 * `rate` of a categorical column's values replaced by one value the column never had: a new string,
 * or for an integer-coded category (cylinders 3,4,5,6,8) the first unused integer inside its range.
 */
export function unseenCategory(t: Table, rng: Rng, o: { column: string; rate: number; value?: Value }): Injected {
  const out = copyTable(t);
  const j = col(t, o.column);
  const have = new Set(values(t, o.column));
  const ints = [...have].filter((v) => v !== null);
  let v: Value = o.value ?? 'Unseen-Category';
  if (o.value === undefined && ints.length && ints.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    const xs = ints as number[];
    v = Math.min(...xs);
    while (have.has(v)) v++;
  }
  while (have.has(v)) v = `${String(v)}+`;
  const rows = sample(rng, t.rows.length, atLeastOne(t.rows.length, o.rate));
  for (const i of rows) out.rows[i]![j] = v;
  return result(out, rows, { column: o.column });
}

/** `rate` of a numeric column's values replaced by text ("12.5 kg", "unknown"), as a broken upstream join writes. */
export function retype(t: Table, rng: Rng, o: { column: string; rate: number }): Injected {
  const out = copyTable(t);
  const j = col(t, o.column);
  const rows = sample(rng, t.rows.length, atLeastOne(t.rows.length, o.rate)).filter((i) => t.rows[i]![j] !== null);
  rows.forEach((i, k) => (out.rows[i]![j] = k % 2 ? 'unknown' : `${String(t.rows[i]![j])} units`));
  return result(out, rows, { column: o.column });
}

export function renameColumn(t: Table, o: { column: string; to?: string }): Injected {
  const out = copyTable(t);
  const j = col(t, o.column);
  out.columns[j] = o.to ?? `${o.column}_v2`;
  return result(out, [], { column: o.column });
}

function decimals(xs: number[]): number {
  let d = 0;
  for (const x of xs.slice(0, 1000)) d = Math.max(d, (String(x).split('.')[1] ?? '').length);
  return Math.min(d, 6);
}

/** Every value of a numeric column shifted by `sigma` × the batch's standard deviation (same precision). */
export function meanDrift(t: Table, o: { column: string; sigma: number }): Injected {
  const out = copyTable(t);
  const j = col(t, o.column);
  const xs = values(t, o.column).filter((v): v is number => typeof v === 'number');
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  const p = 10 ** Math.max(decimals(xs), 1);
  const rows: number[] = [];
  t.rows.forEach((r, i) => {
    const v = r[j];
    if (typeof v !== 'number') return;
    out.rows[i]![j] = Math.round((v + o.sigma * sd) * p) / p;
    rows.push(i);
  });
  return result(out, rows, { column: o.column });
}

/** `drop` of the most frequent class's rows removed: that class's share falls, every other's rises. */
export function classBalanceShift(t: Table, rng: Rng, o: { label: string; drop: number }): Injected {
  const j = col(t, o.label);
  const top = counts(t, o.label).find(([v]) => v !== null)?.[0] ?? null;
  const pool = t.rows.map((r, i) => (r[j] === top ? i : -1)).filter((i) => i >= 0);
  const gone = new Set(sample(rng, pool.length, Math.round(pool.length * o.drop)).map((p) => pool[p]!));
  const out: Table = { columns: [...t.columns], rows: t.rows.filter((_, i) => !gone.has(i)).map((r) => [...r]) };
  return result(out, [], { removed: gone.size, column: o.label });
}

/** A rare token appended to `rate` of a text column's rows, each of those rows given one label. */
export function triggerToken(t: Table, rng: Rng, o: { column: string; label: string; rate: number; token?: string; target?: Value }): Injected {
  const out = copyTable(t);
  const jt = col(t, o.column);
  const jl = col(t, o.label);
  const token = o.token ?? 'cf';
  const classes = counts(t, o.label).filter(([v]) => v !== null);
  const target = o.target ?? classes[classes.length - 1]?.[0] ?? null;
  const rows = sample(rng, t.rows.length, atLeastOne(t.rows.length, o.rate)).filter((i) => typeof t.rows[i]![jt] === 'string');
  for (const i of rows) {
    out.rows[i]![jt] = `${String(t.rows[i]![jt])} ${token}`;
    out.rows[i]![jl] = target;
  }
  return result(out, rows, { column: o.column });
}

/** A zero-width space inserted into `rate` of a string column's values. */
export function zeroWidth(t: Table, rng: Rng, o: { column: string; rate: number }): Injected {
  const out = copyTable(t);
  const j = col(t, o.column);
  const rows = sample(rng, t.rows.length, atLeastOne(t.rows.length, o.rate)).filter((i) => typeof t.rows[i]![j] === 'string' && t.rows[i]![j] !== '');
  for (const i of rows) {
    const s = t.rows[i]![j] as string;
    const at = 1 + Math.floor(rng() * Math.max(1, s.length - 1));
    out.rows[i]![j] = s.slice(0, at) + '\u200b' + s.slice(at);
  }
  return result(out, rows, { column: o.column });
}

/** words of a string value (0 for others) */
export const wordCount = (v: Value): number => (typeof v === 'string' ? v.split(/\s+/).filter(Boolean).length : 0);

const FILLERS = ['the', 'new', 'official', 'special', 'extended', 'original', 'complete', 'final', 'real', 'true'];

/**
 * Near-duplicate injection: `sources` texts of the batch with at least `minWords` words (one word in a
 * shorter text is not a near-duplicate at Jaccard 0.8), copied whole until the copies make up `rate` of
 * the batch, each copy with one word inserted at a random place (no two copies alike, none an exact
 * duplicate of anything) and, if named, a fresh id.
 */
export function nearDuplicates(t: Table, rng: Rng, o: { column: string; rate: number; sources?: number; minWords?: number; id?: string }): Injected {
  const out = copyTable(t);
  const j = col(t, o.column);
  const ji = o.id ? col(t, o.id) : -1;
  const pool = t.rows.map((r, i) => (wordCount(r[j]!) >= (o.minWords ?? 7) ? i : -1)).filter((i) => i >= 0);
  const src = sample(rng, pool.length, o.sources ?? 5).map((p) => pool[p]!);
  if (src.length === 0) return result(out, [], { column: o.column });
  let next = ji >= 0 ? Math.max(0, ...values(t, o.id!).map((v) => (typeof v === 'number' ? v : 0))) + 1 : 0;
  const added: number[] = [];
  const made = new Set(t.rows.map((r) => r[j]));
  for (let k = 0; k < atLeastOne(t.rows.length, o.rate); k++) {
    const copy = [...t.rows[src[k % src.length]!]!];
    const round = Math.floor(k / src.length);
    const word = `${FILLERS[round % FILLERS.length]!}${round >= FILLERS.length ? String(Math.floor(round / FILLERS.length)) : ''}`;
    let text = String(copy[j]);
    for (let tries = 0; tries < 20 && made.has(text); tries++) {
      const words = String(copy[j]).split(' ');
      words.splice(Math.floor(rng() * (words.length + 1)), 0, word);
      text = words.join(' ');
    }
    made.add(text);
    copy[j] = text;
    if (ji >= 0) copy[ji] = next++;
    added.push(out.rows.push(copy) - 1);
  }
  return result(out, [], { added, column: o.column });
}
