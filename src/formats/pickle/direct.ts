/**
 * A direct-mapped table from non-negative int keys to values: one slot per key modulo a power-of-two
 * capacity, and a new key takes its slot from whatever held it. It starts small (a small pickle pays
 * for little) and grows four-fold up to `max`, keeping everything it holds: keys that differ modulo the
 * old capacity still differ modulo the new one.
 */
export class DirectMap<V> {
  mask: number;
  keys: Int32Array;
  vals: Array<V | undefined>;
  /** a byte per slot for the owner (the string cache's second-chance bit) */
  marks: Uint8Array;

  constructor(
    cap: number,
    private readonly max: number,
  ) {
    this.mask = cap - 1;
    this.keys = new Int32Array(cap).fill(-1);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.marks = new Uint8Array(cap);
  }

  /** True once the table is as large as it gets. */
  get atMax(): boolean {
    return this.mask >= this.max - 1;
  }

  grow(): void {
    const { keys, vals, marks } = this;
    const cap = Math.min(this.max, keys.length * 4);
    this.mask = cap - 1;
    this.keys = new Int32Array(cap).fill(-1);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.marks = new Uint8Array(cap);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k < 0) continue;
      const s = k & this.mask;
      this.keys[s] = k;
      this.vals[s] = vals[i];
      this.marks[s] = marks[i]!;
    }
  }
}
