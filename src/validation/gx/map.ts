/**
 * The counting half of a GX map expectation, streamed: element/missing/unexpected counts, the first
 * N unexpected values and row indices, and value counts, then GX's `_format_map_output`.
 */
import { TopK } from '../sketch/topk.js';
import type { ResultFormat } from './result-format.js';
import { pyKey } from './values.js';

export interface MapOutcome {
  success: boolean;
  result: Record<string, unknown>;
  meta?: Record<string, unknown>;
}

export class MapCounter {
  elements = 0;
  /** rows excluded before judging (nulls, or ignore_row_if) */
  missing = 0;
  unexpected = 0;
  readonly values: unknown[] = [];
  readonly indices: unknown[] = [];
  private counts = new TopK<unknown>(1000);
  private reprs = new Map<unknown, unknown>();
  truncated = false;

  constructor(readonly rf: ResultFormat) {}

  get keep(): number {
    return this.rf.level === 'COMPLETE' ? this.rf.maxUnexpected : this.rf.partialCount;
  }

  /** record one unexpected row; `index` is the row number or the index-column dict */
  miss(value: unknown, index: () => unknown): void {
    this.unexpected++;
    if (this.values.length < this.keep) {
      this.values.push(value);
      this.indices.push(index());
    } else this.truncated = true;
    const k = pyKey(value);
    if (!this.reprs.has(k) && this.reprs.size < 10_000) this.reprs.set(k, value);
    this.counts.add(k);
  }

  format(mostly: number, skipMissing: boolean): MapOutcome {
    const { elements, missing, unexpected, rf } = this;
    const nonnull = skipMissing ? elements : elements - missing;
    const success = nonnull === 0 ? true : (nonnull - unexpected) / nonnull >= mostly - 1e-12;
    if (rf.level === 'BOOLEAN_ONLY') return { success, result: {} };
    const pctNonmissing = nonnull > 0 ? (unexpected / nonnull) * 100 : null;
    const pctTotal = elements > 0 ? (unexpected / elements) * 100 : null;
    const result: Record<string, unknown> = {
      element_count: elements,
      unexpected_count: unexpected,
      unexpected_percent: skipMissing ? pctTotal : pctNonmissing,
      partial_unexpected_list: rf.excludeValues ? [] : this.values.slice(0, rf.partialCount),
    };
    if (!skipMissing) {
      result.missing_count = missing;
      result.missing_percent = elements > 0 ? (missing / elements) * 100 : null;
      result.unexpected_percent_total = pctTotal;
      result.unexpected_percent_nonmissing = pctNonmissing;
    }
    if (rf.level === 'SUMMARY' || rf.level === 'COMPLETE') {
      result.partial_unexpected_counts = this.counts
        .top()
        .slice(0, rf.partialCount)
        .map(([k, count]) => ({ value: this.reprs.get(k) ?? k, count }));
      result.partial_unexpected_index_list = this.indices.slice(0, rf.partialCount);
    }
    if (rf.level === 'COMPLETE') {
      if (!rf.excludeValues) result.unexpected_list = this.values;
      result.unexpected_index_list = this.indices;
    }
    const meta = this.truncated ? { mlvet: { unexpected_list_truncated_at: this.keep } } : undefined;
    return { success, result, ...(meta ? { meta } : {}) };
  }
}
