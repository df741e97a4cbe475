/**
 * The dataset statistics on DuckDB (issue 13): fills the same per-column profiles the checks read
 * (profile/column.ts) from a few aggregate queries per column instead of a row-at-a-time loop.
 *
 * Per column, one GROUP BY (value[, label]) into a small table of distinct values with their counts;
 * everything countable is summed from it (moments, class counts, fixed-edge histogram and label table,
 * range-out / beyond / outlier counts, unseen values, top values, distinct counts). Sketches are filled by
 * weight: KLL from (value, count) pairs by the binary digits of the count, or from an exact quantile grid
 * for near-unique columns; HyperLogLog registers (or the exact set) from DuckDB's hash of each value.
 * Text (tokens, invisible characters, near-duplicates) is judged once per distinct string in JS, weighted by its count.
 * Row-order facts (monotone ids) use `lag()` over the row number; examples are the first rows by row number.
 */
import { DatasetCollector } from '../profile/collect.js';
import { ColumnProfile, binOf, type Bounds, type Example, type Kind } from '../profile/column.js';
import { hasInvisible, looksLikeText, tokens } from '../profile/text.js';
import { hashLikeShare } from '../rows/ids.js';
import { DistinctCounter } from '../sketch/hll.js';
import { NearDupSketch } from '../sketch/near-dup.js';
import { Kll } from '../sketch/kll.js';
import type { Dtype } from '../types.js';
import { DtypeTracker } from '../gx/values.js';
import { lit, type Engine, type Queries } from './duckdb.js';
import { keyExpr, numKey, type ColumnModel, type EngineTable } from './table.js';

/** rows of the readers' first batch: kinds are decided there, as the streaming profile did */
const FIRST_BATCH = 8192;
/** distinct values fetched into JS as (value, count) pairs; more go through SQL */
const PAIRS_LIMIT = 4096;
/** distinct strings tokenised in JS per column */
const TEXT_LIMIT = 2_000_000;

export interface EngineCollectOptions {
  label?: string;
  kinds?: Record<string, Kind>;
  bounds?: Record<string, Bounds>;
  /** columns whose tokens a check or the baseline needs (default: every text / other column) */
  tokens?: (name: string, kind: Kind) => boolean;
  /** profiles of an earlier collect to keep as they are (no query) when this returns true */
  reuse?: (name: string, kind: Kind | null) => ColumnProfile | undefined;
}

interface ClassCounts {
  nulls: number;
  ints: number;
  floats: number;
  bools: number;
  strs: number;
  dates: number;
  others: number;
}

/** the dtype the JS DtypeTracker gives these counts (gx/values.ts) */
export function dtypeOf(declared: Dtype | undefined, c: ClassCounts): Dtype {
  const t = new DtypeTracker();
  Object.assign(t, c, declared ? { declared } : {});
  return t.dtype;
}

const N = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
/** a number as a SQL DOUBLE, exactly (a bare 0.1 would be a DECIMAL literal) */
const D = (v: number): string => `'${String(v)}'::DOUBLE`;
const X = (c: ColumnModel): string => (c.store === 'number' ? `(${c.num})` : `(CASE WHEN (${c.cls}) IN (1, 2) THEN ${c.num} END)`);
/** the row holds a number (a native number column: its value is not null) */
const IS_NUM = (c: ColumnModel): string => (c.store === 'number' ? `(${c.num}) IS NOT NULL` : `(${c.cls}) IN (1, 2)`);

export class EngineStats {
  readonly dtypes = new Map<string, Dtype>();
  private seq = 0;
  private pool: Queries[] | null = null;

  constructor(
    readonly e: Engine,
    readonly table: EngineTable,
  ) {}

  private tmp(): string {
    return `g_${this.seq++}`;
  }

  /** the label's key per row (keyOf, '' for missing), as a SQL expression */
  labelKey(label: string | undefined): string | null {
    const c = label ? this.table.columns.find((m) => m.name === label) : undefined;
    return c ? `coalesce(CASE WHEN (${c.cls}) <> 0 THEN ${keyExpr(c)} END, '')` : null;
  }

