/**
 * Identifier columns: which columns are ids, and their duplicates. An id is not a feature (a new
 * batch's ids lie outside the old range by construction, and a copied row with a fresh id is still a
 * copy), so ids are kept out of drift, range, outlier and association checks and out of row hashes;
 * they are checked for uniqueness instead, exactly, with the same spilled hash groups as rows.
 */
import { hashValue } from '../sketch/hash.js';
import type { Batch } from '../types.js';
import { valueAt } from '../types.js';
import { HashGroups } from './spill.js';

/** names that say "identifier" (a hint; values decide) */
const ID_NAMES = [/^(?:id|idx|index|uuid|guid|row_?id|pk_index|unnamed: ?0|__index_level_0__|_id|key)$/i, /^.+[_ -]id$/i, /^.+(?:Id|ID)$/];
export const idLikeName = (name: string): boolean => ID_NAMES.some((r) => r.test(name));
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const HASH = /^(?:[0-9a-f]{16,128}|[A-Za-z0-9_-]{20,}={0,2})$/;

/** the share of a string sample that looks like a UUID or a hex/base64 digest */
export function hashLikeShare(sample: readonly string[]): number {
  if (!sample.length) return 0;
  let k = 0;
  for (const s of sample) if (UUID.test(s) || (HASH.test(s) && /\d/.test(s))) k++;
  return k / sample.length;
}

export interface IdEvidence {
  name: string;
  /** non-null values, distinct values, rises and falls between consecutive values */
  n: number;
  distinct: number;
  integral: boolean;
  rises: number;
  falls: number;
  hashLike: number;
  /** the distinct count is a HyperLogLog estimate (±~1 %), not exact */
  approximate?: boolean;
}

/**
 * An identifier: integers (or hash-like strings) that are all distinct; or nearly unique and
 * monotone; or nearly unique with an id-like name. A unique float is a measurement, not an id.
 */
export function isIdentifier(e: IdEvidence): boolean {
  if (e.n < 20) return false;
  const unique = e.distinct / e.n;
  const monotone = Math.max(e.rises, e.falls) >= 0.99 * (e.n - 1);
  if (e.hashLike >= 0.95 && unique >= 0.99) return true;
  if (e.integral && unique >= (e.approximate ? 0.97 : 0.999)) return true;
  if (unique >= 0.95 && monotone) return true;
  return unique >= 0.95 && idLikeName(e.name);
}

export interface IdStats {
  column: string;
  rows: number;
  duplicate_rows: number;
  duplicate_values: number;
  examples: Array<{ rows: number[]; count: number }>;
}

/** exact duplicate counting for each id column */
export class IdTracker {
  private readonly groups = new Map<string, HashGroups>();
  private readonly hv: [number, number] = [0, 0];

  constructor(
    readonly ids: ReadonlySet<string>,
    private readonly budget?: number,
  ) {}

  add(b: Batch): void {
    for (const c of b.columns) {
      if (!this.ids.has(c.name)) continue;
      let g = this.groups.get(c.name);
      if (!g) this.groups.set(c.name, (g = new HashGroups(this.budget)));
      for (let i = 0; i < b.length; i++) {
        const v = valueAt(c, i);
        if (v === null) continue;
        hashValue(v, this.hv);
        g.add(this.hv[0] >>> 0, this.hv[1] >>> 0, 0, b.rowStart + i + 1);
      }
    }
  }

  stats(column: string): IdStats {
    const g = this.groups.get(column);
    const s: IdStats = { column, rows: g?.total ?? 0, duplicate_rows: 0, duplicate_values: 0, examples: [] };
    g?.forEach((grp) => {
      if (grp.count < 2) return;
      s.duplicate_rows += grp.count - 1;
      s.duplicate_values++;
      if (s.examples.length < 5) s.examples.push({ rows: grp.rows, count: grp.count });
    });
    g?.dispose();
    this.groups.delete(column);
    return s;
  }
}
