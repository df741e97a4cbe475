/**
 * A bounded walk over JSON text that `JSON.parse` cannot do for us: it reports keys that appear twice
 * in one object (JSON.parse keeps the last silently; parsers that keep the first see other weights, a
 * classic differential) and where the first top-level value ends (so a header whose declared length
 * lies can still be read up to its closing brace). Keys are compared decoded, so `"a"` and `"\u0061"`
 * are the same key. One pass, no recursion, depth and report count bounded.
 */

export interface DuplicateKey {
  /** the duplicated key, decoded */
  key: string;
  /** keys of the enclosing objects, outermost first ([] for the top level) */
  path: string[];
  /** offset of the repeated occurrence inside the text */
  offset: number;
}

export interface KeyWalk {
  duplicates: DuplicateKey[];
  /** index just past the first complete top-level value, or undefined when the text ends first */
  end?: number;
  /** nesting went deeper than the walk follows: the rest was not checked */
  tooDeep: boolean;
}

const MAX_DEPTH = 64;
const MAX_REPORTED = 20;
const MAX_KEY = 4096;

interface Frame {
  keys: Set<string> | undefined; // undefined for an array
  key: string;
  expectKey: boolean;
}

/** Index just past the string starting at the quote at `i`, or -1 when the text ends first. */
function stringEnd(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    const ch = t.charCodeAt(j);
    if (ch === 0x5c) j++; // backslash: skip the escaped character
    else if (ch === 0x22) return j + 1;
  }
  return -1;
}

function decodeKey(raw: string): string {
  if (raw.length > MAX_KEY || !raw.includes('\\')) return raw.slice(1, -1);
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.slice(1, -1); // an invalid escape: the text is not JSON anyway, compare it raw
  }
}

export function walkKeys(text: string): KeyWalk {
  const out: KeyWalk = { duplicates: [], tooDeep: false };
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return out;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = decodeKey(text.slice(i, end));
        if (top.keys.has(key) && out.duplicates.length < MAX_REPORTED) out.duplicates.push({ key, path: stack.slice(0, -1).map((f) => (f.keys ? f.key : '[]')), offset: i });
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end - 1;
    } else if (ch === '{' || ch === '[') {
      if (stack.length >= MAX_DEPTH) return { ...out, tooDeep: true };
      stack.push({ keys: ch === '{' ? new Set() : undefined, key: '', expectKey: ch === '{' });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      if (stack.length === 0) return { ...out, end: i + 1 };
    } else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    }
  }
  return out;
}