  async collect(o: EngineCollectOptions): Promise<DatasetCollector> {
    const out = new DatasetCollector({ label: o.label, hashRows: false });
    const cols = this.table.columns;
    out.rows = this.table.rows;
    // one scan: classes over the whole table and over the first batch
    const parts = cols.flatMap((c, i) => [
      `count_if((${c.cls}) = 0) AS z${i}`, `count_if((${c.cls}) = 1) AS i${i}`, `count_if((${c.cls}) = 2) AS f${i}`,
      `count_if((${c.cls}) = 3) AS b${i}`, `count_if((${c.cls}) = 4) AS s${i}`, `count_if((${c.cls}) = 5) AS d${i}`, `count_if((${c.cls}) = 6) AS o${i}`,
      ...(o.kinds?.[c.name] ? [] : [`count_if(${this.table.row0} < ${FIRST_BATCH} AND (${c.cls}) IN (1, 2)) AS fn${i}`, `count_if(${this.table.row0} < ${FIRST_BATCH} AND (${c.cls}) IN (3, 4, 5, 6)) AS fx${i}`, `count_if(${this.table.row0} < ${FIRST_BATCH} AND (${c.cls}) = 3) AS fb${i}`, `count_if(${this.table.row0} < ${FIRST_BATCH} AND (${c.cls}) = 0) AS fz${i}`]),
    ]);
    const [agg] = cols.length ? await this.e.rows(`SELECT ${parts.join(', ')} FROM t`) : [{}];
    const a = agg as Record<string, unknown>;
    const lab = this.labelKey(o.label);
    if (lab) {
      for (const r of await this.e.rows(`SELECT ${lab} AS k, count(*) AS c FROM t GROUP BY 1 ORDER BY 1`)) out.labelCounts.set(String(r.k), N(r.c));
    }
    const work: Array<(q: Queries) => Promise<void>> = [];
    for (const [i, c] of cols.entries()) {
      const counts: ClassCounts = { nulls: N(a[`z${i}`]), ints: N(a[`i${i}`]), floats: N(a[`f${i}`]), bools: N(a[`b${i}`]), strs: N(a[`s${i}`]), dates: N(a[`d${i}`]), others: N(a[`o${i}`]) };
      const dtype = dtypeOf(c.declared, counts);
      this.dtypes.set(c.name, dtype);
      out.dtypes.set(c.name, dtype);
      const kept = o.reuse?.(c.name, o.kinds?.[c.name] ?? null);
      if (kept) {
        out.columns.set(c.name, kept);
        out.order.push(c.name);
        continue;
      }
      const p = new ColumnProfile(c.name, o.kinds?.[c.name] ?? null, o.bounds?.[c.name]);
      p.missing = counts.nulls;
      p.n = this.table.rows - counts.nulls;
      out.columns.set(c.name, p);
      out.order.push(c.name);
      const withLabel = lab && c.name !== o.label ? lab : null;
      work.push(async (q) => {
        if (p.kind === null) p.kind = await this.decideKind(q, c, { numbers: N(a[`fn${i}`]), others: N(a[`fx${i}`]), bools: N(a[`fb${i}`]), nulls: N(a[`fz${i}`]) }, p);
        if (p.kind === 'numeric') await this.numeric(q, c, p, withLabel, counts);
        else await this.categorical(q, c, p, withLabel, o);
      });
    }
    // columns side by side on a few connections: most queries are small, so their latency overlaps
    this.pool ??= [this.e, ...(await Promise.all([this.e.fork(), this.e.fork()]))];
    let next = 0;
    await Promise.all(this.pool.map(async (q) => {
      while (next < work.length) await work[next++]!(q);
    }));
    return out;
  }

