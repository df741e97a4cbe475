/**
 * KLL quantile sketch (Karnin, Lang, Liberty 2016), mergeable, with a seeded coin so runs repeat.
 * k = 200 gives about 1.3% rank error (Apache DataSketches' figure); memory is O(k log n) doubles.
 */
export interface KllState {
  k: number;
  n: number;
  min: number;
  max: number;
  levels: number[][];
}

export class Kll {
  private levels: number[][] = [[]];
  n = 0;
  min = Infinity;
  max = -Infinity;
  private seed: number;

  constructor(
    readonly k = 200,
    seed = 0x9e3779b9,
  ) {
    this.seed = seed >>> 0;
  }

  private coin(): number {
    // xorshift32: deterministic compaction offsets
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed & 1;
  }

  /** items held and the total capacity: compaction is lazy (DataSketches style), one level at a time */
  private size = 0;
  private maxSize = 0;

  private capacity(h: number): number {
    const depth = this.levels.length - h - 1;
    return Math.max(8, Math.ceil(this.k * Math.pow(2 / 3, depth)));
  }

  private resize(): void {
    let m = 0;
    for (let h = 0; h < this.levels.length; h++) m += this.capacity(h);
    this.maxSize = m;
  }

  add(x: number): void {
    if (Number.isNaN(x)) return;
    this.n++;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.levels[0]!.push(x);
    if (++this.size >= (this.maxSize ||= this.capacity(0))) this.compress();
  }

  private compress(): void {
    while (this.size >= this.maxSize) {
      let h = 0;
      while (h < this.levels.length && this.levels[h]!.length < this.capacity(h)) h++;
      if (h === this.levels.length) h = this.levels.length - 1;
      if (h + 1 >= this.levels.length) {
        this.levels.push([]);
        this.resize();
      }
      // typed-array sort is numeric and several times faster than Array#sort with a comparator
      const sorted = Float64Array.from(this.levels[h]!).sort();
      const up = this.levels[h + 1]!;
      // an odd item out stays at this level, so total weight is conserved
      const start = sorted.length % 2;
      const keep: number[] = start ? [sorted[0]!] : [];
      for (let i = start + this.coin(); i < sorted.length; i += 2) up.push(sorted[i]!);
      this.size -= (sorted.length - start) / 2;
      this.levels[h] = keep;
    }
  }

  merge(o: Kll | KllState): void {
    const lv = o instanceof Kll ? o.levels : o.levels;
    while (this.levels.length < lv.length) this.levels.push([]);
    lv.forEach((items, h) => {
      const to = this.levels[h]!;
      for (const x of items) to.push(x);
    });
    this.n += o.n;
    this.min = Math.min(this.min, o.min);
    this.max = Math.max(this.max, o.max);
    this.size = this.levels.reduce((a, l) => a + l.length, 0);
    this.resize();
    this.compress();
  }

  private cache: { xs: Float64Array; cw: Float64Array; n: number } | null = null;

  /** sorted items with their cumulative weights (2^level); cached until the next add */
  private weighted(): { xs: Float64Array; cw: Float64Array } {
    if (this.cache && this.cache.n === this.n) return this.cache;
    this.cache = { ...this.sortedItems(), n: this.n };
    return this.cache;
  }

  private sortedItems(): { xs: Float64Array; cw: Float64Array } {
    const items: Array<[number, number]> = [];
    this.levels.forEach((lev, h) => {
      for (const x of lev) items.push([x, 2 ** h]);
    });
    items.sort((a, b) => a[0] - b[0]);
    const xs = new Float64Array(items.length);
    const cw = new Float64Array(items.length);
    let acc = 0;
    items.forEach(([x, w], i) => {
      xs[i] = x;
      acc += w;
      cw[i] = acc;
    });
    return { xs, cw };
  }

  /** value at rank q in [0,1] */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const { xs, cw } = this.weighted();
    const total = cw[cw.length - 1]!;
    const target = q * total;
    let lo = 0;
    let hi = cw.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cw[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return xs[lo]!;
  }

  quantiles(qs: readonly number[]): number[] {
    return qs.map((q) => this.quantile(q));
  }

  /** fraction of values ≤ x */
  cdf(x: number): number {
    if (this.n === 0) return NaN;
    const { xs, cw } = this.weighted();
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : cw[lo - 1]! / cw[cw.length - 1]!;
  }

  toJSON(): KllState {
    return { k: this.k, n: this.n, min: this.min, max: this.max, levels: this.levels.map((l) => [...l]) };
  }

  /** exact weighted items: each (value, count) pair sits once at every level of a set bit of its count */
  static fromWeighted(pairs: ReadonlyArray<readonly [number, number]>, k = 200): Kll {
    const s = new Kll(k);
    for (const [x, c] of pairs) {
      if (Number.isNaN(x) || c <= 0) continue;
      s.n += c;
      if (x < s.min) s.min = x;
      if (x > s.max) s.max = x;
      for (let h = 0, w = c; w > 0; h++, w = Math.floor(w / 2)) {
        if (w % 2 === 1) {
          while (s.levels.length <= h) s.levels.push([]);
          s.levels[h]!.push(x);
        }
      }
    }
    s.size = s.levels.reduce((a, l) => a + l.length, 0);
    s.resize();
    return s;
  }

  /** `points` (an exact quantile grid of n values) at `level`; the remainder n − m·2^level at the median */
  static fromLevels(n: number, min: number, max: number, level: number, points: number[], k = 200): Kll {
    const s = new Kll(k);
    s.levels = Array.from({ length: level + 1 }, () => []);
    s.levels[level] = [...points];
    const mid = points[Math.floor(points.length / 2)] ?? min;
    let rest = n - points.length * 2 ** level;
    for (let h = 0; rest > 0; h++, rest = Math.floor(rest / 2)) if (rest % 2 === 1) s.levels[h]!.push(mid);
    s.n = n;
    s.min = min;
    s.max = max;
    s.size = s.levels.reduce((a, l) => a + l.length, 0);
    s.resize();
    return s;
  }

  /** the state to store: compacted to the sketch's capacity (exact weighted items can be many) */
  compactState(): KllState {
    if (this.size <= 4 * this.k) return this.toJSON();
    const c = new Kll(this.k);
    c.merge(this.toJSON());
    return c.toJSON();
  }

  static from(s: KllState): Kll {
    const k = new Kll(s.k);
    k.levels = s.levels.map((l) => [...l]);
    k.size = k.levels.reduce((a, l) => a + l.length, 0);
    k.resize();
    k.n = s.n;
    k.min = s.min ?? Infinity;
    k.max = s.max ?? -Infinity;
    return k;
  }
}
