import type { RandomAccessReader } from './types.js';

/** A reader over bytes already in memory: decompressed members, nested pickles, tests. */
export class BufferReader implements RandomAccessReader {
  readonly size: number;
  bytesRead = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.min(Math.max(0, offset), this.size);
    const end = Math.min(this.size, start + Math.max(0, length));
    this.bytesRead += end - start;
    return Promise.resolve(this.bytes.subarray(start, end));
  }

  readInto(buf: Uint8Array, bufOffset: number, length: number, position: number): Promise<number> {
    const start = Math.min(Math.max(0, position), this.size);
    const n = Math.min(length, this.size - start);
    buf.set(this.bytes.subarray(start, start + n), bufOffset);
    this.bytesRead += n;
    return Promise.resolve(n);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