  /** the first batch decides, as ColumnProfile.decideKind does */
  private async decideKind(q: Queries, c: ColumnModel, f: { numbers: number; others: number; bools: number; nulls: number }, p: ColumnProfile): Promise<Kind> {
    if (c.store === 'number') return 'numeric';
    if (f.numbers > 0 && f.others === 0) return 'numeric';
    const sample = (await q.rows(`SELECT left(${c.str}, 4096) AS s FROM t WHERE ${this.table.row0} < ${FIRST_BATCH} AND (${c.cls}) = 4 ORDER BY ${this.table.row0} LIMIT 1000`)).map((r) => String(r.s));
    // an id or digest is short: a megabyte string is not one, and is not handed to a regex
    p.hashLike = hashLikeShare(sample.map((x) => (x.length > 1024 ? '' : x)));
    if (sample.length) return looksLikeText(sample) ? 'text' : 'categorical';
    const firstDtype = dtypeOf(c.declared, { nulls: f.nulls, ints: f.numbers, floats: 0, bools: f.bools, strs: 0, dates: f.others - f.bools, others: 0 });
    return firstDtype === 'bool' ? 'categorical' : 'other';
  }

  private async numeric(q: Queries, c: ColumnModel, p: ColumnProfile, lab: string | null, counts: ClassCounts): Promise<void> {
    const x = X(c);
    const g = this.tmp();
    await q.run(`CREATE TEMP TABLE ${g} AS SELECT ${x} AS x${lab ? `, ${lab} AS l` : ''}, count(*) AS c FROM t WHERE ${IS_NUM(c)} GROUP BY ALL`);
    p.typeMiss = counts.bools + counts.strs + counts.dates + counts.others;
    const few = await q.rows(`SELECT x, hash(x) >> 11 AS hk${lab ? ', l' : ''}, c FROM ${g} LIMIT ${PAIRS_LIMIT + 1}`);
    const pairs = few.length <= PAIRS_LIMIT ? few.map((r) => ({ x: Number(r.x), hk: Number(r.hk), l: lab ? String(r.l) : '', c: N(r.c) })) : null;
    let distinct: number;
    let nx: number;
    if (pairs) {
      // few distinct values: everything from (value, label, count) in JS
      const byX = new Map<number, { c: number; hk: number }>();
      for (const e of pairs) {
        const v = byX.get(e.x);
        if (v) v.c += e.c;
        else byX.set(e.x, { c: e.c, hk: e.hk });
      }
      nx = 0;
      let sum = 0;
      let integral = true;
      for (const [v, { c: k }] of byX) {
        nx += k;
        sum += v * k;
        if (!Number.isInteger(v)) integral = false;
      }
      const mean = nx ? sum / nx : 0;
      let ss = 0;
      for (const [v, { c: k }] of byX) ss += k * (v - mean) * (v - mean);
      this.moments(p, nx, mean, ss, integral);
      distinct = byX.size;
      // sorted, so the stored sketches do not follow GROUP BY's (thread-dependent) row order
      p.kll = Kll.fromWeighted([...byX].sort((x, y) => x[0] - y[0]).map(([v, { c: k }]) => [v, k]));
      p.distinct = DistinctCounter.fromKeys([...byX.values()].map((v) => v.hk).sort((x, y) => x - y));
    } else {
      const [m] = await q.rows(`SELECT sum(c) AS n, sum(x * c) / sum(c) AS mean, min(x) AS lo, max(x) AS hi, bool_and(isfinite(x) AND x = trunc(x)) AS integral, count(DISTINCT x) AS d FROM ${g}`);
      nx = N(m!.n);
      const mean = Number(m!.mean);
      const [v] = await q.rows(`SELECT sum(c * (x - ${D(mean)}) * (x - ${D(mean)})) AS ss FROM ${g}`);
      this.moments(p, nx, mean, Number(v!.ss), m!.integral === true);
      distinct = N(m!.d);
      // many distinct values: an exact quantile grid for the sketch
      p.kll = await this.grid(q, g, nx, Number(m!.lo), Number(m!.hi));
      p.distinct = await this.distinct(q, `(SELECT DISTINCT x AS v FROM ${g})`, 'hash(v)', distinct);
    }
    if (p.n >= 20 && distinct >= 0.95 * p.n) {
      const [r] = await q.rows(`SELECT count_if(x > p) AS up, count_if(x < p) AS down FROM (SELECT x, lag(x) OVER (ORDER BY r0) AS p FROM (SELECT ${this.table.row0} AS r0, ${x} AS x FROM t WHERE ${IS_NUM(c)}))`);
      p.rises = N(r!.up);
      p.falls = N(r!.down);
    }
    await this.examples(q, p.nullExamples, `(${c.cls}) = 0`, 'NULL', 5, p.missing);
    if (p.typeMiss) {
      await this.examples(q, p.typeMissExamples, `(${c.cls}) IN (3, 4, 5, 6)`, `CASE WHEN (${c.cls}) = 3 THEN (CASE WHEN ${c.num} = 1 THEN 'true' ELSE 'false' END) WHEN (${c.cls}) = 5 THEN ${keyExpr(c)} ELSE left(${c.str}, 200) END`, 5, p.typeMiss, (v, r) => (N(r.k) === 3 ? v === 'true' : v), `, ${c.cls} AS k`);
    }
    const b = p.bounds;
    if (!b.edges && b.lo === undefined && b.median === undefined && b.min === undefined) return;
    const madOk = b.median !== undefined && b.mad !== undefined && b.mad > 0;
    const isOutlier = (v: number): boolean => madOk && Math.abs((0.6745 * (v - b.median!)) / b.mad!) > 3.5;
    const outlier = madOk ? `abs(0.6745 * (x - ${D(b.median!)}) / ${D(b.mad!)}) > 3.5` : null;
    if (pairs) {
      for (const e of pairs) {
        if (b.lo !== undefined && b.hi !== undefined && (e.x < b.lo || e.x > b.hi)) p.rangeOut += e.c;
        if (b.min !== undefined && b.max !== undefined && (e.x < b.min || e.x > b.max)) p.beyond += e.c;
        if (isOutlier(e.x)) p.outliers += e.c;
      }
    } else {
      const conds = ['0 AS z'];
      if (b.lo !== undefined && b.hi !== undefined) conds.push(`sum(c) FILTER (x < ${D(b.lo)} OR x > ${D(b.hi)}) AS range_out`);
      if (b.min !== undefined && b.max !== undefined) conds.push(`sum(c) FILTER (x < ${D(b.min)} OR x > ${D(b.max)}) AS beyond`);
      if (outlier) conds.push(`sum(c) FILTER (${outlier}) AS outliers`);
      const [r] = await q.rows(`SELECT ${conds.join(', ')} FROM ${g}`);
      p.rangeOut = N(r!.range_out);
      p.beyond = N(r!.beyond);
      p.outliers = N(r!.outliers);
    }
    if (outlier && p.outliers) await this.examples(q, p.outlierExamples, `${IS_NUM(c)} AND ${outlier.replace(/\bx\b/g, x)}`, x, 20, p.outliers, (v) => Number(v));
    if (b.edges && p.hist) {
      const edges = b.edges;
      // binOf in JS over the distinct values, or in SQL when they are many
      const rows = pairs ?? (await q.rows(`SELECT ${binSql(edges)} AS bin${lab ? ', l' : ''}, sum(c) AS c FROM ${g} GROUP BY ALL`));
      const last = edges.length - 1;
      for (const r of rows as Array<Record<string, unknown>>) {
        const bin = r.bin !== undefined ? N(r.bin) : binOf(edges, Number(r.x));
        const cnt = N(r.c);
        if (bin < 0) p.below += cnt;
        else if (bin >= p.hist.length) p.above += cnt;
        else p.hist[bin]! += cnt;
        if (lab) addCell(p, String(Math.max(-1, Math.min(last, bin))), String(r.l), cnt);
      }
    }
  }

