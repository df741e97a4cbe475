/**
 * The 7z signature header (32 bytes at offset 0) and a look at the next header: enough to tell a
 * truncated or corrupt archive, and one whose header is encrypted (7-Zip's `-mhe`), before handing the
 * bytes to 7-Zip. An encrypted header hides even the member names.
 */
import { crc32 } from 'node:zlib';
import type { RandomAccessReader } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';

export interface SevenZipHead {
  nextHeaderOffset: number;
  nextHeaderSize: number;
  /** the next header is an encoded header whose coders include 7zAES */
  headerEncrypted: boolean;
}

const AES_CODER = [0x06, 0xf1, 0x07, 0x01];
const K_ENCODED_HEADER = 0x17;
const MAX_LOOK = 16 << 20;

function hasSeq(b: Uint8Array, seq: number[]): boolean {
  outer: for (let i = 0; i + seq.length <= b.length; i++) {
    for (let j = 0; j < seq.length; j++) if (b[i + j] !== seq[j]) continue outer;
    return true;
  }
  return false;
}

export async function readSevenZipHead(r: RandomAccessReader): Promise<SevenZipHead> {
  const h = await r.read(0, 32);
  if (h.length < 32) throw new MlvetError('TRUNCATED', '7z signature header is cut short', { offset: 0 });
  const dv = new DataView(h.buffer, h.byteOffset, 32);
  if (crc32(h.subarray(12, 32)) !== dv.getUint32(8, true)) throw new MlvetError('PARSE_ERROR', '7z start header CRC does not match', { offset: 8 });
  const off = dv.getBigUint64(12, true);
  const size = dv.getBigUint64(20, true);
  const end = 32n + off + size;
  if (end > BigInt(r.size)) throw new MlvetError('TRUNCATED', `7z header ends at byte ${end}, the file has ${r.size}`, { offset: 12 });
  const head = { nextHeaderOffset: Number(off), nextHeaderSize: Number(size), headerEncrypted: false };
  if (size === 0n || size > BigInt(MAX_LOOK)) return head;
  const next = await r.read(32 + head.nextHeaderOffset, head.nextHeaderSize);
  if (crc32(next) !== dv.getUint32(28, true)) throw new MlvetError('PARSE_ERROR', '7z header CRC does not match', { offset: 32 + head.nextHeaderOffset });
  head.headerEncrypted = next[0] === K_ENCODED_HEADER && hasSeq(next, AES_CODER);
  return head;
}
