/**
 * `row_condition` for two parsers:
 * - `great_expectations`: `col("x") > 5`, `col("s") == "abc"`, `col("d") >= date("2020-01-01")`, `col("x").notnull()`,
 *   joined with `&` / `|` (GX's grammar, `expectations/row_conditions.py`);
 * - `pandas`: a documented subset of `DataFrame.query`: `x == 1`, `y != "a"`, `a!=1 & b<0.8`, parentheses, `~`,
 *   `and`/`or`/`not`. Anything else is rejected rather than guessed.
 */
import { MlvetError } from '../../errors.js';

export type RowPred = (get: (col: string) => unknown) => boolean;

type Tok = { t: 'id' | 'num' | 'str' | 'op' | 'p'; v: string };

function lex(src: string): Tok[] {
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(==|!=|>=|<=|>|<|&|\||~)|([()[\].,])|([A-Za-z_][\w]*|`[^`]+`))/y;
  const out: Tok[] = [];
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    if (m[1]) out.push({ t: 'num', v: m[1] });
    else if (m[2]) out.push({ t: 'str', v: m[2].slice(1, -1).replace(/\\(.)/g, '$1') });
    else if (m[3]) out.push({ t: 'op', v: m[3] });
    else if (m[4]) out.push({ t: 'p', v: m[4] });
    else if (m[5]) out.push({ t: 'id', v: m[5].replace(/^`|`$/g, '') });
  }
  if (src.slice(re.lastIndex).trim() !== '') throw new Error(`cannot read "${src.slice(re.lastIndex)}"`);
  return out;
}

function compare(a: unknown, op: string, b: unknown): boolean {
  if (a === null || a === undefined || (typeof a === 'number' && Number.isNaN(a))) return op === '!=';
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  if (typeof a !== typeof b && !(a instanceof Date)) return false;
  const x = a instanceof Date ? a.getTime() : (a as number);
  const y = b instanceof Date ? b.getTime() : (b as number);
  return op === '>' ? x > y : op === '<' ? x < y : op === '>=' ? x >= y : x <= y;
}

export function parseRowCondition(src: string, parser: string | undefined): RowPred {
  let toks: Tok[];
  try {
    toks = lex(src);
  } catch (e) {
    throw new MlvetError('SUITE_INVALID', `row_condition ${JSON.stringify(src)}: ${(e as Error).message}`);
  }
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const fail = (why: string): never => {
    throw new MlvetError('SUITE_INVALID', `row_condition ${JSON.stringify(src)} (${parser ?? 'pandas'}): ${why}; see docs/validation.md for the supported subset`);
  };
  const literal = (): unknown => {
    const t = toks[p++] ?? fail('expected a value');
    if (t.t === 'num') return Number(t.v);
    if (t.t === 'str') return t.v;
    if (t.t === 'op' && t.v === '~') return fail('unexpected ~');
    if (t.t === 'id' && (t.v === 'True' || t.v === 'False')) return t.v === 'True';
    if (t.t === 'id' && t.v === 'date' && toks[p]?.v === '(') {
      p++;
      const s = toks[p++];
      if (toks[p++]?.v !== ')' || s?.t !== 'str') fail('bad date(...)');
      return new Date(s!.v);
    }
    if (t.t === 'p' && t.v === '-' ) return -Number(toks[p++]?.v);
    return fail(`unexpected "${t.v}"`);
  };
  const column = (): string => {
    const t = toks[p++] ?? fail('expected a column');
    if (t.t === 'id' && t.v === 'col' && toks[p]?.v === '(') {
      p++;
      const name = toks[p++];
      if (name?.t !== 'str' || toks[p++]?.v !== ')') fail('bad col(...)');
      return name!.v;
    }
    if (t.t === 'id') return t.v;
    return fail(`expected a column, found "${t.v}"`);
  };
  const comparison = (): RowPred => {
    const t = peek();
    if (t?.v === '(') {
      p++;
      const inner = or();
      if (toks[p++]?.v !== ')') fail('missing )');
      return inner;
    }
    if (t?.v === '~' || t?.v === 'not') {
      p++;
      const inner = comparison();
      return (g) => !inner(g);
    }
    const name = column();
    if (peek()?.v === '.') {
      p++;
      const fn = toks[p++]?.v;
      if (toks[p++]?.v !== '(' || toks[p++]?.v !== ')') fail('bad method call');
      if (fn === 'notnull' || fn === 'notna') return (g) => !isNull(g(name));
      if (fn === 'isnull' || fn === 'isna') return (g) => isNull(g(name));
      fail(`unsupported method ${fn}()`);
    }
    const op = toks[p++];
    if (op?.t !== 'op' || ['&', '|', '~'].includes(op.v)) fail('expected a comparison operator');
    let neg = false;
    if (peek()?.t === 'op' && peek()?.v === '-') neg = true;
    const value = literal();
    const v = neg && typeof value === 'number' ? -value : value;
    return (g) => compare(g(name), op!.v, v);
  };
  const and = (): RowPred => {
    let left = comparison();
    while (peek()?.v === '&' || peek()?.v === 'and') {
      p++;
      const l = left;
      const r = comparison();
      left = (g) => l(g) && r(g);
    }
    return left;
  };
  const or = (): RowPred => {
    let left = and();
    while (peek()?.v === '|' || peek()?.v === 'or') {
      p++;
      const l = left;
      const r = and();
      left = (g) => l(g) || r(g);
    }
    return left;
  };
  const pred = or();
  if (p !== toks.length) fail(`unexpected "${toks[p]!.v}"`);
  return pred;
}

function isNull(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}
