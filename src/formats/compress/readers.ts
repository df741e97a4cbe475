/**
 * Readers that containers hand to the dispatcher: a window onto a stored member of a larger file, and
 * a sink that collects decompressed bytes in memory up to a threshold and spills the rest to a private
 * temporary file, so a multi-GB member never sits in memory.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferReader } from '../../artifact/buffer-reader.js';
import { FileReader } from '../../artifact/file-reader.js';
import type { RandomAccessReader } from '../../artifact/types.js';
import { TempFileReader } from '../../artifact/temp-file-reader.js';

/** Bytes [start, start+size) of another reader. Reads past the slice end return fewer bytes. */
export class SliceReader implements RandomAccessReader {
  bytesRead = 0;
  constructor(
    private readonly inner: RandomAccessReader,
    private readonly start: number,
    readonly size: number,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    const o = Math.min(Math.max(0, offset), this.size);
    const n = Math.max(0, Math.min(length, this.size - o));
    const b = await this.inner.read(this.start + o, n);
    this.bytesRead += b.length;
    return b;
  }

  async readInto(buf: Uint8Array, bufOffset: number, length: number, position: number): Promise<number> {
    const o = Math.min(Math.max(0, position), this.size);
    const n = Math.max(0, Math.min(length, this.size - o));
    const got = await this.inner.readInto(buf, bufOffset, n, this.start + o);
    this.bytesRead += got;
    return got;
  }

  /** a nested container's read plan, moved to the outer reader's offsets */
  prefetch(ranges: ReadonlyArray<{ offset: number; length: number }>): Promise<void> {
    const moved = ranges.map((r) => ({ offset: this.start + r.offset, length: Math.max(0, Math.min(r.length, this.size - r.offset)) }));
    return this.inner.prefetch ? this.inner.prefetch(moved) : Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve(); // the outer reader owns the file
  }
}


/** Collects output chunks; memory first, then a temp file past `spillAt` bytes. */
export class ByteSink {
  private chunks: Uint8Array[] = [];
  private fd: number | undefined;
  private dir: string | undefined;
  size = 0;

  constructor(private readonly spillAt = 64 * 1024 * 1024) {}

  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.size += chunk.length;
    if (this.fd === undefined && this.size <= this.spillAt) {
      this.chunks.push(chunk.slice());
      return;
    }
    if (this.fd === undefined) {
      this.dir = mkdtempSync(join(tmpdir(), 'mlvet-'));
      this.fd = openSync(join(this.dir, 'member'), 'w+', 0o600);
      for (const c of this.chunks) writeSync(this.fd, c);
      this.chunks = [];
    }
    writeSync(this.fd, chunk);
  }

  /** The collected bytes as a reader. The sink must not be written after this. */
  finish(): RandomAccessReader {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
      return new TempFileReader(FileReader.open(join(this.dir!, 'member')), this.dir!);
    }
    return new BufferReader(concat(this.chunks, this.size));
  }

  /** Drop everything (on error). */
  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.fd = undefined;
    this.chunks = [];
  }
}

export function concat(chunks: Uint8Array[], total = chunks.reduce((n, c) => n + c.length, 0)): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
