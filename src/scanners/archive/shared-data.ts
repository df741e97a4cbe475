/**
 * ZIP entries that share compressed bytes, as the zip scanner meets them: one fact per group, found
 * before anything is inflated; entries over the same bytes, method and flags reuse the first scan; and
 * entries that only partly overlap (David Fifield's nested-suffix bomb: every range distinct, all of
 * them sharing one kernel) draw on one output allowance per group, `maxCompressionRatio` times the
 * bytes the group spans, so thousands of distinct ranges over one kernel cost one kernel's output.
 */
import { MAX_GROUP_NAMES, overlapGroups, rangeKey } from '../../formats/zip/overlap.js';
import type { Member, ZipArchive } from '../../formats/zip/index.js';
import type { ScanContext, ScanInput } from '../types.js';
import { giveUp } from './nested.js';

/** What scanning a member's bytes found out that a member over the same bytes can reuse. */
export interface Scanned {
  kind: 'storage' | 'scanned';
  /** CRC-32 of the uncompressed bytes, when it was computed */
  crc?: number;
  /** bytes the member's data produced */
  outBytes: number;
}

interface Pool {
  left: number;
  span: number;
  count: number;
  skipped: number;
}

/** Members with the same key would be scanned identically; flag bits take part because they change the verdict on unreadable data. */
const scanKey = (m: Member): string => `${rangeKey(m)}:${m.flags | (m.localFlags ?? 0)}`;

export class SharedData {
  private readonly seen = new Map<string, Scanned>();
  private readonly pools = new Map<Member, Pool>();

  constructor(
    private readonly zip: ZipArchive,
    private readonly input: ScanInput,
    private readonly ctx: ScanContext,
  ) {}

  /** Emit the overlap facts and set up the allowances. Call once, before any member is scanned. */
  start(): void {
    for (const g of overlapGroups(this.zip.members)) {
      const scans = new Set(g.members.map(scanKey)).size;
      this.ctx.emit({
        kind: 'zip.overlapping-entries',
        location: { ...this.input.location },
        data: {
          members: g.members.slice(0, MAX_GROUP_NAMES).map((m) => m.name),
          count: g.members.length,
          ranges: g.ranges,
          coincident: g.coincident,
          start: g.start,
          end: g.end,
          notRescanned: g.members.length - scans,
          key: `overlap:${g.start}-${g.end}`,
        },
      });
      if (g.coincident) continue; // one scan serves them all
      const span = g.end - g.start;
      const pool: Pool = { left: span * this.ctx.budgets.maxCompressionRatio, span, count: g.members.length, skipped: 0 };
      for (const m of g.members) this.pools.set(m, pool);
    }
  }

  /** The earlier scan of the same bytes, if there was one. */
  prior(m: Member): Scanned | undefined {
    return this.seen.get(scanKey(m));
  }

  /** Output the member may produce: its group's allowance, or undefined when it is in no partial overlap. 0 means skip it. */
  allowance(m: Member): number | undefined {
    const pool = this.pools.get(m);
    if (!pool) return undefined;
    if (pool.left <= 0) pool.skipped++;
    return Math.max(0, pool.left);
  }

  record(m: Member, s: Scanned): void {
    const pool = this.pools.get(m);
    if (pool) pool.left -= s.outBytes;
    // a skipped storage says nothing about a member of another name over the same bytes
    if (s.kind === 'scanned' && !m.broken) this.seen.set(scanKey(m), s);
  }

  /** One inconclusive entry per group whose allowance ran out, after the members are done. */
  finish(): void {
    for (const pool of new Set(this.pools.values())) {
      if (pool.skipped === 0) continue;
      const msg = `${pool.skipped} of ${pool.count} overlapping entries not scanned: the ${pool.span} compressed bytes they share had already produced ${this.ctx.budgets.maxCompressionRatio} times as much`;
      giveUp(this.ctx, this.input.location, 'zip', 'LIMIT_EXCEEDED', msg);
    }
  }
}
