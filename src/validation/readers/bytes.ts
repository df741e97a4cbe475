/**
 * Byte streams for the text formats: big reads from disk, with gzip (node:zlib) or zstd (fzstd, one
 * block at a time: zstd-stream.ts) decompression in front. Memory is one read buffer plus one
 * decompressed chunk.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { MlvetError } from '../../errors.js';
import { parserFailure } from './failure.js';
import { zstdStream } from './zstd-stream.js';
import type { DataFile } from '../types.js';

const READ_CHUNK = 1 << 20;
/** the same budget as the CSV tokenizer's record limit */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export async function* fileChunks(file: Pick<DataFile, 'path' | 'display' | 'compression'>): AsyncGenerator<Buffer> {
  const raw = createReadStream(file.path, { highWaterMark: READ_CHUNK });
  try {
    if (file.compression === 'gzip') {
      yield* raw.pipe(createGunzip({ chunkSize: READ_CHUNK })) as AsyncIterable<Buffer>;
    } else if (file.compression === 'zstd') {
      yield* zstdStream(raw as AsyncIterable<Buffer>, file.display);
    } else {
      yield* raw as AsyncIterable<Buffer>;
    }
  } catch (e) {
    throw parserFailure(file.display, file.compression === 'none' ? 'node:fs' : file.compression, `cannot ${file.compression === 'none' ? 'read' : `decompress (${file.compression})`}`, e);
  } finally {
    raw.destroy();
  }
}

/**
 * Split a byte stream into lines without decoding the whole chunk twice. Yields [line, lineNo]
 * (1-based). A trailing `\r` is dropped so CRLF files read the same.
 */
export async function* lines(chunks: AsyncIterable<Buffer>, display = 'input', maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<[string, number]> {
  let carry: Buffer | null = null;
  let lineNo = 0;
  for await (let buf of chunks) {
    if (carry) {
      buf = Buffer.concat([carry, buf]);
      carry = null;
    }
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      yield [buf.toString('utf8', start, end), ++lineNo];
      start = nl + 1;
    }
    if (start < buf.length) carry = buf.subarray(start);
    if (carry && carry.length > maxLineBytes) {
      throw new MlvetError('LIMIT_EXCEEDED', `${display}: line ${lineNo + 1}: a line is longer than ${maxLineBytes} bytes`, { path: display, row: lineNo + 1 });
    }
  }
  if (carry && carry.length) {
    const end = carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length;
    yield [carry.toString('utf8', 0, end), ++lineNo];
  }
}
