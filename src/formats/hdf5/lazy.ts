/**
 * HDF5 files are opened with h5wasm (the HDF5 C library in WebAssembly), which reads from its own
 * in-memory file system with synchronous calls, while our readers are asynchronous. So we present the
 * file as a sparse in-memory file: chunks we have loaded are served, reads of chunks we have not
 * return zeros and are recorded as misses. The caller runs its (read-only) HDF5 work, loads the
 * misses and runs again, until a run completes without a miss: only that run's result is trusted.
 * Only the chunks HDF5 touches are ever read, so a 10 GB weights file costs its metadata.
 */
import type { RandomAccessReader } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';

export const CHUNK = 1 << 20;

export class SparseImage {
  readonly chunks = new Map<number, Uint8Array>();
  readonly misses = new Set<number>();
  loadedBytes = 0;

  constructor(
    readonly reader: RandomAccessReader,
    /** most bytes ever loaded (what h5wasm gets to see) */
    readonly maxLoaded: number,
  ) {}

  get size(): number {
    return this.reader.size;
  }

  /** MEMFS calls `contents.subarray(start, end)` for reads longer than 8 bytes, indexing otherwise. */
  subarray(start: number, end: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, end - start));
    for (let c = Math.floor(start / CHUNK); c * CHUNK < end; c++) {
      const data = this.chunks.get(c);
      if (!data) {
        this.misses.add(c);
        continue;
      }
      const from = Math.max(start, c * CHUNK);
      const to = Math.min(end, c * CHUNK + data.length);
      if (to > from) out.set(data.subarray(from - c * CHUNK, to - c * CHUNK), from - start);
    }
    return out;
  }

  byteAt(i: number): number {
    return this.subarray(i, i + 1)[0] ?? 0;
  }

  /** Load the recorded misses (and clear them). Throws LIMIT_EXCEEDED past maxLoaded. */
  async loadMisses(): Promise<void> {
    const want = [...this.misses].sort((a, b) => a - b);
    this.misses.clear();
    for (const c of want) await this.load(c);
  }

  async load(c: number): Promise<void> {
    if (this.chunks.has(c) || c * CHUNK >= this.size) return;
    const len = Math.min(CHUNK, this.size - c * CHUNK);
    if (this.loadedBytes + len > this.maxLoaded) {
      throw new MlvetError('LIMIT_EXCEEDED', `HDF5 metadata needs more than ${this.maxLoaded} bytes of the file`, { offset: c * CHUNK });
    }
    this.chunks.set(c, await this.reader.read(c * CHUNK, len));
    this.loadedBytes += len;
  }

  /** The object MEMFS sees as the file's contents. */
  contents(): object {
    return new Proxy(this, {
      get: (t, p) => {
        if (p === 'subarray') return (s: number, e: number) => t.subarray(s, e);
        if (typeof p === 'string' && /^\d+$/.test(p)) return t.byteAt(Number(p));
        return undefined;
      },
    });
  }
}
