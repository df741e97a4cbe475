/**
 * Distinct counts: exact up to a threshold (a Set of 53-bit hashes), then HyperLogLog with p = 14
 * (16,384 registers, ≈0.8% standard error). Mergeable. `approximate` tells the report which one it is.
 */
const P = 14;
const M = 1 << P;
// exact below 10k distinct values (HLL's small-range estimate is weakest there), registers above
const EXACT_LIMIT = 10_000;

export interface HllState {
  exact?: number[];
  registers?: string;
}

export class DistinctCounter {
  private exact: Set<number> | null = new Set();
  private reg: Uint8Array | null = null;

  static readonly EXACT_LIMIT = EXACT_LIMIT;

  /** from the 53-bit keys of distinct values (the top 53 bits of a 64-bit hash) */
  static fromKeys(keys: readonly number[]): DistinctCounter {
    const d = new DistinctCounter();
    d.exact = new Set(keys);
    if (d.exact.size > EXACT_LIMIT) d.promote();
    return d;
  }

  /** from (register, rank) pairs computed elsewhere (the engine) with the same layout as addReg */
  static fromRegisters(regs: ReadonlyArray<readonly [number, number]>): DistinctCounter {
    const d = new DistinctCounter();
    d.exact = null;
    d.reg = new Uint8Array(M);
    for (const [i, r] of regs) if (i >= 0 && i < M && r > d.reg[i]!) d.reg[i] = r;
    return d;
  }

  get approximate(): boolean {
    return this.exact === null;
  }

  /** h1, h2: two independent 32-bit hashes of the value */
  add(h1: number, h2: number): void {
    if (this.exact) {
      this.exact.add((h1 >>> 0) * 2097152 + ((h2 >>> 0) & 0x1fffff));
      if (this.exact.size > EXACT_LIMIT) this.promote();
      return;
    }
    this.addReg(h1, h2);
  }

  private addReg(h1: number, h2: number): void {
    const idx = h1 >>> (32 - P);
    const w = ((h1 << P) | (h2 >>> (32 - P))) >>> 0;
    const rho = w === 0 ? 33 : Math.clz32(w) + 1;
    if (rho > this.reg![idx]!) this.reg![idx] = rho;
  }

  private promote(): void {
    this.reg = new Uint8Array(M);
    for (const k of this.exact!) {
      const h1 = Math.floor(k / 2097152);
      // the exact set keeps 21 bits of h2: enough for the register's low bits
      this.addReg(h1, (k % 2097152) << 11);
    }
    this.exact = null;
  }

  count(): number {
    if (this.exact) return this.exact.size;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      sum += 2 ** -this.reg![i]!;
      if (this.reg![i] === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / M);
    const est = (alpha * M * M) / sum;
    if (est <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(est);
  }

  merge(o: DistinctCounter): void {
    if (o.exact && this.exact) {
      for (const k of o.exact) this.exact.add(k);
      if (this.exact.size > EXACT_LIMIT) this.promote();
      return;
    }
    if (this.exact) this.promote();
    const other = o.exact ? (() => {
      const c = new DistinctCounter();
      c.exact = new Set(o.exact);
      c.promote();
      return c.reg!;
    })() : o.reg!;
    for (let i = 0; i < M; i++) if (other[i]! > this.reg![i]!) this.reg![i] = other[i]!;
  }

  toJSON(): HllState {
    return this.exact ? { exact: [...this.exact] } : { registers: Buffer.from(this.reg!).toString('base64') };
  }

  static from(s: HllState): DistinctCounter {
    const d = new DistinctCounter();
    if (s.exact) d.exact = new Set(s.exact);
    else if (s.registers) {
      d.exact = null;
      d.reg = new Uint8Array(Buffer.from(s.registers, 'base64'));
    }
    return d;
  }
}
