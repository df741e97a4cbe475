/**
 * Decompression bombs made at test time (nothing big is committed). zstd: hand-built frames of RLE
 * blocks (RFC 8878 §3.1.1.2: a 3-byte block header and one byte stand for 128 KiB), so 4 GiB of zeros
 * is a 128 KiB file. gzip: node:zlib over a stream of zero chunks.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const BLOCK = 128 * 1024;

function frameHeader(windowLog: number): Buffer {
  const h = Buffer.alloc(6);
  h.writeUInt32LE(0xfd2fb528, 0);
  h[4] = 0x00; // no single segment, no checksum, no dictionary, no content size
  h[5] = (windowLog - 10) << 3;
  return h;
}

function block(type: 0 | 1, size: number, last: boolean, payload: Buffer): Buffer {
  const bh = (last ? 1 : 0) | (type << 1) | (size << 3);
  return Buffer.concat([Buffer.from([bh & 0xff, (bh >> 8) & 0xff, (bh >> 16) & 0xff]), payload]);
}

/** `frames` frames, each `head` (a raw block, if any) then `blocks` RLE blocks of 128 KiB of `byte` */
export function zstdRle(opts: { frames: number; blocks: number; head?: string; byte?: number; windowLog?: number }): Buffer {
  const parts: Buffer[] = [];
  const rle = block(1, BLOCK, false, Buffer.from([opts.byte ?? 0]));
  const lastRle = block(1, BLOCK, true, Buffer.from([opts.byte ?? 0]));
  for (let f = 0; f < opts.frames; f++) {
    parts.push(frameHeader(opts.windowLog ?? 17));
    if (opts.head && f === 0) parts.push(block(0, Buffer.byteLength(opts.head), false, Buffer.from(opts.head)));
    for (let i = 0; i < opts.blocks; i++) parts.push(i === opts.blocks - 1 ? lastRle : rle);
  }
  return Buffer.concat(parts);
}

export function writeZstdRle(path: string, opts: Parameters<typeof zstdRle>[0]): void {
  writeFileSync(path, zstdRle(opts));
}

/** gzip of `head` then `bytes` bytes of `byte` */
export async function writeGzipOf(path: string, head: string, bytes: number, byte = 0): Promise<void> {
  const chunk = Buffer.alloc(1 << 20, byte);
  function* source(): Generator<Buffer> {
    yield Buffer.from(head);
    for (let left = bytes; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  }
  await pipeline(Readable.from(source()), createGzip({ level: 1 }), createWriteStream(path));
}
