/**
 * The Python/pandas view of JS values that GX's semantics depend on: `str(x)`, ordering between
 * numbers, strings and datetimes (mixing them raises, as in Python), and per-column dtype inference.
 */
import type { Column, Dtype } from '../types.js';

export class GxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GxError';
  }
}

/** Python `repr(float)` */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  return String(x).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** `str(value)` as pandas' `astype(str)` would give it, given the column dtype */
export function pyStr(v: unknown, dtype?: Dtype): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return dtype === 'float64' || !Number.isInteger(v) ? pyFloat(v) : String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  return JSON.stringify(v);
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function asDate(v: unknown): number | null {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string' && ISO.test(v)) {
    const t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) || v.length === 10 ? v : v.replace(' ', 'T') + 'Z');
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** Python comparison: numbers with numbers (bools count as ints), strings with strings, datetimes with datetimes */
export function cmp(a: unknown, b: unknown): number {
  const na = typeof a === 'boolean' ? Number(a) : a;
  const nb = typeof b === 'boolean' ? Number(b) : b;
  if (typeof na === 'number' && typeof nb === 'number') return na < nb ? -1 : na > nb ? 1 : 0;
  const da = asDate(na);
  const db = asDate(nb);
  if (da !== null && db !== null && (na instanceof Date || nb instanceof Date || (typeof na === 'string' && typeof nb === 'string'))) {
    return da < db ? -1 : da > db ? 1 : 0;
  }
  if (typeof na === 'string' && typeof nb === 'string') return na < nb ? -1 : na > nb ? 1 : 0;
  throw new GxError(`TypeError: '<' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`);
}

export function pyType(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Date) return 'datetime';
  return 'dict';
}

/** Python equality for set membership: 1 == 1.0 == True */
export function pyKey(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return `\u0001date:${v.getTime()}`;
  if (v !== null && typeof v === 'object') return `\u0001json:${JSON.stringify(v)}`;
  return v;
}

/** Running dtype inference for one column, pandas-style (`pd.DataFrame(records)` / `read_csv`). */
export class DtypeTracker {
  ints = 0;
  floats = 0;
  bools = 0;
  strs = 0;
  others = 0;
  dates = 0;
  nulls = 0;
  declared?: Dtype;

  update(col: Column, length: number): void {
    if (col.declared && !this.declared) this.declared = col.declared;
    if ((col as { floatLiteral?: boolean }).floatLiteral) this.floats++;
    if (col.numeric) {
      const vals = col.values as ArrayLike<number>;
      for (let i = 0; i < length; i++) {
        if ((col.valid && col.valid[i] === 0) || Number.isNaN(vals[i])) this.nulls++;
      }
      if (col.declared === 'float64') this.floats += length;
      else this.ints += length;
      return;
    }
    const vals = col.values;
    for (let i = 0; i < length; i++) {
      const v = vals[i];
      if (v === null || v === undefined || (col.valid && col.valid[i] === 0)) this.nulls++;
      else if (typeof v === 'number') {
        if (Number.isNaN(v)) this.nulls++;
        else if (Number.isInteger(v)) this.ints++;
        else this.floats++;
      } else if (typeof v === 'string') this.strs++;
      else if (typeof v === 'boolean') this.bools++;
      else if (v instanceof Date) this.dates++;
      else this.others++;
    }
  }

  /** rows seen that were missing (absent from a batch counts too) */
  addMissing(n: number): void {
    this.nulls += n;
  }

  get dtype(): Dtype {
    const d = this.declared;
    if (d === 'int64' && this.nulls > 0) return 'float64';
    if (d === 'bool' && this.nulls > 0) return 'object';
    if (d) return d;
    if (this.strs + this.others > 0) return 'object';
    if (this.dates > 0) return this.ints + this.floats + this.bools > 0 ? 'object' : 'datetime64[ns]';
    if (this.bools > 0) return this.ints + this.floats + this.nulls > 0 ? 'object' : 'bool';
    if (this.ints + this.floats > 0) return this.floats > 0 || this.nulls > 0 ? 'float64' : 'int64';
    return 'object';
  }
}

/** numpy's `dtype.type.__name__` as GX reports it in observed_value */
export function dtypeTypeName(d: Dtype): string {
  return { int64: 'int64', float64: 'float64', bool: 'bool_', object: 'object_', 'datetime64[ns]': 'datetime64', null: 'object_' }[d];
}
