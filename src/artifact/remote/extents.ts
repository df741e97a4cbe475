/**
 * Exact byte ranges held in memory beside the block cache: what a read plan prefetched, and small
 * random reads that would otherwise cost a whole block (a 30-byte local header, a few bytes of a
 * tensor). Memory only: the disk cache stays block-grained. Bounded by bytes, oldest dropped first.
 */

interface Extent {
  start: number;
  end: number;
  data: Promise<Uint8Array>;
}

export class Extents {
  /** sorted by start */
  private list: Extent[] = [];
  private order: Extent[] = [];
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** The bytes of `[start, end)` when one extent holds all of them (fetched or in flight). */
  find(start: number, end: number): Promise<Uint8Array> | undefined {
    // the last extent starting at or before `start`, then a few before it (extents may overlap)
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.start <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
      const x = this.list[i]!;
      if (x.end >= end) return x.data.then((d) => d.subarray(start - x.start, end - x.start));
    }
    return undefined;
  }

  /** Hold `[start, end)`; a fetch that fails is forgotten, so a later read retries it. */
  add(start: number, end: number, data: Promise<Uint8Array>): void {
    const x: Extent = { start, end, data };
    data.catch(() => this.remove(x));
    let i = this.list.length;
    while (i > 0 && this.list[i - 1]!.start > start) i--;
    this.list.splice(i, 0, x);
    this.order.push(x);
    this.bytes += end - start;
    while (this.bytes > this.maxBytes && this.order.length > 1) this.remove(this.order[0]!);
  }

  clear(): void {
    this.list = [];
    this.order = [];
    this.bytes = 0;
  }

  private remove(x: Extent): void {
    const i = this.list.indexOf(x);
    if (i < 0) return;
    this.list.splice(i, 1);
    this.order.splice(this.order.indexOf(x), 1);
    this.bytes -= x.end - x.start;
  }
}
