/**
 * GitHub code scanning's upload limits ("SARIF support for code scanning", docs.github.com): a file
 * over a hard limit is rejected whole, so mlvet stays under each one and says in the run what it
 * dropped. Results are dropped lowest severity first (suppressed ones before any live one), the
 * order GitHub itself keeps them in when it truncates its display.
 */
import { gzipSync } from 'node:zlib';

export const GITHUB_LIMITS = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  locationsPerResult: 1_000,
  /** the hard limit is 20; only 10 are shown, so mlvet keeps the 10 that matter */
  tagsPerRule: 10,
  ruleNameChars: 255,
  descriptionChars: 1_024,
  /** per gzip-compressed file */
  gzipBytes: 10 * 1024 * 1024,
} as const;

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface Ranked<T> {
  item: T;
  /** higher is kept first */
  rank: number;
}

/** The `max` highest-ranked items, in their original order. */
export function keepTop<T>(items: readonly Ranked<T>[], max: number): T[] {
  if (items.length <= max) return items.map((r) => r.item);
  const order = items.map((r, i) => ({ r, i })).sort((a, b) => b.r.rank - a.r.rank || a.i - b.i);
  const kept = new Set(order.slice(0, max).map((x) => x.i));
  return items.filter((_, i) => kept.has(i)).map((r) => r.item);
}

export function gzipSize(text: string): number {
  return gzipSync(text, { level: 6 }).length;
}

/**
 * The largest count n ≤ total for which `render(n)` gzips under the limit (binary search; render(0)
 * is assumed to fit). Returns the count and the rendered text.
 */
export function fitGzip(total: number, render: (n: number) => string, limit: number = GITHUB_LIMITS.gzipBytes): { n: number; text: string } {
  const full = render(total);
  // gzip shrinks a JSON report by far more than 2x: only a large document needs measuring
  if (full.length <= limit * 2 || gzipSize(full) <= limit) return { n: total, text: full };
  let lo = 0;
  let hi = total - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (gzipSize(render(mid)) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return { n: lo, text: render(lo) };
}
