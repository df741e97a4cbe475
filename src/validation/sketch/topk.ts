/**
 * Misra–Gries heavy hitters (TFDV uses it for top values): counts are under-estimated by at most
 * n/k, and exact while the number of distinct keys stays ≤ k. Mergeable by adding and re-pruning.
 */
export class TopK<K = string> {
  readonly counts = new Map<K, number>();
  /** total decrement applied: the maximum under-count of any key */
  slack = 0;
  n = 0;

  constructor(readonly k = 1000) {}

  add(key: K, w = 1): void {
    this.n += w;
    const c = this.counts.get(key);
    if (c !== undefined) {
      this.counts.set(key, c + w);
      return;
    }
    this.counts.set(key, w);
    if (this.counts.size > this.k) this.prune();
  }

  private prune(): void {
    // decrement by the (k+1)-th largest count so about half the keys leave at once: amortised O(1)
    const sorted = [...this.counts.values()].sort((a, b) => b - a);
    const d = sorted[Math.floor(this.k / 2)] ?? 1;
    this.slack += d;
    for (const [key, c] of this.counts) {
      if (c <= d) this.counts.delete(key);
      else this.counts.set(key, c - d);
    }
  }

  /**
   * Exact counts from an engine: the top `pairs` (at most k), and the count of the first key left out
   * (0 when none was): every key not kept has at most that many, the sketch's slack.
   */
  fill(pairs: ReadonlyArray<readonly [K, number]>, leftOut: number, n: number): void {
    this.counts.clear();
    for (const [key, c] of pairs) this.counts.set(key, c);
    this.slack = leftOut;
    this.n = n;
  }

  get exact(): boolean {
    return this.slack === 0;
  }

  top(limit = this.k): Array<[K, number]> {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1] || (String(a[0]) < String(b[0]) ? -1 : 1)).slice(0, limit);
  }

  merge(o: TopK<K>): void {
    for (const [key, c] of o.counts) this.add(key, c);
    this.slack += o.slack;
    this.n += 0;
  }
}
