/**
 * Row identity for the duplicate and label checks: a 64-bit hash of the feature columns (every
 * column except the label and identifier columns (rows/ids.ts); text normalised; numbers by value), plus the label.
 * Rows go into exact hash groups (spilled to disk past the budget), and a hash-sampled map of
 * feature hash → label is kept for the baseline's label-consistency check.
 */
import { hashValue, mix, fmix } from '../sketch/hash.js';
import type { Batch } from '../types.js';
import { valueAt } from '../types.js';
import { keyOf } from '../profile/column.js';
import { normaliseText } from '../profile/text.js';
import { HashGroups, type Group } from './spill.js';

export interface RowStats {
  rows: number;
  distinctFeatureRows: number;
  distinctRows: number;
  duplicateRows: number;
  conflictRows: number;
  conflictGroups: number;
  maxMultiplicity: number;
  conflictExamples: Array<{ rows: number[]; labels: Record<string, number> }>;
  heavyExamples: Array<{ rows: number[]; count: number }>;
  /** multiplicity → number of distinct rows with it, for counts > 1 (bounded) */
  spilled: boolean;
}

export class RowHasher {
  readonly groups: HashGroups;
  readonly labelIds = new Map<string, number>();
  readonly labelNames: string[] = [];
  /** hash-sampled feature hash (hex) → label, for the baseline */
  readonly sample = new Map<string, string>();
  private hv: [number, number] = [0, 0];
  /** baseline feature hash → label, with its sampling modulus: rows are checked against it as they stream */
  against: { labels: Map<number, string>; mod: number } | null = null;
  /** keep the hash → label sample (profile only) */
  collectSample = false;
  matched = 0;
  mismatched = 0;
  readonly mismatchExamples: Array<{ row: number; label: string; baseline_label: string }> = [];

  constructor(
    private readonly label: string | undefined,
    private readonly textColumns: Set<string>,
    readonly sampleMod = 1,
    budgetRecords?: number,
    private readonly maxSample = 200_000,
    /** identifier columns (detected by profile, or --id): a fresh id must not make a copied row new */
    private readonly ids: ReadonlySet<string> = new Set(),
  ) {
    this.groups = new HashGroups(budgetRecords);
  }

  featureColumns(b: Batch): string[] {
    return b.columns.map((c) => c.name).filter((n) => n !== this.label && !this.ids.has(n)).sort();
  }

  labelId(v: string): number {
    let id = this.labelIds.get(v);
    if (id === undefined) {
      id = this.labelNames.length;
      this.labelIds.set(v, id);
      this.labelNames.push(v);
    }
    return id;
  }

  /** hashes of each row's features; calls back per row with (h1, h2, labelKey) */
  hashBatch(b: Batch, each: (i: number, h1: number, h2: number, label: string) => void): void {
    const names = this.featureColumns(b);
    const cols = names.map((n) => b.columns.find((c) => c.name === n)!);
    const seeds = names.map((n) => fmix(hashStr(n)));
    const lab = this.label ? b.columns.find((c) => c.name === this.label) : undefined;
    for (let i = 0; i < b.length; i++) {
      let h1 = 0x811c9dc5;
      let h2 = 0x01000193;
      for (let j = 0; j < cols.length; j++) {
        let v = valueAt(cols[j]!, i);
        if (typeof v === 'string' && this.textColumns.has(names[j]!)) v = normaliseText(v);
        hashValue(v, this.hv);
        h1 = mix(mix(h1, seeds[j]!), this.hv[0]);
        h2 = mix(mix(h2, seeds[j]! ^ 0x5bd1e995), this.hv[1]);
      }
      const lv = lab ? valueAt(lab, i) : null;
      each(i, fmix(h1), fmix(h2 ^ cols.length), lv === null ? '' : keyOf(lv));
    }
  }

  add(b: Batch): void {
    this.hashBatch(b, (i, h1, h2, label) => {
      this.groups.add(h1, h2, this.labelId(label), b.rowStart + i + 1);
      if (this.collectSample && this.label && h2 % this.sampleMod === 0 && this.sample.size < this.maxSample) this.sample.set(hex(h1, h2), label);
      if (this.against && h2 % this.against.mod === 0) {
        const base = this.against.labels.get(key53(h1, h2));
        if (base !== undefined) {
          this.matched++;
          if (base !== label) {
            this.mismatched++;
            if (this.mismatchExamples.length < 20) this.mismatchExamples.push({ row: b.rowStart + i + 1, label, baseline_label: base });
          }
        }
      }
    });
  }

  stats(heavyAt: number): RowStats {
    const s: RowStats = { rows: this.groups.total, distinctFeatureRows: 0, distinctRows: 0, duplicateRows: 0, conflictRows: 0, conflictGroups: 0, maxMultiplicity: 0, conflictExamples: [], heavyExamples: [], spilled: false };
    this.groups.forEach((g: Group) => {
      s.distinctFeatureRows++;
      s.distinctRows += g.labels.size;
      let most = 0;
      for (const c of g.labels.values()) most = Math.max(most, c);
      if (most > s.maxMultiplicity) s.maxMultiplicity = most;
      if (g.labels.size > 1) {
        s.conflictRows += g.count;
        s.conflictGroups++;
        if (s.conflictExamples.length < 20) s.conflictExamples.push({ rows: g.rows, labels: Object.fromEntries([...g.labels].map(([id, c]) => [this.labelNames[id] ?? String(id), c])) });
      }
      if (most >= heavyAt && s.heavyExamples.length < 20) s.heavyExamples.push({ rows: g.rows, count: most });
    });
    s.duplicateRows = s.rows - s.distinctRows;
    s.spilled = this.groups.spilled;
    this.groups.dispose();
    return s;
  }
}

/** the 53-bit numeric form of a row hash, for Map keys without string allocation */
export const key53 = (h1: number, h2: number): number => (h1 >>> 0) * 2097152 + ((h2 >>> 0) & 0x1fffff);

export const keyFromHex = (h: string): number => key53(parseInt(h.slice(0, 8), 16), parseInt(h.slice(8), 16));

export const hex = (h1: number, h2: number): string => (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');

function hashStr(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
