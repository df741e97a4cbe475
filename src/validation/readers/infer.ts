/**
 * CSV value typing, as pandas' `read_csv` would see it, decided per value so a streaming reader
 * never looks back: empty → null, integer/float literals → number, True/False → boolean, anything
 * else stays text. `--csv-type col=string` (or `csvInfer: false`) turns it off per column or for all.
 */
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;
const NULLS = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '<NA>', 'n/a', '#N/A', '-NaN', '-nan']);

export type CsvType = 'string' | 'number' | 'boolean' | 'auto';

/** Whether the last `typeCsv` value was written as a float literal (a decimal point or exponent). */
export const csvFloat = { last: false };

/** A CSV value typed (no object per value: a CSV has millions of cells); whether it was a float literal is in `csvFloat.last`. */
export function typeCsv(s: string, t: CsvType): unknown {
  csvFloat.last = false;
  if (t === 'string') return s;
  if (NULLS.has(s)) return null;
  const c = s.charCodeAt(0);
  // fast reject: numbers start with a digit, sign, dot, or i/n (inf, nan)
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 105 || c === 73) {
    if (INT.test(s)) {
      const n = Number(s);
      if (Number.isSafeInteger(n) || t === 'number') return n;
    } else if (FLOAT.test(s)) {
      csvFloat.last = true;
      return parseFloatLiteral(s);
    }
  }
  if (t === 'number') return null;
  if (s === 'True' || s === 'TRUE' || s === 'true') return true;
  if (s === 'False' || s === 'FALSE' || s === 'false') return false;
  return s;
}

function parseFloatLiteral(s: string): number {
  const l = s.toLowerCase().replace(/^\+/, '');
  if (l === 'inf' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return Number(s);
}