  /** mean and m2 over the numbers (std = sqrt(m2 / (n − 1)) with n the column's non-null count) */
  private moments(p: ColumnProfile, nx: number, mean: number, ss: number, integral: boolean): void {
    if (nx <= 0) return;
    p.mean = mean;
    p.m2 = nx > 1 ? (ss / (nx - 1)) * (p.n - 1) : 0;
    p.integral = integral;
  }

  /**
   * KLL items from an exact quantile grid over the distinct values: m = ⌊n / 2^L⌋ items of weight 2^L, the
   * j-th the value at rank j·2^L + 2^(L−1) (cumulative counts over the sorted distinct values), the
   * remainder as lower-level items.
   */
  private async grid(q: Queries, g: string, n: number, lo: number, hi: number): Promise<Kll> {
    const level = Math.max(0, Math.floor(Math.log2(n / 2048)));
    const w = 2 ** level;
    const m = Math.floor(n / w);
    const h = Math.floor(w / 2);
    // grid ranks r_j = j·w + h + 1 (1-based), j < m; a value covering ranks (start, end] holds those with start < r_j ≤ end
    const below = (r: string): string => `least(${m}, greatest(0, floor((${r} - ${h} - 1 + ${w}) / ${w})))`;
    const rows = await q.rows(`SELECT x, ${below('cw')} - ${below('cw - c')} AS k FROM (SELECT x, c, sum(c) OVER (ORDER BY x ROWS UNBOUNDED PRECEDING) AS cw FROM (SELECT x, sum(c) AS c FROM ${g} GROUP BY x)) WHERE ${below('cw')} > ${below('cw - c')} ORDER BY x`);
    const points: number[] = [];
    for (const r of rows) for (let i = 0; i < N(r.k); i++) points.push(Number(r.x));
    return Kll.fromLevels(n, lo, hi, level, points);
  }

