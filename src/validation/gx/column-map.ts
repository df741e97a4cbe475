/**
 * Column map expectations: one yes/no question per non-null value (GX `ColumnMapExpectation`).
 * Nulls are excluded and `unexpected_percent` is over non-null values; be_null / not_be_null judge
 * every row. A predicate may throw GxError, which becomes GX's `exception_info`.
 */
import type { Column, Dtype } from '../types.js';
import { valueAt } from '../types.js';
import type { Evaluator, FinishCtx, View } from './evaluator.js';
import { MapCounter, type MapOutcome } from './map.js';
import type { ResultFormat } from './result-format.js';
import { GxError } from './values.js';

export type Predicate = (v: unknown, dtype: Dtype, row: number) => boolean;

export interface ColumnMapOptions {
  column: string;
  rf: ResultFormat;
  mostly: number;
  /** judge nulls too (be_null / not_be_null) */
  allRows?: boolean;
  /** pass 2 predicate for two-pass expectations; pass 1 then only gathers statistics */
  passes?: number;
  gather?: (v: unknown, dtype: Dtype) => void;
  afterGather?: () => void;
  /** last chance to decide from the whole column (of_type on non-object dtypes) */
  override?: (ctx: FinishCtx, mapResult: () => MapOutcome) => MapOutcome;
}

export class ColumnMapEval implements Evaluator {
  readonly passes: number;
  private readonly counter: MapCounter;
  private seen = false;

  constructor(
    private readonly o: ColumnMapOptions,
    private readonly test: Predicate,
  ) {
    this.passes = o.passes ?? 1;
    this.counter = new MapCounter(o.rf);
  }

  update(v: View, pass: number): void {
    const col = v.col(this.o.column);
    if (col) this.seen = true;
    const n = v.batch.length;
    const dtype = v.dtype(this.o.column);
    if (pass === 1 && this.passes === 2) {
      if (col && this.o.gather) for (let i = 0; i < n; i++) if (!v.mask || v.mask[i]) this.o.gather(valueAt(col, i), dtype);
      return;
    }
    const c = this.counter;
    for (let i = 0; i < n; i++) {
      if (v.mask && !v.mask[i]) continue;
      c.elements++;
      const val = col ? valueAt(col, i) : null;
      if (val === null && !this.o.allRows) {
        c.missing++;
        continue;
      }
      const row = v.batch.rowStart + i;
      if (!this.test(val, dtype, row)) c.miss(val, () => this.index(v, col, i, row));
    }
  }

  endPass(pass: number): void {
    if (pass === 1 && this.passes === 2) this.o.afterGather?.();
  }

  private index(v: View, col: Column | undefined, i: number, row: number): unknown {
    const names = this.o.rf.indexColumns;
    if (!names) return row;
    const out: Record<string, unknown> = { [this.o.column]: col ? valueAt(col, i) : null };
    for (const n of names) {
      const c = v.col(n);
      out[n] = c ? valueAt(c, i) : row;
    }
    return out;
  }

  finish(ctx: FinishCtx): MapOutcome {
    if (!this.seen && !ctx.columns.includes(this.o.column)) throw new GxError(`KeyError: column "${this.o.column}" not found in the table (columns: ${ctx.columns.join(', ')})`);
    const run = (): MapOutcome => this.counter.format(this.o.mostly, this.o.allRows === true);
    return this.o.override ? this.o.override(ctx, run) : run();
  }
}

type Kwargs = Record<string, unknown>;

export const mostlyOf = (kw: Kwargs): number => (typeof kw.mostly === 'number' ? kw.mostly : 1);
export const columnOf = (kw: Kwargs): string => String(kw.column);

/** A map expectation that asks one question of each value. */
export function simple(test: (v: unknown, dtype: Dtype) => boolean, allRows = false): (kw: Kwargs, rf: ResultFormat) => Evaluator {
  return (kw, rf) => new ColumnMapEval({ column: columnOf(kw), rf, mostly: mostlyOf(kw), allRows }, test);
}
