import type { RandomAccessReader } from '../../artifact/types.js';

/**
 * A sliding window over a reader. The opcode loop works synchronously on `buf` and asks the window to
 * refill only when an opcode does not fit, so a multi-GB stream is scanned with one reused buffer.
 */
export class Window {
  buf: Uint8Array;
  /** absolute offset of buf[0] */
  start = 0;
  /** valid bytes in buf */
  len = 0;
  readonly size: number;

  constructor(
    private readonly reader: RandomAccessReader,
    initial = 1 << 20,
    private readonly maxCapacity = 256 << 20,
    /** bytes already read from offset 0 (the dispatcher's content probe), so they are not read twice */
    seed?: Uint8Array,
  ) {
    this.size = reader.size;
    if (seed && seed.length === reader.size) {
      // the probe holds the whole stream: window it in place (ensure() never writes into a whole-stream buffer)
      this.buf = seed;
      this.len = seed.length;
      return;
    }
    this.buf = new Uint8Array(Math.min(initial, Math.max(64, reader.size)));
    if (seed && seed.length <= this.buf.length) {
      this.buf.set(seed);
      this.len = seed.length;
    }
  }

  /** The reader may have latency (it takes prefetch plans: remote, or a view of one): reading a range twice costs a round trip. */
  get latency(): boolean {
    return typeof this.reader.prefetch === 'function';
  }

  get end(): number {
    return this.start + this.len;
  }

  /** True when the window reaches the end of the reader. */
  get atEof(): boolean {
    return this.end >= this.size;
  }

  /**
   * Make bytes [pos, pos+need) available (or as many as exist before EOF). Returns false if `need`
   * exceeds the maximum window capacity.
   */
  async ensure(pos: number, need: number): Promise<boolean> {
    if (pos >= this.start && pos + need <= this.end) return true;
    if (need > this.maxCapacity) return false;
    // the whole stream is in the buffer (a small file, seeded by the probe): there is nothing more to read
    if (this.start === 0 && this.len === this.size) return true;
    const want = Math.max(need, this.buf.length);
    if (want > this.buf.length) {
      const cap = Math.min(this.maxCapacity, Math.max(want, this.buf.length * 2));
      const nb = new Uint8Array(cap);
      this.buf = nb;
      this.len = 0;
      this.start = pos;
    }
    // keep the overlap if pos is inside the current window
    if (pos >= this.start && pos < this.end) {
      const keep = this.end - pos;
      this.buf.copyWithin(0, pos - this.start, this.len);
      this.start = pos;
      this.len = keep;
    } else {
      this.start = pos;
      this.len = 0;
    }
    const room = this.buf.length - this.len;
    const toRead = Math.min(room, Math.max(0, this.size - this.end));
    if (toRead > 0) {
      const n = await this.reader.readInto(this.buf, this.len, toRead, this.end);
      this.len += n;
    }
    return true;
  }

  /** Read an arbitrary slice (for lazily materialised payloads). */
  async slice(offset: number, length: number): Promise<Uint8Array> {
    if (offset >= this.start && offset + length <= this.end) {
      return this.buf.slice(offset - this.start, offset - this.start + length);
    }
    return this.reader.read(offset, length);
  }
}
