/**
 * The read plan for a ZIP once its central directory is known: every member's local header, plus the
 * parts of its data the scanner said it will look at (all of it, its first bytes, its last bytes),
 * fetched together before any member is resolved. The local header's extra field is not in the
 * central directory, so each data range is widened by the most extra bytes writers put there (PyTorch
 * pads data to 64-byte alignment with one); a member with a longer extra field simply reads its own.
 */
import type { ByteRange } from '../../artifact/read-plan.js';
import type { CentralEntry } from './central.js';

const LOCAL_HEADER = 30;
/** local extra fields up to this long are covered by the plan (PyTorch's alignment padding, a ZIP64 record) */
export const EXTRA_SLACK = 128;

/** What the scanner will read of one member's (compressed) data. */
export interface DataNeed {
  /** read all of it */
  whole?: boolean;
  /** bytes from its start */
  head?: number;
  /** bytes before its end */
  tail?: number;
}

export type NeedOf = (e: CentralEntry) => DataNeed | undefined;

const nameBytes = (e: CentralEntry): number => (e.nameLossy ? e.name.length : Buffer.byteLength(e.name, 'utf8'));

/** Ranges for every entry's local header and the data its need names. Not yet coalesced. */
export function planMembers(entries: readonly CentralEntry[], needOf: NeedOf): ByteRange[] {
  const out: ByteRange[] = [];
  for (const e of entries) {
    // data starts somewhere in [data, data + EXTRA_SLACK]: cover every start in that window
    const data = e.localOffset + LOCAL_HEADER + nameBytes(e);
    const need = needOf(e) ?? {};
    if (need.whole) {
      out.push({ offset: e.localOffset, length: data + EXTRA_SLACK + e.compressedSize - e.localOffset });
      continue;
    }
    out.push({ offset: e.localOffset, length: data + EXTRA_SLACK + Math.min(need.head ?? 0, e.compressedSize) - e.localOffset });
    const tail = Math.min(need.tail ?? 0, e.compressedSize);
    if (tail > 0) out.push({ offset: data + e.compressedSize - tail, length: tail + EXTRA_SLACK });
  }
  return out;
}
