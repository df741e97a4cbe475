/**
 * Turns row-at-a-time values (JSONL objects, CSV records) into column batches. A column that first
 * appears mid-batch is back-filled with nulls; one missing from a row gets a null.
 */
import type { Batch, Column } from '../types.js';

export class RowBatcher {
  private cols = new Map<string, unknown[]>();
  private floatLit = new Set<string>();
  private n = 0;

  constructor(
    private readonly file: string,
    private rowStart: number,
  ) {}

  get size(): number {
    return this.n;
  }

  /** Append one row given as parallel arrays of names and values. */
  push(names: readonly string[], values: readonly unknown[]): void {
    for (let j = 0; j < names.length; j++) {
      const name = names[j]!;
      let arr = this.cols.get(name);
      if (!arr) {
        arr = new Array<unknown>(this.n).fill(null);
        this.cols.set(name, arr);
      }
      arr.push(values[j] ?? null);
    }
    this.n++;
    for (const arr of this.cols.values()) if (arr.length < this.n) arr.push(null);
  }

  /** a number in this column was written with a decimal point or exponent (pandas makes it float64) */
  markFloat(name: string): void {
    this.floatLit.add(name);
  }

  isFloat(name: string): boolean {
    return this.floatLit.has(name);
  }

  flush(): Batch | null {
    if (this.n === 0) return null;
    const columns: Column[] = [];
    for (const [name, values] of this.cols) {
      const c: Column & { floatLiteral?: boolean } = { name, values };
      if (this.floatLit.has(name)) c.floatLiteral = true;
      columns.push(c);
    }
    const batch: Batch = { rowStart: this.rowStart, length: this.n, columns, file: this.file };
    this.rowStart += this.n;
    this.n = 0;
    this.cols = new Map();
    this.floatLit = new Set();
    return batch;
  }
}
