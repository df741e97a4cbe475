/**
 * zstd decompression that streams. fzstd's Decompress runs every block of what it is given before it
 * returns, and one RLE block is 4 bytes that become 128 KiB: a 1 MiB read of such blocks is 32 GiB of
 * output held at once (issue 12: 4.4 GB RSS before the CSV record limit could fire). So this walks
 * the frame and block headers itself (RFC 8878 §3.1) and hands fzstd one block at a time, yielding
 * output in ~1 MiB chunks; memory is one window, one input read and one output chunk.
 */
import { Decompress } from 'fzstd';
import { MlvetError } from '../../errors.js';

/** zstd's own default decoder limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT = 27) */
export const MAX_WINDOW = 1 << 27;
const MAX_BLOCK = 128 * 1024;
const OUT_CHUNK = 1 << 20;
const MAGIC = 0xfd2fb528;

type State = { at: 'frame' } | { at: 'block'; checksum: boolean } | { at: 'skip'; left: number };

/** Bytes of the frame header starting at `b[0]`, and its window size; undefined while incomplete. */
function frameHeader(b: Buffer): { size: number; window: number; checksum: boolean } | undefined {
  if (b.length < 5) return undefined;
  const fhd = b[4]!;
  const single = (fhd & 0x20) !== 0;
  const fcsBytes = [single ? 1 : 0, 2, 4, 8][fhd >> 6]!;
  const size = 5 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3]! + fcsBytes;
  if (b.length < size) return undefined;
  let window: number;
  if (!single) {
    const wd = b[5]!;
    const base = 2 ** (10 + (wd >> 3));
    window = base + (base / 8) * (wd & 7);
  } else {
    // a single-segment frame's window is its content size
    const at = size - fcsBytes;
    window = fcsBytes === 1 ? b[at]! : fcsBytes === 2 ? b.readUInt16LE(at) + 256 : fcsBytes === 4 ? b.readUInt32LE(at) : Number(b.readBigUInt64LE(at));
  }
  return { size, window, checksum: (fhd & 4) !== 0 };
}

export async function* zstdStream(raw: AsyncIterable<Buffer>, display: string): AsyncGenerator<Buffer> {
  let out: Uint8Array[] = [];
  let outBytes = 0;
  const dec = new Decompress((chunk: Uint8Array) => {
    out.push(chunk);
    outBytes += chunk.length;
  });
  let pending: Buffer = Buffer.alloc(0);
  let state: State = { at: 'frame' };
  const take = (n: number): Buffer => {
    const unit = pending.subarray(0, n);
    pending = pending.subarray(n);
    return unit;
  };
  for await (const buf of raw) {
    pending = pending.length ? Buffer.concat([pending, buf]) : buf;
    for (;;) {
      const unit = nextUnit();
      if (!unit) break;
      if (unit.length) dec.push(unit);
      if (outBytes >= OUT_CHUNK) yield flush();
    }
  }
  if (pending.length || state.at !== 'frame') throw new MlvetError('TRUNCATED', `${display}: the zstd stream ends inside a frame`, { path: display });
  dec.push(new Uint8Array(0), true);
  if (outBytes) yield flush();

  function flush(): Buffer {
    const b = Buffer.concat(out, outBytes);
    out = [];
    outBytes = 0;
    return b;
  }

  /** The next whole unit (frame header, block, checksum, skipped bytes) to feed, or undefined for more input. */
  function nextUnit(): Buffer | undefined {
    if (state.at === 'skip') {
      const n = Math.min(state.left, pending.length);
      state = n === state.left ? { at: 'frame' } : { at: 'skip', left: state.left - n };
      take(n);
      return n ? Buffer.alloc(0) : undefined;
    }
    if (state.at === 'frame') {
      if (pending.length < 8) return undefined;
      const magic = pending.readUInt32LE(0);
      if ((magic & 0xfffffff0) === 0x184d2a50) {
        state = { at: 'skip', left: 8 + pending.readUInt32LE(4) };
        return Buffer.alloc(0);
      }
      if (magic !== MAGIC) throw new MlvetError('PARSE_ERROR', `${display}: not a zstd frame`, { path: display });
      const h = frameHeader(pending);
      if (!h) return undefined;
      if (h.window > MAX_WINDOW) throw new MlvetError('LIMIT_EXCEEDED', `${display}: a zstd frame needs a ${h.window}-byte window (limit ${MAX_WINDOW})`, { path: display });
      state = { at: 'block', checksum: h.checksum };
      return take(h.size);
    }
    if (pending.length < 3) return undefined;
    const bh = pending[0]! | (pending[1]! << 8) | (pending[2]! << 16);
    const type = (bh >> 1) & 3;
    const size = bh >>> 3;
    if (type === 3 || size > MAX_BLOCK) throw new MlvetError('PARSE_ERROR', `${display}: corrupt zstd block header`, { path: display });
    const total = 3 + (type === 1 ? 1 : size) + ((bh & 1) !== 0 && state.checksum ? 4 : 0);
    if (pending.length < total) return undefined;
    if (bh & 1) state = { at: 'frame' };
    return take(total);
  }
}
