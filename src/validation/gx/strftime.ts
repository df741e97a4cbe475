/**
 * Python `datetime.strptime` as a regex with range checks: enough to answer "does this string match
 * this strftime format", which is all GX's expectation asks.
 */
const PARTS: Record<string, [string, [number, number]?]> = {
  Y: ['(\\d{4})', [1, 9999]],
  y: ['(\\d{2})', [0, 99]],
  m: ['(\\d{1,2})', [1, 12]],
  d: ['(\\d{1,2})', [1, 31]],
  H: ['(\\d{1,2})', [0, 23]],
  I: ['(\\d{1,2})', [1, 12]],
  M: ['(\\d{1,2})', [0, 59]],
  S: ['(\\d{1,2})', [0, 61]],
  f: ['(\\d{1,6})', [0, 999999]],
  j: ['(\\d{1,3})', [1, 366]],
  U: ['(\\d{1,2})', [0, 53]],
  W: ['(\\d{1,2})', [0, 53]],
  w: ['([0-6])'],
  a: ['(mon|tue|wed|thu|fri|sat|sun)'],
  A: ['(monday|tuesday|wednesday|thursday|friday|saturday|sunday)'],
  b: ['(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)'],
  B: ['(january|february|march|april|may|june|july|august|september|october|november|december)'],
  p: ['(am|pm)'],
  z: ['([+-]\\d{2}:?\\d{2}(?::?\\d{2})?|Z)?'],
  Z: ['(utc|gmt|[a-z]{3,4})?'],
  '%': ['(%)'],
};

const cache = new Map<string, { re: RegExp; ranges: Array<[number, number] | undefined>; codes: string[] }>();

function compile(fmt: string): { re: RegExp; ranges: Array<[number, number] | undefined>; codes: string[] } {
  const hit = cache.get(fmt);
  if (hit) return hit;
  let src = '^';
  const ranges: Array<[number, number] | undefined> = [];
  const codes: string[] = [];
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c === '%' && i + 1 < fmt.length) {
      const code = fmt[++i]!;
      const part = PARTS[code];
      if (!part) throw new Error(`'${code}' is a bad directive in format '${fmt}'`);
      src += part[0];
      ranges.push(part[1]);
      codes.push(code);
    } else if (/\s/.test(c)) src += '\\s+';
    else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const out = { re: new RegExp(src + '$', 'i'), ranges, codes };
  cache.set(fmt, out);
  return out;
}

export function matchesStrftime(value: string, fmt: string): boolean {
  const { re, ranges, codes } = compile(fmt);
  const m = re.exec(value);
  if (!m) return false;
  const got: Record<string, number> = {};
  for (let k = 0; k < ranges.length; k++) {
    const r = ranges[k];
    const s = m[k + 1];
    if (r && s !== undefined) {
      const n = Number(s);
      if (n < r[0] || n > r[1]) return false;
      got[codes[k]!] = n;
    }
  }
  if (got.d !== undefined && got.m !== undefined) {
    const year = got.Y ?? 1900;
    const dim = new Date(Date.UTC(year, got.m, 0)).getUTCDate();
    if (got.d > dim) return false;
  }
  return true;
}

/** dateutil.parser.parse accepts most human date strings; this accepts what Date.parse or a few common shapes do */
export function dateutilParseable(s: string): boolean {
  const t = s.trim();
  if (t === '' || !/\d/.test(t)) return /^(today|now)$/i.test(t) ? false : false;
  if (!Number.isNaN(Date.parse(t))) return true;
  if (/^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}(?::\d{2}){0,2}(?:\.\d+)?)?$/.test(t)) return true;
  if (/^\d{8}(?:T?\d{4,6})?$/.test(t)) return true;
  return /^\d{1,2}:\d{2}(?::\d{2})?$/.test(t);
}
