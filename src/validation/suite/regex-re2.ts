/**
 * Python `re` → RE2 syntax, for the patterns RE2 can match in linear time. A GX suite is input (CI
 * validates suites from pull requests), so `^(a+)+$` must not be able to stop a run. Anything that
 * needs backtracking (backreferences, lookaround, scoped flags, `\u` escapes) returns undefined and
 * goes to the budgeted JS engine instead (regex-budget.ts). Python's meaning is kept:
 * `$` is end or before a final newline (as a trailing `\n?\z`, only where `$` ends the pattern or a
 * top-level alternative), `\Z` is `\z`, `\w \d` are Unicode, `.` excludes only `\n`.
 */

/** JS's `\s` set, which the JS translation uses; spelled out because RE2's `\s` is ASCII only */
const SPACE = '\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
const PUNCT = /[!-/:-@[-`{-~]/;
const CONTROL: Record<string, string> = { n: '\\n', t: '\\t', r: '\\r', f: '\\f', v: '\\v', a: '\\a' };

export interface Re2Source {
  source: string;
  /** Python flags that RE2 takes as flags: i, s, m */
  flags: Set<string>;
}

function classEscape(n: string, ascii: boolean): string | undefined {
  if (!ascii && n === 'w') return '\\p{L}\\p{N}_';
  if (!ascii && n === 'd') return '\\p{Nd}';
  if (!ascii && n === 'D') return '\\P{Nd}';
  if (n === 's') return SPACE;
  if (n === 'b') return '\\x08';
  if (n === 'w' || n === 'd' || n === 'D' || n === 'W') return `\\${n}`;
  return undefined;
}

function outerEscape(n: string, ascii: boolean): string | undefined {
  if (!ascii && n === 'w') return '[\\p{L}\\p{N}_]';
  if (!ascii && n === 'W') return '[^\\p{L}\\p{N}_]';
  if (!ascii && n === 'd') return '\\p{Nd}';
  if (!ascii && n === 'D') return '\\P{Nd}';
  if (n === 's') return `[${SPACE}]`;
  if (n === 'S') return `[^${SPACE}]`;
  if (n === 'A') return '\\A';
  if (n === 'Z') return '\\z';
  if ('wWdDbB'.includes(n)) return `\\${n}`;
  return undefined;
}

function escapeRe2(n: string, inClass: boolean, ascii: boolean): string | undefined {
  const special = inClass ? classEscape(n, ascii) : outerEscape(n, ascii);
  if (special !== undefined) return special;
  if (CONTROL[n]) return CONTROL[n];
  if (n === 'x') return '\\x';
  // digits are backreferences or octal; other letters (\u, \N, \g, \S in a class) need the JS engine
  if (/[0-9a-zA-Z]/.test(n)) return undefined;
  return PUNCT.test(n) ? `\\${n}` : n;
}

/** The RE2 form of an already flag-stripped (and, for `x`, whitespace-stripped) Python pattern. */
export function toRe2(src: string, flags: ReadonlySet<string>): Re2Source | undefined {
  const ascii = flags.has('a');
  const multiline = flags.has('m');
  let out = '';
  let inClass = false;
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[++i];
      const e = n === undefined ? undefined : escapeRe2(n, inClass, ascii);
      if (e === undefined) return undefined;
      out += e;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += '\\' + src[++i]!;
    } else if (c === '(') {
      depth++;
      const open = src[i + 1] !== '?' ? '(' : ['(?:', '(?P<'].find((o) => src.startsWith(o, i));
      if (open === undefined) return undefined;
      out += open;
      i += open.length - 1;
    } else if (c === ')') {
      depth--;
      out += c;
    } else if (c === '$' && !multiline) {
      // consuming the final newline is the same as asserting before it, but only where nothing follows
      if (!(i === src.length - 1 || (depth === 0 && src[i + 1] === '|'))) return undefined;
      out += '(?:\\n?\\z)';
    } else out += c;
  }
  return { source: out, flags: new Set([...flags].filter((f) => 'ism'.includes(f))) };
}
