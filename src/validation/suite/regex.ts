/**
 * Python `re` patterns → a matcher: RE2 (linear time, regex-re2.ts) when the pattern allows it, else
 * JavaScript RegExp on a budgeted worker (regex-budget.ts). The JS translation is below, for GX's regex expectations (pandas `str.contains`, a
 * search). Differences handled: leading inline flags `(?aiLmsux)`, `(?P<n>…)`/`(?P=n)`, `\A`, `\Z`,
 * Python's `$` (also before a final newline), Unicode-aware `\w \d \s \b` (Python 3 str patterns),
 * and Python's permissive escapes of punctuation. Anything that cannot be translated is an error.
 */
import { RE2JS } from 're2js';
import { MlvetError } from '../../errors.js';
import { budgetedRegex } from './regex-budget.js';
import { toRe2 } from './regex-re2.js';

const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);

export interface PyMatcher {
  /** Python `re.search(pattern, value) is not None` */
  test(value: string): boolean;
  /** which engine runs it: RE2 (linear time) or budgeted backtracking */
  readonly engine: 're2' | 'js';
}

const RE2_FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, s: RE2JS.DOTALL, m: RE2JS.MULTILINE };

/**
 * A matcher for a Python pattern; `name` (the expectation and column) goes into a budget overrun's
 * error. Untranslatable patterns are SUITE_INVALID, as before RE2 existed.
 */
export function pyRegex(pattern: string, name = 'regex'): PyMatcher {
  const { src, flags } = pyFlags(pattern);
  const js = jsRegex(pattern, src, flags);
  const re2 = toRe2(src, flags);
  if (re2) {
    try {
      const re = RE2JS.compile(re2.source, [...re2.flags].reduce((a, f) => a | (RE2_FLAGS[f] ?? 0), 0));
      return { engine: 're2', test: remembered((v) => re.test(v)) };
    } catch {
      // RE2 refuses some Python syntax (repeat counts over 1000, POSIX classes): the JS engine runs it
    }
  }
  const budgeted = budgetedRegex(js.source, js.flags, `${name} ${JSON.stringify(pattern).slice(0, 200)}`);
  return { engine: 'js', test: remembered((v) => budgeted.test(v)) };
}

const MEMO_VALUES = 4096;
const MEMO_MAX_LENGTH = 256;

/**
 * The answers for the first MEMO_VALUES distinct short values, per matcher: a column of category
 * labels asks the same few hundred values millions of times, and RE2 in JS costs ~0.4 µs a value
 * (a regex expectation over 1M airport codes: most of a GX suite's time). Once the memo is full and
 * fewer than a quarter of the values were found in it (near-unique text), it is not consulted again.
 */
function remembered(test: (v: string) => boolean): (v: string) => boolean {
  const memo = new Map<string, boolean>();
  let asked = 0;
  let found = 0;
  let on = true;
  return (v) => {
    if (!on || v.length > MEMO_MAX_LENGTH) return test(v);
    asked++;
    const got = memo.get(v);
    if (got !== undefined) {
      found++;
      return got;
    }
    const r = test(v);
    if (memo.size < MEMO_VALUES) memo.set(v, r);
    else if (found < asked / 4) on = false;
    return r;
  };
}

function pyFlags(pattern: string): { src: string; flags: Set<string> } {
  let src = pattern;
  const flags = new Set<string>();
  for (;;) {
    const m = /^\(\?([aiLmsux]+)\)/.exec(src);
    if (!m) break;
    for (const f of m[1]!) flags.add(f);
    src = src.slice(m[0].length);
  }
  if (flags.has('x')) src = stripVerbose(src);
  return { src, flags };
}

/** The JS RegExp translation (also the syntax check: anything it cannot take is SUITE_INVALID). */
export function jsRegex(pattern: string, src: string, flags: ReadonlySet<string>): RegExp {
  const ascii = flags.has('a');
  const multiline = flags.has('m');
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      i++;
      if (n === undefined) throw bad(pattern, 'trailing backslash');
      out += escape(n, inClass, ascii, multiline);
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '/' ? '\\/' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += '\\' + src[++i]!; // Python allows a literal ] first in a class
      continue;
    }
    if (c === '(' && src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && src.startsWith('(?P=', i)) {
      const end = src.indexOf(')', i);
      out += `\\k<${src.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    if (c === '$' && !multiline) {
      out += '(?=\\n?(?![\\s\\S]))';
      continue;
    }
    out += c;
  }
  const jsFlags = 'u' + (flags.has('i') ? 'i' : '') + (flags.has('s') ? 's' : '') + (multiline ? 'm' : '');
  try {
    return new RegExp(out, jsFlags);
  } catch (e) {
    throw bad(pattern, (e as Error).message);
  }
}

function escape(n: string, inClass: boolean, ascii: boolean, multiline: boolean): string {
  if (!ascii) {
    if (n === 'w') return inClass ? '\\p{L}\\p{N}_' : '[\\p{L}\\p{N}_]';
    if (n === 'W') return inClass ? '\\W' : '[^\\p{L}\\p{N}_]';
    if (n === 'd') return inClass ? '\\p{Nd}' : '\\p{Nd}';
    if (n === 'D') return inClass ? '\\P{Nd}' : '\\P{Nd}';
  }
  if (n === 'A' && !inClass) return multiline ? '(?<![\\s\\S])' : '^';
  if (n === 'Z' && !inClass) return '(?![\\s\\S])';
  if (/[0-9a-zA-Z]/.test(n)) return '\\' + n;
  if (SYNTAX.has(n) || (inClass && (n === '-' || n === ']' || n === '^'))) return '\\' + n;
  // Python lets any punctuation be escaped; with the u flag JS does not
  return n;
}

function stripVerbose(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      out += c + (src[++i] ?? '');
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

function bad(pattern: string, why: string): MlvetError {
  return new MlvetError('SUITE_INVALID', `regex ${JSON.stringify(pattern)} cannot be used: ${why}`);
}