  /** exact hash set below the limit, HyperLogLog registers above: one query over the distinct values */
  private async distinct(q: Queries, from: string, hash: string, estimate: number): Promise<DistinctCounter> {
    if (estimate <= DistinctCounter.EXACT_LIMIT) {
      const keys = await q.rows(`SELECT DISTINCT (${hash} >> 11) AS k FROM ${from}`);
      return DistinctCounter.fromKeys(keys.map((r) => Number(r.k)).sort((x, y) => x - y));
    }
    const regs = await q.rows(`SELECT h >> 50 AS i, max(CASE WHEN ((h >> 18) & 4294967295) = 0 THEN 33 ELSE 32 - floor(log2((h >> 18) & 4294967295))::INTEGER END) AS r FROM (SELECT ${hash} AS h FROM ${from}) GROUP BY 1`);
    return DistinctCounter.fromRegisters(regs.map((r) => [N(r.i), N(r.r)]));
  }

  /**
   * The first k rows (by row number) where cond holds. DuckDB keeps insertion order for a query without
   * ORDER BY (preserve_insertion_order, on by default and never turned off here), so the inner LIMIT is
   * the first k rows and the scan stops there; ORDER BY row LIMIT k sorted every matching row of the
   * table first (outlier examples of flights-3m: 17-28 ms against 3-4 ms).
   */
  private async examples(q: Queries, into: Example[], cond: string, value: string, k: number, count: number, conv: (v: unknown, r: Record<string, unknown>) => unknown = (v) => v, extra = ''): Promise<void> {
    if (count <= 0) return;
    for (const r of await q.rows(`SELECT * FROM (SELECT ${this.table.row0} + 1 AS r, ${value} AS v${extra} FROM t WHERE ${cond} LIMIT ${k}) ORDER BY r`)) into.push({ row: N(r.r), value: conv(r.v ?? null, r) });
  }

