/**
 * Deciding that a torch storage is plain tensor bytes from its first STORAGE_HEAD bytes and its last
 * byte, where the zip scanner used to sniff 4 KiB. The old rule stands: a storage is skipped when its
 * 4 KiB head is detected as `unknown`, or as `pickle` without being one complete pickle. This says
 * "skip" only when the small head proves that rule would have skipped it, and "look" otherwise (the
 * caller then sniffs 4 KiB exactly as before), so no verdict moves:
 * - every magic number, tar's `ustar` at 257, the legacy head and zlib fit in the small head;
 * - safetensors' header-length test ends at the first non-blank byte after offset 8;
 * - JSON, Python and Jinja need a text head: a NUL, or three undecodable UTF-8 sequences, rule it out;
 * - protobuf needs 0x08 or 0x0a first;
 * - a complete pickle opens with PROTO 2..5 and ends with STOP (0x2e).
 * Float noise passes all of these; test/formats/zip-storage-sniff.test.ts checks it against detect().
 */
import { hasPickleProto } from '../../formats/torch/storage.js';
import { detect, isSafetensors } from '../detect.js';

/** bytes read from a storage's start: tar's magic ends at 262 */
export const STORAGE_HEAD = 264;
/** the 4 KiB sniff of the old rule; members this small are read whole anyway */
export const SNIFF = 4096;

const STOP = 0x2e;
const isBlank = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** A head that can never open a text format: JSON, Python and Jinja all need textHead() to decode. */
function neverText(head: Uint8Array): boolean {
  if (head.includes(0)) return true;
  // the decoder's view of the head is a prefix of its view of 4 KiB, but for one cut sequence at the end
  const bad = (new TextDecoder('utf-8').decode(head).match(/\uFFFD/g) ?? []).length;
  return bad - 1 > 1;
}

/**
 * True when the old 4 KiB rule would certainly skip this storage. `head` is its first STORAGE_HEAD
 * bytes, `last` its last byte, `size` its length (more than SNIFF).
 */
export async function plainByHead(head: Uint8Array, last: number, size: number): Promise<boolean> {
  if (size <= SNIFF || head.length < STORAGE_HEAD) return false;
  if (hasPickleProto(head) && last === STOP) return false;
  if (head[0] === 0x08 || head[0] === 0x0a) return false;
  if (!neverText(head)) return false;
  if (!head.subarray(8).some((b) => !isBlank(b))) return false;
  if (isSafetensors(head, size) || isSafetensors(head, size, true)) return false;
  const label = await detect(head, size);
  return label === 'unknown' || label === 'pickle';
}
