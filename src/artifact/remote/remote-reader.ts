/**
 * The random-access reader every remote source shares. Parser reads are rounded out to blocks that are
 * cached in memory (per reader) and on disk (immutable objects only), so a parser's many small reads
 * cost a few requests. Sequential reads grow a read-ahead window; a random read resets it. A small
 * random read that no held block covers costs its own few KiB (an extent), not a whole block, and a
 * read plan (`prefetch`) fetches exact ranges concurrently, ahead of the parser. Requests go
 * through a process-wide limiter and are retried on transient failures; a body shorter than asked for
 * is a transient failure too, never a silent end of file.
 */
import type { RandomAccessReader } from '../types.js';
import { DiskCache } from './disk-cache.js';
import { Extents } from './extents.js';
import { sharedLimiter, type Limiter } from './limiter.js';
import type { RemoteOptions } from './options.js';
import { readRangeResponse, type RangeResponse } from './range-check.js';
import { withRetry } from './retry.js';

export interface RangeSource {
  /** the object's URI, named in errors (`hf://org/repo@<sha>/model.bin`) */
  readonly name: string;
  readonly size: number;
  /** identity of immutable content for the disk cache; absent = never cached on disk */
  readonly cacheKey?: string;
  /**
   * Ask for `[offset, offset + length)` and describe the answer; the reader checks it (range-check.ts),
   * so a source never decides that bytes are the right ones. Throws TransientError (or a network error)
   * to be retried, an MlvetError (AUTH, NOT_FOUND) to fail at once.
   */
  fetchRange(offset: number, length: number, signal: AbortSignal): Promise<RangeResponse>;
}

/** one request never asks for more than this, so a huge parser read does not hit one long timeout */
const MAX_REQUEST = 8 * 1024 * 1024;
/**
 * A random read no held block covers fetches at least this much from its offset instead of a block,
 * when blocks are at least four times larger (with small blocks, a block is already small).
 */
const EXTENT_MIN = 4096;

export class RemoteReader implements RandomAccessReader {
  readonly size: number;
  /** bytes fetched over the network */
  bytesRead = 0;
  /** bytes served from the on-disk cache */
  bytesFromCache = 0;
  requests = 0;
  private readonly mem = new Map<number, Uint8Array>();
  private readonly inflight = new Map<number, Promise<Uint8Array>>();
  private readonly extents: Extents;
  private readonly disk: DiskCache | undefined;
  private readonly limiter: Limiter;
  private lastEnd = -1;
  private readahead: number;

  constructor(
    private readonly source: RangeSource,
    private readonly opts: RemoteOptions,
  ) {
    this.size = source.size;
    this.readahead = opts.blockSize;
    this.extents = new Extents(opts.memoryBlocks * opts.blockSize);
    this.limiter = sharedLimiter(opts.concurrency);
    this.disk = source.cacheKey ? DiskCache.open(opts.cacheDir, opts.cacheMaxBytes) : undefined;
  }

  get name(): string {
    return this.source.name;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.min(Math.max(0, offset), this.size);
    const end = Math.min(this.size, start + Math.max(0, length));
    if (end <= start) return new Uint8Array(0);
    const held = this.extents.find(start, end);
    if (held) {
      this.lastEnd = end;
      return held;
    }
    if (this.smallRandom(start, end)) {
      this.readahead = this.opts.blockSize;
      this.lastEnd = end;
      const stop = Math.min(this.size, Math.max(end, start + EXTENT_MIN));
      return (await this.fetchExtent(start, stop)).subarray(0, end - start);
    }
    const B = this.opts.blockSize;
    const blocks = await this.blocks(start, end);
    const first = Math.floor(start / B);
    if (blocks.length === 1) return blocks[0]!.subarray(start - first * B, end - first * B);
    const out = new Uint8Array(end - start);
    let at = 0;
    blocks.forEach((b, i) => {
      const base = (first + i) * B;
      const s = Math.max(start, base) - base;
      const e = Math.min(end, base + b.length) - base;
      out.set(b.subarray(s, e), at);
      at += e - s;
    });
    return out;
  }

  async readInto(buf: Uint8Array, bufOffset: number, length: number, position: number): Promise<number> {
    const got = await this.read(position, length);
    buf.set(got, bufOffset);
    return got.length;
  }

  /**
   * Fetch the ranges of a read plan at once (each at most MAX_REQUEST), skipping what is held. A plan
   * larger than half the extent memory is cut there: what it held would be dropped before it is read,
   * so the ranges past the cut are left to the parser's own reads.
   */
  async prefetch(ranges: ReadonlyArray<{ offset: number; length: number }>): Promise<void> {
    const pending: Array<Promise<Uint8Array>> = [];
    let room = this.extents.maxBytes / 2;
    for (const r of ranges) {
      const stop = Math.min(this.size, r.offset + r.length);
      for (let at = Math.max(0, r.offset); at < stop; at += MAX_REQUEST) {
        const end = Math.min(stop, at + MAX_REQUEST);
        if ((room -= end - at) < 0) return void (await Promise.all(pending));
        pending.push(this.extents.find(at, end) ?? this.fetchExtent(at, end));
      }
    }
    await Promise.all(pending);
  }