  private async categorical(q: Queries, c: ColumnModel, p: ColumnProfile, lab: string | null, o: EngineCollectOptions): Promise<void> {
    const g = this.tmp();
    const key = keyExpr(c);
    // distinct values (native form) with their label counts; keys are printed on the grouped rows only
    await q.run(`CREATE TEMP TABLE ${g} AS SELECT ${c.value}${lab ? `, ${lab} AS l` : ''}, count(*) AS c FROM t WHERE (${c.cls}) <> 0 GROUP BY ALL`);
    await this.examples(q, p.nullExamples, `(${c.cls}) = 0`, 'NULL', 5, p.missing);
    const cols = `${key} AS k, ${c.cls} AS cls, (${c.hash}) >> 11 AS hk, ${c.str} AS s${lab ? ', l' : ''}, c`;
    // a text column is near-unique: no point fetching a first page of pairs
    const few = p.kind === 'text' ? [] : await q.rows(`SELECT ${cols} FROM ${g} LIMIT ${PAIRS_LIMIT + 1}`);
    const tok = (p.kind === 'text' || p.kind === 'other') && (o.tokens ? o.tokens(c.name, p.kind) : true);
    const known = p.bounds.known;
    const cats = p.bounds.categories;
    const contingency = lab !== null && p.kind === 'categorical';
    let strings: Array<Record<string, unknown>>;
    if (p.kind !== 'text' && few.length <= PAIRS_LIMIT) {
      const byKey = new Map<string, number>();
      const hks = new Set<number>();
      let strs = 0;
      for (const r of few) {
        const k = String(r.k);
        const cnt = N(r.c);
        byKey.set(k, (byKey.get(k) ?? 0) + cnt);
        hks.add(Number(r.hk));
        if (N(r.cls) === 4) strs += cnt;
        if (known && !known.has(k)) p.unseen += cnt;
        if (contingency) addCell(p, cats && !cats.includes(k) ? '__other__' : k, String(r.l), cnt);
      }
      p.distinct = DistinctCounter.fromKeys([...hks].sort((x, y) => x - y));
      const top = [...byKey].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
      p.top.fill(top.slice(0, p.top.k), top.length > p.top.k ? top[p.top.k]![1] : 0, p.n);
      if (tok) p.docs = strs;
      strings = few.filter((r) => N(r.cls) === 4);
      if (!(lab !== null && tok)) strings = mergeStrings(strings);
    } else {
      // a number, boolean or time has one key per value: keys are printed for the top values only
      const oneToOne = (c.store === 'number' || c.store === 'bool' || c.store === 'time') && !lab && !known;
      const kg = oneToOne ? g : this.tmp();
      if (!oneToOne) await q.run(`CREATE TEMP TABLE ${kg} AS SELECT ${cols} FROM ${g}`);
      const [d] = oneToOne ? [{ dh: (await q.rows(`SELECT count(*) AS n FROM ${g}`))[0]!.n, strs: 0 }] : await q.rows(`SELECT count(DISTINCT hk) AS dh, sum(c) FILTER (cls = 4) AS strs FROM ${kg}`);
      p.distinct = oneToOne ? await this.distinct(q, g, c.hash, N(d!.dh)) : await this.distinct(q, `(SELECT DISTINCT hk FROM ${kg})`, 'hk << 11', N(d!.dh));
      const byKey = `(SELECT k, sum(c) AS c FROM ${kg} GROUP BY k)`;
      if (oneToOne) {
        const top = await q.rows(`SELECT ${key} AS k, c FROM (SELECT * FROM ${g} ORDER BY c DESC, ${c.value} LIMIT ${p.top.k + 1})`);
        p.top.fill(top.slice(0, p.top.k).map((r) => [String(r.k), N(r.c)]), top.length > p.top.k ? N(top[p.top.k]!.c) : 0, p.n);
      } else if (p.kind !== 'text') {
        const top = await q.rows(`SELECT k, c FROM ${byKey} ORDER BY c DESC, k LIMIT ${p.top.k + 1}`);
        p.top.fill(top.slice(0, p.top.k).map((r) => [String(r.k), N(r.c)]), top.length > p.top.k ? N(top[p.top.k]!.c) : 0, p.n);
      }
      if (known && !oneToOne) {
        const [u] = await q.rows(`SELECT sum(c) AS u FROM ${byKey} WHERE ${known.size ? `k NOT IN (${[...known].map(lit).join(', ')})` : 'true'}`);
        p.unseen = N(u!.u);
      }
      if (contingency) {
        const bin = cats ? `CASE WHEN k IN (${cats.length ? cats.map(lit).join(', ') : "''"}) THEN k ELSE '__other__' END` : 'k';
        for (const r of await q.rows(`SELECT ${bin} AS b, l, sum(c) AS c FROM ${kg} GROUP BY ALL LIMIT 20000`)) addCell(p, String(r.b), String(r.l), N(r.c));
      }
      if (tok) p.docs = N(d!.strs);
      strings = N(d!.strs) > 0 ? await q.rows(`SELECT s${lab !== null && tok ? ', l' : ''}, sum(c) AS c FROM ${kg} WHERE cls = 4 GROUP BY ALL LIMIT ${TEXT_LIMIT}`) : [];
    }
    if (known && p.unseen) {
      const list = [...known].map(lit).join(', ');
      await this.examples(q, p.unseenExamples, `(${c.cls}) <> 0 AND ${known.size ? `(${key}) NOT IN (${list})` : 'true'}`, `left(${key}, 200)`, 5, p.unseen);
    }
    // strings: invisible characters, tokens and near-duplicates, judged once per distinct string
    const withLabel = lab !== null && tok;
    const nearDup = p.kind === 'text' || p.kind === 'other' ? (p.nearDup = new NearDupSketch()) : null;
    const invisible = new Set<string>();
    let count = 0;
    const seen = new Map<string, { inv: boolean; toks: string[] }>();
    // in string order: the token sketches prune the same way whatever order GROUP BY returned
    strings.sort((x, y) => (String(x.s) < String(y.s) ? -1 : String(x.s) > String(y.s) ? 1 : String(x.l) < String(y.l) ? -1 : 1));
    for (const r of strings) {
      const s = String(r.s);
      const cnt = N(r.c);
      nearDup?.add(s, cnt);
      let v = seen.get(s);
      if (!v) seen.set(s, (v = { inv: hasInvisible(s), toks: tok ? tokens(s) : [] }));
      if (v.inv) {
        invisible.add(s);
        count += cnt;
      }
      for (const t of v.toks) {
        p.tokenDf.add(t, cnt);
        if (withLabel) p.tokenLabel.add(`${t}\u0000${String(r.l)}`, cnt);
      }
    }
    p.invisible = count;
    if (count) {
      const list = [...invisible].slice(0, 5000).map(lit).join(', ');
      await this.examples(q, p.invisibleExamples, `(${c.cls}) = 4 AND ${c.str} IN (${list})`, c.str, 20, count, (v) => JSON.stringify(String(v)).slice(1, -1).slice(0, 200));
    }
  }
}

/** (string, label, count) rows → (string, count) */
function mergeStrings(rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(String(r.s), (m.get(String(r.s)) ?? 0) + N(r.c));
  return [...m].map(([s, c]) => ({ s, c }));
}

function addCell(p: ColumnProfile, bin: string, label: string, c: number): void {
  let row = p.contingency.get(bin);
  if (!row) {
    if (p.contingency.size > 10_000) return;
    p.contingency.set(bin, (row = new Map<string, number>()));
  }
  row.set(label, (row.get(label) ?? 0) + c);
}

/** binOf in SQL: -1 below the first edge, edges.length - 1 above the last, else the bin whose left edge ≤ x */
function binSql(edges: number[]): string {
  const last = edges.length - 1;
  const steps = [`WHEN x > ${D(edges[last]!)} THEN ${last}`];
  for (let i = last - 1; i >= 0; i--) steps.push(`WHEN x >= ${D(edges[i]!)} THEN ${i}`);
  return `CASE ${steps.join(' ')} ELSE -1 END`;
}

export { numKey };
