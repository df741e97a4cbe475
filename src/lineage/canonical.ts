/**
 * RFC 8785 (JCS) for the JSON we write: keys sorted by UTF-16 code units, no whitespace, ES number
 * format. Security never depends on it (DSSE signs bytes); it makes manifests reproducible.
 *
 * JCS is JSON.stringify's output with every object's keys in sorted order, so the fast path is
 * JSON.stringify with a replacer that hands it each object with its keys inserted sorted (six times
 * faster than building the text here, on a 10,000-file manifest). An object with an array-index key
 * ("0", "12") cannot be re-ordered that way (JavaScript lists those first, numerically), so a value
 * holding one is encoded by the recursive encoder instead. Values are JSON data: objects, arrays,
 * strings, finite numbers, booleans, null; `undefined` members are left out, as JSON.stringify does.
 */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

class NeedsRecursive extends Error {}

function sortedKeys(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('JCS: non-finite number');
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Error(`JCS: cannot encode ${typeof v}`);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = keys[i - 1]! < keys[i]!;
  if (inOrder) return o;
  // no prototype: a "__proto__" member stays a member
  const sorted = Object.create(null) as Record<string, unknown>;
  for (const k of keys.sort()) {
    if (INDEX_KEY.test(k)) throw new NeedsRecursive();
    sorted[k] = o[k];
  }
  return sorted;
}

export function canonicalize(v: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(v, sortedKeys);
  } catch (e) {
    if (e instanceof NeedsRecursive) return recursive(v);
    throw e;
  }
  if (s === undefined) throw new Error(`JCS: cannot encode ${typeof v}`);
  return s;
}

function recursive(v: unknown): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('JCS: non-finite number');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map((x) => recursive(x === undefined ? null : x)).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${recursive(o[k])}`).join(',')}}`;
  }
  throw new Error(`JCS: cannot encode ${typeof v}`);
}
