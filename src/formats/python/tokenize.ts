/**
 * A Python tokenizer, after CPython's `tokenize`: names, numbers, strings (every prefix, triple quotes,
 * f-strings with nested expressions and quotes as in 3.12), comments, operators, NEWLINE vs NL inside
 * brackets, and backslash continuations. Enough to read calls and their arguments exactly, which a
 * regex over source cannot (comments, strings that contain code, calls split over lines).
 * Positions are 1-based lines and columns (columns count UTF-16 units, as editors and SARIF do).
 */
export type TokenType = 'NAME' | 'NUMBER' | 'STRING' | 'OP' | 'COMMENT' | 'NEWLINE' | 'NL';

export interface Token {
  type: TokenType;
  /** source text of the token */
  text: string;
  line: number;
  column: number;
  /** decoded value of a non-f string literal */
  value?: string;
  /** lower-case string prefix (`r`, `b`, `f`, `rb`, …) */
  prefix?: string;
}

export class PythonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'PythonSyntaxError';
  }
}

const OPS = [
  '**=', '//=', '>>=', '<<=', '...', '!=', '%=', '&=', '**', '*=', '+=', '-=', '->', '//', '/=', ':=', '<<', '<=', '==', '>=', '>>', '@=', '^=', '|=',
  '!', '%', '&', '(', ')', '*', '+', ',', '-', '.', '/', ':', ';', '<', '=', '>', '@', '[', ']', '^', '{', '|', '}', '~',
];
const ID_START = /[\p{L}\p{Nl}_\u2118\u212e\u309b\u309c]|\u1885|\u1886/u; // U+1885/6 are combining marks: kept out of the class
const ID_CONT = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_\u00b7\u0387\u1369-\u1371\u19da]/u;
const STRING_START = /^([rRbBuUfFtT]{0,2})(['"])/;

export class Tokenizer {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private depth = 0;
  private lineHasCode = false;
  readonly tokens: Token[] = [];

  constructor(private readonly src: string) {}

  private pos(at: number): { line: number; column: number } {
    return { line: this.line, column: at - this.lineStart + 1 };
  }

  private newline(at: number): void {
    this.line++;
    this.lineStart = at;
  }

  run(): Token[] {
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '\n' || c === '\r') {
        const p = this.pos(this.i);
        const len = c === '\r' && s[this.i + 1] === '\n' ? 2 : 1;
        this.tokens.push({ type: this.depth === 0 && this.lineHasCode ? 'NEWLINE' : 'NL', text: '\n', ...p });
        this.i += len;
        this.newline(this.i);
        if (this.depth === 0) this.lineHasCode = false;
      } else if (c === ' ' || c === '\t' || c === '\f') {
        this.i++;
      } else if (c === '\\' && (s[this.i + 1] === '\n' || s[this.i + 1] === '\r')) {
        this.i += s[this.i + 1] === '\r' && s[this.i + 2] === '\n' ? 3 : 2;
        this.newline(this.i);
      } else if (c === '#') {
        const end = s.slice(this.i).search(/[\r\n]/);
        const stop = end < 0 ? s.length : this.i + end;
        this.tokens.push({ type: 'COMMENT', text: s.slice(this.i, stop), ...this.pos(this.i) });
        this.i = stop;
      } else {
        this.lineHasCode = true;
        this.token();
      }
    }
    if (this.lineHasCode) this.tokens.push({ type: 'NEWLINE', text: '', ...this.pos(this.i) });
    return this.tokens;
  }

  private token(): void {
    const s = this.src;
    const start = this.i;
    const p = this.pos(start);
    const m = STRING_START.exec(s.slice(start, start + 4));
    if (m && (m[1] === '' || /^(r|u|b|f|t|br|rb|fr|rf|tr|rt)$/i.test(m[1]!))) {
      const tok = this.string(start, m[1]!.toLowerCase(), m[2]!);
      this.tokens.push({ ...tok, ...p });
      return;
    }
    const c = s[start]!;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[start + 1] ?? ''))) {
      const num = /^(?:0[xXoObB][0-9a-fA-F_]+|[0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?[jJ]?)/.exec(s.slice(start))![0];
      this.i += Math.max(1, num.length);
      this.tokens.push({ type: 'NUMBER', text: s.slice(start, this.i), ...p });
      return;
    }
    if (ID_START.test(c)) {
      let j = start + 1;
      while (j < s.length && ID_CONT.test(s[j]!)) j++;
      this.i = j;
      this.tokens.push({ type: 'NAME', text: s.slice(start, j), ...p });
      return;
    }
    const op = OPS.find((o) => s.startsWith(o, start));
    if (!op) throw new PythonSyntaxError(`invalid character ${JSON.stringify(c)}`, p.line, p.column);
    if ('([{'.includes(op)) this.depth++;
    else if (')]}'.includes(op)) this.depth = Math.max(0, this.depth - 1);
    this.i += op.length;
    this.tokens.push({ type: 'OP', text: op, ...p });
  }

  /** Scan a string literal starting at `start` (prefix included); f-strings recurse into `{…}`. */
  private string(start: number, prefix: string, q: string): Omit<Token, 'line' | 'column'> {
    const s = this.src;
    const p = this.pos(start);
    let j = start + prefix.length;
    const triple = s.startsWith(q.repeat(3), j);
    const close = triple ? q.repeat(3) : q;
    j += close.length;
    const bodyStart = j;
    const raw = prefix.includes('r');
    const fmt = prefix.includes('f') || prefix.includes('t');
    for (;;) {
      if (j >= s.length) throw new PythonSyntaxError('unterminated string literal', p.line, p.column);
      const c = s[j]!;
      if (s.startsWith(close, j)) break;
      if (c === '\\') {
        if (s[j + 1] === '\n' || (s[j + 1] === '\r' && s[j + 2] !== '\n')) this.newline(j + 2);
        else if (s[j + 1] === '\r') this.newline(j + 3);
        j += s[j + 1] === '\r' && s[j + 2] === '\n' ? 3 : 2;
        continue;
      }
      if (c === '\n' || c === '\r') {
        if (!triple) throw new PythonSyntaxError('unterminated string literal', p.line, p.column);
        j += c === '\r' && s[j + 1] === '\n' ? 2 : 1;
        this.newline(j);
        continue;
      }
      if (fmt && c === '{') {
        if (s[j + 1] === '{') j += 2;
        else j = this.fExpr(j + 1);
        continue;
      }
      j++;
    }
    const body = s.slice(bodyStart, j);
    this.i = j + close.length;
    const text = s.slice(start, this.i);
    return { type: 'STRING', text, prefix, ...(fmt ? {} : { value: raw ? body : unescape(body) }) };
  }

  /** Skip an f-string replacement field up to its closing `}`; returns the index after it. */
  private fExpr(from: number): number {
    const s = this.src;
    let depth = 0;
    let j = from;
    while (j < s.length) {
      const c = s[j]!;
      const m = STRING_START.exec(s.slice(j, j + 4));
      if (m && (m[1] === '' || /^(r|u|b|f|t|br|rb|fr|rf)$/i.test(m[1]!)) && (m[1] === '' || !ID_CONT.test(s[j - 1] ?? ''))) {
        const save = this.i;
        this.string(j, m[1]!.toLowerCase(), m[2]!);
        j = this.i;
        this.i = save;
        continue;
      }
      if (c === '\n') this.newline(j + 1);
      if ('([{'.includes(c)) depth++;
      else if (')]'.includes(c)) depth--;
      else if (c === '}') {
        if (depth === 0) return j + 1;
        depth--;
      }
      j++;
    }
    return j;
  }
}

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

/** Decode Python escape sequences (non-raw literals). */
export function unescape(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|\r\n|[\s\S])/g, (all, e: string) => {
    if (e in SIMPLE) return SIMPLE[e]!;
    if (e === '\r\n') return '';
    if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return all; // unknown escapes stay as written, as in Python
  });
}

export function tokenize(src: string): Token[] {
  return new Tokenizer(src).run();
}
