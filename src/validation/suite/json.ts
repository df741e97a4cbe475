/**
 * Python's `json` module reads and writes bare `NaN`, `Infinity` and `-Infinity` (GX partition
 * objects contain them), so a GX-compatible reader must accept them. JSON.parse does not: swap them
 * for sentinels outside strings, then revive.
 */
const SENTINEL = { NaN: '\u0000mlvet:NaN', Infinity: '\u0000mlvet:Inf', '-Infinity': '\u0000mlvet:-Inf' } as const;

export function parseJsonLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    /* fall through to the tolerant path */
  }
  let out = '';
  let i = 0;
  let inStr = false;
  while (i < text.length) {
    const c = text[i]!;
    if (inStr) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inStr = false;
      i++;
      continue;
    }
    if (c === '"') inStr = true;
    const rest = text.startsWith('-Infinity', i) ? '-Infinity' : text.startsWith('Infinity', i) ? 'Infinity' : text.startsWith('NaN', i) ? 'NaN' : null;
    if (rest) {
      out += JSON.stringify(SENTINEL[rest]);
      i += rest.length;
      continue;
    }
    out += c;
    i++;
  }
  return JSON.parse(out, (_k, v: unknown) => {
    if (v === SENTINEL.NaN) return NaN;
    if (v === SENTINEL.Infinity) return Infinity;
    if (v === SENTINEL['-Infinity']) return -Infinity;
    return v;
  });
}

/** JSON.stringify writes NaN/Infinity as null; Python's json writes them bare. Match Python. */
export function stringifyPy(value: unknown, indent = 2): string {
  const s = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? SENTINEL.NaN : v > 0 ? SENTINEL.Infinity : SENTINEL['-Infinity'];
    return v;
  }, indent);
  return s
    .replaceAll(JSON.stringify(SENTINEL.NaN), 'NaN')
    .replaceAll(JSON.stringify(SENTINEL.Infinity), 'Infinity')
    .replaceAll(JSON.stringify(SENTINEL['-Infinity']), '-Infinity');
}
