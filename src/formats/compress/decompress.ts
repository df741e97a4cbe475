/**
 * Streaming decompression with budgets. Every codec writes into a ByteSink through one gate that
 * enforces the output size cap, the ratio cap and the deadline, so a decompression bomb stops early
 * and reports LIMIT_EXCEEDED with whatever it produced so far (payloads sit at the start of a stream,
 * so the partial output is still worth scanning; the scan is inconclusive either way).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import Bunzip from 'seek-bzip';
import xz from 'xz-decompress';
import type { RandomAccessReader } from '../../artifact/types.js';
import type { MlvetErrorCode } from '../../errors.js';
import { ByteSink } from './readers.js';

export type Codec = 'gzip' | 'zlib' | 'deflate-raw' | 'bzip2' | 'xz' | 'zstd';

export interface DecompressLimits {
  /** output bytes at most */
  maxOutput: number;
  /** output/input ratio at most (checked once output passes `ratioFloor`) */
  maxRatio: number;
  ratioFloor?: number;
  /** compressed bytes loaded into memory for codecs without a streaming decoder (bzip2) */
  maxInMemoryInput: number;
  /** ms since epoch */
  deadline: number;
  spillAt?: number;
}

export interface DecompressResult {
  reader: RandomAccessReader;
  outBytes: number;
  inBytes: number;
  /** set when the output is partial: bomb budget, truncated or corrupt input */
  error?: { code: MlvetErrorCode; message: string };
}

const CHUNK = 1 << 20;

class Stop extends Error {
  constructor(
    readonly code: MlvetErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Input bytes [start, start+length) of a reader, in 1 MiB chunks. */
export async function* chunksOf(r: RandomAccessReader, start: number, length: number): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < length; o += CHUNK) {
    const b = await r.read(start + o, Math.min(CHUNK, length - o));
    if (b.length === 0) return;
    yield b;
  }
}

function gate(sink: ByteSink, inBytes: number, lim: DecompressLimits, onStop: (s: Stop) => void): (c: Uint8Array) => void {
  const floor = lim.ratioFloor ?? 1 << 20;
  const check = checker(sink, inBytes, lim, floor);
  return (c) => {
    try {
      check(c);
    } catch (e) {
      // stream pipelines replace our error with a generic AbortError: remember the real reason
      if (e instanceof Stop) onStop(e);
      throw e;
    }
  };
}

function checker(sink: ByteSink, inBytes: number, lim: DecompressLimits, floor: number): (c: Uint8Array) => void {
  return (c) => {
    if (sink.size + c.length > lim.maxOutput) {
      sink.write(c.subarray(0, Math.max(0, lim.maxOutput - sink.size)));
      throw new Stop('LIMIT_EXCEEDED', `decompressed size exceeds ${lim.maxOutput} bytes`);
    }
    sink.write(c);
    if (sink.size > floor && sink.size / Math.max(1, inBytes) > lim.maxRatio) {
      throw new Stop('LIMIT_EXCEEDED', `compression ratio exceeds ${lim.maxRatio}:1 (decompression bomb)`);
    }
    if (Date.now() > lim.deadline) throw new Stop('LIMIT_EXCEEDED', 'time budget exhausted while decompressing');
  };
}

function nodeCodec(codec: Codec): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw {
  if (codec === 'gzip') return zlib.createGunzip();
  if (codec === 'zlib') return zlib.createInflate();
  return zlib.createInflateRaw();
}

async function runNode(codec: Codec, input: AsyncIterable<Uint8Array>, put: (c: Uint8Array) => void): Promise<void> {
  await pipeline(Readable.from(input), nodeCodec(codec), async (s: AsyncIterable<Buffer>) => {
    for await (const c of s) put(c);
  });
}

function runBzip2(input: Uint8Array, put: (c: Uint8Array) => void): void {
  const buf = new Uint8Array(1 << 16);
  let pos = 0;
  const out = {
    writeByte(b: number): void {
      buf[pos++] = b;
      if (pos === buf.length) {
        put(buf);
        pos = 0;
      }
    },
  };
  // decode(input, output, multistream): the bundled typings omit the third argument
  const decode = Bunzip.decode.bind(Bunzip) as unknown as (i: Buffer, o: unknown, multi: boolean) => void;
  decode(Buffer.from(input.buffer, input.byteOffset, input.length), out, true);
  if (pos > 0) put(buf.subarray(0, pos));
}

async function runXz(input: AsyncIterable<Uint8Array>, put: (c: Uint8Array) => void): Promise<void> {
  const it = input[Symbol.asyncIterator]();
  const src = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      const n = await it.next();
      if (n.done) ctrl.close();
      else ctrl.enqueue(n.value);
    },
  });
  const rd = new xz.XzReadableStream(src).getReader();
  for (;;) {
    const { done, value } = await rd.read();
    if (done) break;
    put(value);
  }
}

async function runZstd(input: AsyncIterable<Uint8Array>, put: (c: Uint8Array) => void): Promise<void> {
  const z = new ZstdStream((d) => put(d));
  for await (const c of input) z.push(c);
  z.push(new Uint8Array(0), true);
}

function classify(e: unknown): { code: MlvetErrorCode; message: string } {
  if (e instanceof Stop) return { code: e.code, message: e.message };
  const msg = e instanceof Error ? e.message : String(e);
  const truncated = /unexpected end|end of (file|stream|input)|truncat|premature/i.test(msg);
  return { code: truncated ? 'TRUNCATED' : 'PARSE_ERROR', message: `corrupt compressed data: ${msg}` };
}

/** Decompress bytes [start, start+length) of `src`. Never throws for bad data: see `error`. */
export async function decompress(
  src: RandomAccessReader,
  start: number,
  length: number,
  codec: Codec,
  lim: DecompressLimits,
): Promise<DecompressResult> {
  const sink = new ByteSink(lim.spillAt);
  let stopped: Stop | undefined;
  const put = gate(sink, length, lim, (s) => (stopped = s));
  let error: DecompressResult['error'];
  try {
    if (codec === 'bzip2') {
      if (length > lim.maxInMemoryInput) throw new Stop('LIMIT_EXCEEDED', `bzip2 input larger than ${lim.maxInMemoryInput} bytes`);
      runBzip2(await src.read(start, length), put);
    } else if (codec === 'xz') await runXz(chunksOf(src, start, length), put);
    else if (codec === 'zstd') await runZstd(chunksOf(src, start, length), put);
    else await runNode(codec, chunksOf(src, start, length), put);
  } catch (e) {
    error = classify(stopped ?? e);
  }
  return { reader: sink.finish(), outBytes: sink.size, inBytes: length, ...(error ? { error } : {}) };
}
