/**
 * A sparse member as the bytes tarfile extracts: stored segments at their offsets, zeros elsewhere.
 * Only the stored segments are ever read from the archive, so a member of 1 TiB of holes costs nothing
 * until a scanner asks for its bytes, and then only what it asks for.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import type { Segment, SparseMap } from './sparse.js';

export class SparseReader implements RandomAccessReader {
  bytesRead = 0;
  /** where each segment's bytes start in the archive */
  private readonly at: number[];

  constructor(
    private readonly inner: RandomAccessReader,
    private readonly map: SparseMap,
    /** the member's size as presented (realsize, possibly cut to a budget) */
    readonly size: number,
  ) {
    this.at = [];
    let p = map.storedOffset;
    for (const s of map.segments) {
      this.at.push(p);
      p += s.length;
    }
  }

  /** Index of the first segment that ends after `pos`. */
  private first(pos: number): number {
    const segs: readonly Segment[] = this.map.segments;
    let lo = 0;
    let hi = segs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = segs[mid]!;
      if (s.offset + s.length <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  async readInto(buf: Uint8Array, bufOffset: number, length: number, position: number): Promise<number> {
    const start = Math.min(Math.max(0, position), this.size);
    const n = Math.max(0, Math.min(length, this.size - start, buf.length - bufOffset));
    const end = start + n;
    buf.fill(0, bufOffset, bufOffset + n);
    for (let i = this.first(start); i < this.map.segments.length; i++) {
      const s = this.map.segments[i]!;
      if (s.offset >= end) break;
      const from = Math.max(start, s.offset);
      const to = Math.min(end, s.offset + s.length);
      const want = to - from;
      const got = await this.inner.readInto(buf, bufOffset + (from - start), want, this.at[i]! + (from - s.offset));
      this.bytesRead += got;
      if (got < want) return from - start + got; // the archive ends inside a stored segment
    }
    return n;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.min(Math.max(0, offset), this.size);
    const buf = new Uint8Array(Math.max(0, Math.min(length, this.size - start)));
    const got = await this.readInto(buf, 0, buf.length, start);
    return got === buf.length ? buf : buf.subarray(0, got);
  }

  close(): Promise<void> {
    return Promise.resolve(); // the archive's reader owns the file
  }
}
