/**
 * Read plans: the byte ranges a container parser knows it will need, handed to the reader before the
 * parser asks for them. A remote reader fetches them at once, close ranges coalesced into one request,
 * so a checkpoint of hundreds of members costs a few concurrent round trips instead of one request per
 * member in turn. Readers with no latency (local files, memory) have no `prefetch` and ignore plans.
 */
import type { RandomAccessReader } from './types.js';

export interface ByteRange {
  offset: number;
  length: number;
}

export interface CoalesceOptions {
  /** ranges closer than this are fetched as one (the gap's bytes cost less than a round trip) */
  gap: number;
  /** a merged range never grows past this many bytes */
  maxLength: number;
}

/** Default merge rule: a round trip is worth about 16 KiB of bytes; no request over 8 MiB. */
export const COALESCE: CoalesceOptions = { gap: 16 * 1024, maxLength: 8 * 1024 * 1024 };

/** Clip to `[0, size)`, drop empty ranges, sort, and merge ranges that overlap or lie within `gap`. */
export function coalesce(ranges: readonly ByteRange[], size: number, o: CoalesceOptions = COALESCE): ByteRange[] {
  const clipped = ranges
    .map((r) => ({ start: Math.max(0, Math.floor(r.offset)), end: Math.min(size, Math.floor(r.offset) + Math.max(0, Math.ceil(r.length))) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const out: ByteRange[] = [];
  let cur: { start: number; end: number } | undefined;
  for (const r of clipped) {
    if (cur && r.start <= cur.end + o.gap && Math.max(cur.end, r.end) - cur.start <= o.maxLength) {
      cur.end = Math.max(cur.end, r.end);
      continue;
    }
    if (cur) out.push({ offset: cur.start, length: cur.end - cur.start });
    cur = { ...r };
  }
  if (cur) out.push({ offset: cur.start, length: cur.end - cur.start });
  return out;
}

/** Hand a plan to a reader that can use one; a failed prefetch is left for the parser's own read to report. */
export async function prefetch(r: RandomAccessReader, ranges: readonly ByteRange[]): Promise<void> {
  if (!r.prefetch || ranges.length === 0) return;
  await r.prefetch(coalesce(ranges, r.size)).catch(() => undefined);
}

/** `fn` over `items` with at most `width` calls pending, results in input order (no await inside a loop per item). */
export async function mapConcurrent<T, U>(items: readonly T[], width: number, fn: (item: T) => Promise<U>): Promise<U[]> {
  const out = new Array<U>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
