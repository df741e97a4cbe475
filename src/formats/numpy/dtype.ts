/**
 * Bytes per element of a .npy `descr`, as numpy's `dtype()` reads it: a typestr (`<f4`, `|S10`,
 * `<U8` = 4 bytes per character, `<M8[ns]`) or a structured list `[('a', '<f4'), ('b', '<i2', (3,))]`
 * (np.save writes padding as `('', '|V4')` fields, so the fields add up to the itemsize). Unknown
 * forms give undefined: the size check is then skipped, which the scanner reports.
 */

const MAX_FIELDS = 4096;
const MAX_NESTING = 8;

/** `<f4` → 4n; `|b1` → 1n; `<U3` → 12n; undefined when not a typestr numpy accepts. */
export function typestrSize(t: string): bigint | undefined {
  const m = /^[<>|=]?([biufcmMSaUVO])(\d{0,12})(\[\w+\])?$/.exec(t);
  if (!m) return undefined;
  const [, kind, digits] = m as unknown as [string, string, string];
  if (digits === '') return kind === 'O' ? 8n : 'SaUV'.includes(kind) ? 0n : undefined; // np.dtype('S') has itemsize 0
  return kind === 'U' ? BigInt(digits) * 4n : BigInt(digits);
}

/** A tiny reader for the Python literal of a structured descr: strings, ints, tuples, lists. */
type Lit = string | bigint | Lit[];

function parseLiteral(text: string): Lit | undefined {
  let i = 0;
  let count = 0;
  const skip = (): void => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const value = (depth: number): Lit | undefined => {
    skip();
    if (++count > MAX_FIELDS * 4 || depth > MAX_NESTING * 2) return undefined;
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) return undefined;
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    if (ch === '(' || ch === '[') {
      const close = ch === '(' ? ')' : ']';
      i++;
      const items: Lit[] = [];
      for (;;) {
        skip();
        if (text[i] === close) return i++, items;
        const v = value(depth + 1);
        if (v === undefined) return undefined;
        items.push(v);
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== close) return undefined;
      }
    }
    const m = /^\d{1,19}/.exec(text.slice(i, i + 20));
    if (!m) return undefined;
    i += m[0].length;
    return BigInt(m[0]);
  };
  const v = value(0);
  skip();
  return i === text.length ? v : undefined;
}

function litSize(d: Lit, depth: number): bigint | undefined {
  if (typeof d === 'string') return typestrSize(d);
  if (typeof d === 'bigint' || depth > MAX_NESTING || d.length > MAX_FIELDS) return undefined;
  let total = 0n;
  for (const f of d) {
    // a field: (name, dtype) or (name, dtype, shape); name may be (title, name)
    if (!Array.isArray(f) || f.length < 2 || f.length > 3) return undefined;
    const size = litSize(f[1]!, depth + 1);
    if (size === undefined) return undefined;
    let n = 1n;
    const shape = f[2];
    if (typeof shape === 'bigint') n = shape;
    else if (Array.isArray(shape)) for (const x of shape) n *= typeof x === 'bigint' ? x : 0n;
    total += size * n;
  }
  return total;
}

/** Bytes per element of a descr (a typestr, or the text of a structured list). */
export function itemSize(descr: string, structured: boolean): bigint | undefined {
  if (!structured) return typestrSize(descr);
  const lit = parseLiteral(descr.trim());
  return lit === undefined ? undefined : litSize(lit, 0);
}
