/**
 * Python `re` patterns → JavaScript RegExp, for GX's regex expectations (pandas `str.contains`, a
 * search). Differences handled: leading inline flags `(?aiLmsux)`, `(?P<n>…)`/`(?P=n)`, `\A`, `\Z`,
 * Python's `$` (also before a final newline), Unicode-aware `\w \d \s \b` (Python 3 str patterns),
 * and Python's permissive escapes of punctuation. Anything that cannot be translated is an error.
 */
import { MlvetError } from '../../errors.js';

const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
const cache = new Map<string, RegExp>();

export function pyRegex(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let src = pattern;
  const flags = new Set<string>();
  for (;;) {
    const m = /^\(\?([aiLmsux]+)\)/.exec(src);
    if (!m) break;
    for (const f of m[1]!) flags.add(f);
    src = src.slice(m[0].length);
  }
  if (flags.has('x')) src = stripVerbose(src);
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
    const re = new RegExp(out, jsFlags);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
    return re;
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
