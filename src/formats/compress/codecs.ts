/**
 * One driver per codec. Each feeds compressed bytes in small pieces and reports, through a Meter, how
 * many compressed bytes the decoder has taken so far, so the ratio budget can be judged while the
 * output streams instead of against the whole input at the end. `put` may throw to stop a decoder: the
 * drivers let that exception escape the decoder's loop, which is what aborts it.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
// the three pure-JS decoders load on first use: a scan that meets no bzip2, xz or zstd stream pays nothing for them

export type Codec = 'gzip' | 'zlib' | 'deflate-raw' | 'bzip2' | 'lzma' | 'xz' | 'zstd';

/** Compressed bytes consumed by the decoder so far. */
export interface Meter {
  consumed: number;
}

export type Put = (chunk: Uint8Array) => void;

/** Input pieces per codec: small enough that one piece cannot hide a large burst of output. */
export const FEED: Readonly<Record<Codec, number>> = {
  gzip: 64 * 1024,
  zlib: 64 * 1024,
  'deflate-raw': 64 * 1024,
  bzip2: 64 * 1024,
  lzma: 64 * 1024,
  xz: 4 * 1024,
  // a zstd RLE block turns 4 bytes into 128 KiB, so pieces are smaller still
  zstd: 4 * 1024,
};

/** Output chunks of 256 KiB: a sixteenth of the callbacks of zlib's default, and still a fine grain for the gate. */
const OUT_CHUNK = 256 * 1024;

function nodeCodec(codec: Codec): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw {
  const opts = { chunkSize: OUT_CHUNK };
  if (codec === 'gzip') return zlib.createGunzip(opts);
  if (codec === 'zlib') return zlib.createInflate(opts);
  return zlib.createInflateRaw(opts);
}

/** zlib's `bytesWritten` counts input the engine has actually consumed, updated before each output push. */
export async function runNode(codec: Codec, input: AsyncIterable<Uint8Array>, meter: Meter, put: Put): Promise<void> {
  const z = nodeCodec(codec);
  await pipeline(Readable.from(input), z, async (s: AsyncIterable<Buffer>) => {
    for await (const c of s) {
      meter.consumed = z.bytesWritten;
      put(c);
    }
  });
}

/** seek-bzip reads its input one byte at a time through `readByte`, which is where we count. */
export async function runBzip2(input: Uint8Array, meter: Meter, put: Put): Promise<void> {
  const { default: Bunzip } = await import('seek-bzip');
  const buf = new Uint8Array(1 << 16);
  let pos = 0;
  const src = {
    readByte(): number {
      return meter.consumed < input.length ? input[meter.consumed++]! : -1;
    },
    read(into: Uint8Array, at: number, length: number): number {
      const n = Math.min(length, input.length - meter.consumed);
      if (n <= 0) return -1;
      into.set(input.subarray(meter.consumed, meter.consumed + n), at);
      meter.consumed += n;
      return n;
    },
    seek(p: number): void {
      meter.consumed = p;
    },
    eof(): boolean {
      return meter.consumed >= input.length;
    },
  };
  const out = {
    writeByte(b: number): void {
      buf[pos++] = b;
      if (pos === buf.length) {
        put(buf);
        pos = 0;
      }
    },
  };
  // decode(input, output, multistream): the bundled typings omit the stream forms and the third argument
  const decode = Bunzip.decode.bind(Bunzip) as unknown as (i: unknown, o: unknown, multi: boolean) => void;
  decode(src, out, true);
  if (pos > 0) put(buf.subarray(0, pos));
}

export async function runXz(input: AsyncIterable<Uint8Array>, meter: Meter, put: Put): Promise<void> {
  const { default: xz } = await import('xz-decompress');
  const it = input[Symbol.asyncIterator]();
  const src = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      const n = await it.next();
      if (n.done) ctrl.close();
      else {
        meter.consumed += n.value.length;
        ctrl.enqueue(n.value);
      }
    },
  });
  const rd = new xz.XzReadableStream(src).getReader();
  try {
    for (;;) {
      const { done, value } = await rd.read();
      if (done) break;
      put(value);
    }
  } catch (e) {
    await rd.cancel().catch(() => undefined);
    throw e;
  }
}

export async function runZstd(input: AsyncIterable<Uint8Array>, meter: Meter, put: Put): Promise<void> {
  const { Decompress } = await import('fzstd');
  const z = new Decompress((d) => put(d));
  for await (const c of input) {
    meter.consumed += c.length;
    z.push(c);
  }
  z.push(new Uint8Array(0), true);
}
