/**
 * Exact grouping of row hashes in bounded memory. Records (feature hash h1 h2, label id, row) sit
 * in a small in-memory buffer; past the budget they are hash-partitioned into 256 spill files by
 * the top byte of h1, and each partition is aggregated on its own at the end. A partition that is
 * itself too big is split again by the next byte, so memory never depends on the row count.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REC = 4; // u32 words per record
export interface Group {
  /** rows in the group */
  count: number;
  /** label id → rows */
  labels: Map<number, number>;
  /** first rows (≤ 5) for examples */
  rows: number[];
}

export class HashGroups {
  private buf: Uint32Array;
  private used = 0;
  private dir: string | null = null;
  private fds: number[] = [];
  total = 0;

  constructor(private readonly budgetRecords = 1 << 18) {
    this.buf = new Uint32Array(budgetRecords * REC);
  }

  get spilled(): boolean {
    return this.dir !== null || this.wasSpilled;
  }

  add(h1: number, h2: number, label: number, row: number): void {
    const o = this.used * REC;
    this.buf[o] = h1;
    this.buf[o + 1] = h2;
    this.buf[o + 2] = label;
    this.buf[o + 3] = row;
    this.total++;
    if (++this.used === this.budgetRecords) this.spill();
  }

  private spill(): void {
    if (!this.dir) {
      this.dir = mkdtempSync(join(tmpdir(), 'mlvet-rows-'));
      for (let p = 0; p < 256; p++) this.fds.push(openSync(join(this.dir, `p${p}`), 'a'));
    }
    writePartitioned(this.buf.subarray(0, this.used * REC), 24, (p, chunk) => writeSync(this.fds[p]!, chunk));
    this.used = 0;
  }

  /** Visit every group (rows sharing h1,h2), partition by partition. */
  forEach(visit: (g: Group) => void): void {
    if (!this.dir) {
      aggregate(this.buf.subarray(0, this.used * REC), visit);
      return;
    }
    if (this.used) this.spill();
    for (const fd of this.fds) closeSync(fd);
    this.fds = [];
    for (let p = 0; p < 256; p++) this.visitFile(join(this.dir, `p${p}`), 16, visit);
  }

  private visitFile(path: string, shift: number, visit: (g: Group) => void): void {
    if (statSync(path).size / 16 <= this.budgetRecords * 4 || shift < 0) {
      const b = readFileSync(path);
      aggregate(new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4), visit);
      return;
    }
    // too big for one pass: split by the next byte of h1
    const b = readFileSync(path);
    const fds: number[] = [];
    for (let p = 0; p < 256; p++) fds.push(openSync(`${path}.${p}`, 'w'));
    writePartitioned(new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4), shift, (p, chunk) => writeSync(fds[p]!, chunk));
    for (const fd of fds) closeSync(fd);
    for (let p = 0; p < 256; p++) this.visitFile(`${path}.${p}`, shift - 8, visit);
  }

  dispose(): void {
    for (const fd of this.fds) closeSync(fd);
    this.fds = [];
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.wasSpilled ||= this.dir !== null;
    this.dir = null;
  }

  private wasSpilled = false;
}

function writePartitioned(recs: Uint32Array, shift: number, write: (p: number, chunk: Uint8Array) => void): void {
  const n = recs.length / REC;
  const counts = new Uint32Array(256);
  for (let i = 0; i < n; i++) counts[(recs[i * REC]! >>> shift) & 255]!++;
  const starts = new Uint32Array(256);
  for (let p = 1; p < 256; p++) starts[p] = starts[p - 1]! + counts[p - 1]!;
  const out = new Uint32Array(recs.length);
  const pos = Uint32Array.from(starts);
  for (let i = 0; i < n; i++) {
    const p = (recs[i * REC]! >>> shift) & 255;
    out.set(recs.subarray(i * REC, i * REC + REC), pos[p]! * REC);
    pos[p]!++;
  }
  for (let p = 0; p < 256; p++) {
    if (counts[p]) write(p, new Uint8Array(out.buffer, starts[p]! * REC * 4, counts[p]! * REC * 4));
  }
}

function aggregate(recs: Uint32Array, visit: (g: Group) => void): void {
  const groups = new Map<number, Group>();
  const n = recs.length / REC;
  for (let i = 0; i < n; i++) {
    const o = i * REC;
    // 53 bits of the 64-bit hash as a Map key: collisions inside one partition are ~n²/2⁵³
    const key = recs[o]! * 2097152 + (recs[o + 1]! & 0x1fffff);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { count: 0, labels: new Map(), rows: [] }));
    g.count++;
    g.labels.set(recs[o + 2]!, (g.labels.get(recs[o + 2]!) ?? 0) + 1);
    if (g.rows.length < 5) g.rows.push(recs[o + 3]!);
  }
  for (const g of groups.values()) visit(g);
}
