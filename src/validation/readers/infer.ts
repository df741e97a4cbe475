/**
 * CSV value typing, as pandas' `read_csv` would see it, decided per value so a streaming reader
 * never looks back: empty → null, integer/float literals → number, True/False → boolean, anything
 * else stays text. `--csv-type col=string` (or `csvInfer: false`) turns it off per column or for all.
 */
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;
const NULLS = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '<NA>', 'n/a', '#N/A', '-NaN', '-nan']);

export type CsvType = 'string' | 'number' | 'boolean' | 'auto';

export interface Typed {
  value: unknown;
  float: boolean;
}

export function typeCsvValue(s: string, t: CsvType): Typed {
  if (t === 'string') return { value: s, float: false };
  if (NULLS.has(s)) return { value: null, float: false };
  const c = s.charCodeAt(0);
  // fast reject: numbers start with a digit, sign, dot, or i/n (inf, nan)
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 105 || c === 73) {
    if (INT.test(s)) {
      const n = Number(s);
      if (Number.isSafeInteger(n) || t === 'number') return { value: n, float: false };
    } else if (FLOAT.test(s)) {
      return { value: parseFloatLiteral(s), float: true };
    }
  }
  if (t === 'number') return { value: null, float: false };
  if (s === 'True' || s === 'TRUE' || s === 'true') return { value: true, float: false };
  if (s === 'False' || s === 'FALSE' || s === 'false') return { value: false, float: false };
  return { value: s, float: false };
}

function parseFloatLiteral(s: string): number {
  const l = s.toLowerCase().replace(/^\+/, '');
  if (l === 'inf' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return Number(s);
}