  close(): Promise<void> {
    this.mem.clear();
    this.extents.clear();
    return Promise.resolve();
  }

  /** A random read no held block covers, small enough that a whole block would mostly be waste. */
  private smallRandom(start: number, end: number): boolean {
    const B = this.opts.blockSize;
    if (B < 4 * EXTENT_MIN || start === this.lastEnd || end - start > B) return false;
    for (let i = Math.floor(start / B); i <= Math.floor((end - 1) / B); i++) {
      if (!(this.mem.get(i) ?? this.inflight.get(i) ?? this.fromDisk(i))) return true;
    }
    return false;
  }

  private fetchExtent(start: number, end: number): Promise<Uint8Array> {
    const p = this.fetch(start, end - start);
    this.extents.add(start, end, p);
    return p;
  }

  /** One checked ranged request through the limiter, with retries. */
  private fetch(offset: number, length: number): Promise<Uint8Array> {
    return this.limiter.run(() =>
      withRetry(this.source.name, this.opts, async (signal) => {
        this.requests++;
        const res = await this.source.fetchRange(offset, length, signal);
        return readRangeResponse({ name: this.source.name, offset, length, size: this.size }, res, { signal, onBytes: (n) => (this.bytesRead += n) });
      }),
    );
  }

  private blockLen(i: number): number {
    return Math.min(this.opts.blockSize, this.size - i * this.opts.blockSize);
  }

  /** The blocks covering [start, end), fetching the missing ones (plus read-ahead) in contiguous runs. */
  private async blocks(start: number, end: number): Promise<Uint8Array[]> {
    const B = this.opts.blockSize;
    const b0 = Math.floor(start / B);
    const b1 = Math.floor((end - 1) / B);
    this.readahead = start === this.lastEnd ? Math.min(this.opts.maxReadahead, this.readahead * 2) : B;
    this.lastEnd = end;
    const last = Math.floor((this.size - 1) / B);
    const ahead = Math.min(last, Math.floor((Math.max(end, start + this.readahead) - 1) / B));
    const have = new Map<number, Uint8Array | Promise<Uint8Array>>();
    const missing: number[] = [];
    for (let i = b0; i <= b1; i++) {
      const got = this.mem.get(i) ?? this.inflight.get(i) ?? this.fromDisk(i);
      if (got) have.set(i, got);
      else missing.push(i);
    }
    // read-ahead only extends a run that reaches the last block asked for
    if (missing.length > 0 && missing[missing.length - 1] === b1) {
      for (let i = b1 + 1; i <= ahead && !this.mem.has(i) && !this.inflight.has(i); i++) missing.push(i);
    }
    for (const run of runs(missing, Math.max(1, Math.floor(MAX_REQUEST / B)))) this.fetchRun(run[0]!, run[run.length - 1]!);
    for (const i of missing) if (i <= b1) have.set(i, this.inflight.get(i)!);
    const out: Uint8Array[] = [];
    for (let i = b0; i <= b1; i++) out.push(await have.get(i)!);
    return out;
  }

  private fetchRun(first: number, lastBlock: number): void {
    const B = this.opts.blockSize;
    const offset = first * B;
    const length = Math.min(this.size, (lastBlock + 1) * B) - offset;
    const whole = this.fetch(offset, length);
    for (let i = first; i <= lastBlock; i++) {
      const p = whole.then((data) => {
        const b = data.subarray((i - first) * B, (i - first) * B + this.blockLen(i));
        this.remember(i, b);
        this.disk?.put(this.source.cacheKey!, i, b);
        return b;
      });
      p.catch(() => undefined).finally(() => this.inflight.delete(i));
      this.inflight.set(i, p);
    }
  }

  private fromDisk(i: number): Uint8Array | undefined {
    const d = this.disk?.get(this.source.cacheKey!, i, this.blockLen(i));
    if (d) {
      this.bytesFromCache += d.length;
      this.remember(i, d);
    }
    return d;
  }

  private remember(i: number, b: Uint8Array): void {
    this.mem.set(i, b);
    if (this.mem.size > this.opts.memoryBlocks) this.mem.delete(this.mem.keys().next().value!);
  }

}

/** Split sorted block indexes into contiguous runs of at most `max` blocks. */
export function runs(sorted: number[], max: number): number[][] {
  const out: number[][] = [];
  for (const i of sorted) {
    const cur = out[out.length - 1];
    if (cur && cur[cur.length - 1] === i - 1 && cur.length < max) cur.push(i);
    else out.push([i]);
  }
  return out;
}
