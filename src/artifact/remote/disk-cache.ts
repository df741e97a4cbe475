/**
 * The on-disk block cache (`~/.cache/mlvet`, or `MLVET_CACHE_DIR`). Only immutable objects are cached:
 * a Hub file at a commit, an S3 object at a version or ETag. Blocks are written atomically (temp file +
 * rename) so two processes can share the directory, and the oldest blocks are evicted once the total
 * passes the size limit.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const caches = new Map<string, DiskCache>();

export class DiskCache {
  private total: number | undefined;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** One instance per directory per process, so the running total stays consistent. */
  static open(dir: string, maxBytes: number): DiskCache | undefined {
    if (!dir || maxBytes <= 0) return undefined;
    let c = caches.get(dir);
    if (!c) caches.set(dir, (c = new DiskCache(dir, maxBytes)));
    return c;
  }

  private blockPath(key: string, index: number): string {
    const h = createHash('sha256').update(key).digest('hex');
    return join(this.dir, 'blocks', h.slice(0, 2), h, String(index));
  }

  get(key: string, index: number, expectLen: number): Uint8Array | undefined {
    const p = this.blockPath(key, index);
    try {
      const buf = readFileSync(p);
      if (buf.length !== expectLen) return undefined; // torn or foreign file: refetch
      const now = new Date();
      utimesSync(p, now, now);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    } catch {
      return undefined;
    }
  }

  put(key: string, index: number, data: Uint8Array): void {
    if (data.length > this.maxBytes) return;
    const p = this.blockPath(key, index);
    try {
      mkdirSync(join(p, '..'), { recursive: true });
      const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, p);
      this.total = (this.total ?? this.measure()) + data.length;
      if (this.total > this.maxBytes) this.evict();
    } catch {
      // a cache that cannot be written is only slower, never wrong
    }
  }

  private files(): Array<{ path: string; size: number; mtime: number }> {
    const out: Array<{ path: string; size: number; mtime: number }> = [];
    const walk = (d: string): void => {
      let names: string[];
      try {
        names = readdirSync(d);
      } catch {
        return;
      }
      for (const n of names) {
        const p = join(d, n);
        try {
          const st = statSync(p);
          if (st.isDirectory()) walk(p);
          else out.push({ path: p, size: st.size, mtime: st.mtimeMs });
        } catch {
          // raced with another process's eviction
        }
      }
    };
    walk(join(this.dir, 'blocks'));
    return out;
  }

  private measure(): number {
    return this.files().reduce((n, f) => n + f.size, 0);
  }

  /** Drop the least recently used blocks until the cache is under 90 % of its limit. */
  private evict(): void {
    const files = this.files().sort((a, b) => a.mtime - b.mtime);
    let total = files.reduce((n, f) => n + f.size, 0);
    for (const f of files) {
      if (total <= this.maxBytes * 0.9) break;
      try {
        unlinkSync(f.path);
        total -= f.size;
      } catch {
        // already gone
      }
    }
    this.total = total;
  }

  /** Bytes currently held (walks the directory). */
  size(): number {
    return (this.total = this.measure());
  }
}
