import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MlvetError } from '../errors.js';
import type { RandomAccessReader } from './types.js';

/**
 * Local file reader. Uses synchronous positional reads: measured here, `readSync` into a reused
 * buffer reaches page-cache speed while `createReadStream` loses 30–60 % to per-chunk allocation
 * (bench/ measures reads against `cat`).
 */
export class FileReader implements RandomAccessReader {
  readonly size: number;
  bytesRead = 0;
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
    this.size = fstatSync(fd).size;
  }

  static open(path: string): FileReader {
    try {
      return new FileReader(path, openSync(path, 'r'));
    } catch (e) {
      throw new MlvetError('IO_ERROR', `cannot open ${path}: ${(e as Error).message}`, { path }, { cause: e });
    }
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const n = Math.max(0, Math.min(length, this.size - offset));
    // not zero-filled: every byte handed out is one the read wrote (a short read is cut to what it got).
    // A plain Uint8Array over its own ArrayBuffer, as before (Buffer's slice() would alias, not copy);
    // on 2,000 small files the zeroed allocation was ~6 µs a file before any code was optimised (issue 16)
    const buf = new Uint8Array(Buffer.allocUnsafeSlow(n).buffer, 0, n);
    const got = this.readSyncInto(buf, 0, n, offset);
    if (got === n) return Promise.resolve(buf);
    buf.fill(0, got); // the file shrank: nothing unwritten stays behind the view, even through .buffer
    return Promise.resolve(buf.subarray(0, got));
  }

  readInto(buf: Uint8Array, bufOffset: number, length: number, position: number): Promise<number> {
    return Promise.resolve(this.readSyncInto(buf, bufOffset, length, position));
  }

  /** Synchronous read for hot loops (hashing); same contract as readInto. */
  readSyncInto(buf: Uint8Array, bufOffset: number, length: number, position: number): number {
    if (this.fd === undefined) throw new MlvetError('IO_ERROR', `${this.path} is closed`, { path: this.path });
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = readSync(this.fd, buf, bufOffset + done, length - done, position + done);
      } catch (e) {
        throw new MlvetError('IO_ERROR', `read failed on ${this.path}: ${(e as Error).message}`, {
          path: this.path,
          offset: position + done,
        });
      }
      if (n === 0) break;
      done += n;
    }
    this.bytesRead += done;
    return done;
  }

  close(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    return Promise.resolve();
  }
}

/**
 * A small local file read whole, with nothing left open: open, one positional read of `expected + 1`
 * bytes, close. `expected` is the size the directory walk saw, so there is no fstat: a read that
 * returns exactly `expected` bytes of the `expected + 1` asked for ended at the end of the file, and a
 * shorter one is followed to the end as FileReader does. `undefined` when the file has grown past
 * `expected` since the walk (the caller opens it and learns its size). On 2,000 small pickles the
 * fstat, the reader object kept until the artifact closed and its promise were per-file costs (issue 16).
 */
export function readSmallFile(path: string, expected: number): { bytes: Uint8Array | undefined; bytesRead: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new MlvetError('IO_ERROR', `cannot open ${path}: ${(e as Error).message}`, { path }, { cause: e });
  }
  const want = expected + 1;
  // not zero-filled, as FileReader.read: the bytes past what the read wrote are zeroed below
  const buf = new Uint8Array(Buffer.allocUnsafeSlow(want).buffer, 0, want);
  let done = 0;
  try {
    while (done < want) {
      let n: number;
      try {
        n = readSync(fd, buf, done, want - done, done);
      } catch (e) {
        throw new MlvetError('IO_ERROR', `read failed on ${path}: ${(e as Error).message}`, { path, offset: done });
      }
      if (n === 0) break;
      done += n;
      if (done === expected) break; // the size the walk saw, short of the byte past it: the end
    }
  } finally {
    closeSync(fd);
  }
  if (done > expected) return { bytes: undefined, bytesRead: done };
  buf.fill(0, done); // nothing unwritten stays behind the view, even through .buffer
  return { bytes: buf.subarray(0, done), bytesRead: done };
}
