/**
 * File contents for the test servers without holding them in memory: a buffer, a (sparse) file on
 * disk, or bytes computed per range. A 2 GiB checkpoint is a sparse file or a generator, never 2 GiB of RAM.
 */
import { fstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';

export interface Blob {
  size: number;
  read(offset: number, length: number): Uint8Array;
}

export function bufferBlob(b: Uint8Array): Blob {
  return { size: b.length, read: (o, l) => b.subarray(o, Math.min(b.length, o + l)) };
}

export function fileBlob(path: string): Blob {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(o, l) {
      const n = Math.max(0, Math.min(l, size - o));
      const buf = Buffer.alloc(n);
      let done = 0;
      while (done < n) {
        const r = readSync(fd, buf, done, n - done, o + done);
        if (r === 0) break;
        done += r;
      }
      return buf.subarray(0, done);
    },
  };
}


/** sha256 of a blob, streamed in 8 MiB chunks (sparse regions hash quickly enough). */
export function sha256Of(b: Blob): string {
  const h = createHash('sha256');
  for (let o = 0; o < b.size; o += 8 << 20) h.update(b.read(o, 8 << 20));
  return h.digest('hex');
}

/** git blob id: sha1 of `blob <size>\0` + content, as the Hub reports for non-LFS files. */
export function gitBlobOf(b: Blob): string {
  const h = createHash('sha1');
  h.update(`blob ${b.size}\0`);
  for (let o = 0; o < b.size; o += 8 << 20) h.update(b.read(o, 8 << 20));
  return h.digest('hex');
}
