/**
 * Shared and overlapping member data, computed from the central directory and the local header
 * sizes before anything is inflated. A 42.zip-style layer points many entries at one deflated
 * member; Fifield's non-recursive bomb overlaps every entry's data with one kernel. Both are cheap
 * to see here and ruinous to find by inflating. No standard writer produces either.
 */
import type { Member } from './local.js';

/** Names listed per group; the count is always exact. */
export const MAX_GROUP_NAMES = 16;

export interface DataRange {
  /** absolute offset of the first compressed byte */
  start: number;
  /** one past the last compressed byte */
  end: number;
}

export interface OverlapGroup extends DataRange {
  /** members whose data ranges intersect (transitively), ordered by data offset then entry index */
  members: Member[];
  /** how many distinct [start, end) ranges the members cover */
  ranges: number;
  /** every member covers exactly the same bytes */
  coincident: boolean;
}

export const dataRange = (m: Member): DataRange => ({ start: m.dataOffset, end: m.dataOffset + m.compressedSize });

/** Same bytes, same interpretation: a second scan could only repeat the first. */
export const rangeKey = (m: Member): string => `${m.dataOffset}:${m.compressedSize}:${m.method}`;

function close(members: Member[], start: number, end: number): OverlapGroup {
  const ranges = new Set(members.map((m) => `${m.dataOffset}:${m.compressedSize}`)).size;
  return { members, start, end, ranges, coincident: ranges === 1 };
}

/**
 * Groups of two or more members whose [dataStart, dataEnd) ranges intersect or coincide. One sort and
 * one sweep, so 100,000 entries cost milliseconds. Broken members (no local header) and empty ones
 * (no data bytes to share) take no part.
 */
export function overlapGroups(members: readonly Member[]): OverlapGroup[] {
  const live = members.filter((m) => !m.broken && m.compressedSize > 0);
  live.sort((a, b) => a.dataOffset - b.dataOffset || a.index - b.index);
  const groups: OverlapGroup[] = [];
  let cur: Member[] = [];
  let start = 0;
  let end = 0;
  for (const m of live) {
    const r = dataRange(m);
    if (cur.length > 0 && r.start < end) {
      cur.push(m);
      end = Math.max(end, r.end);
      continue;
    }
    if (cur.length > 1) groups.push(close(cur, start, end));
    cur = [m];
    ({ start, end } = r);
  }
  if (cur.length > 1) groups.push(close(cur, start, end));
  return groups;
}
