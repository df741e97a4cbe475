/**
 * Fast non-cryptographic hashing of cell values into two 32-bit lanes (64 bits in all), used for
 * row identity (duplicates, conflicting labels) and distinct counts. Strings hash by UTF-16 code
 * unit; numbers by their float64 bits, so 1 and 1.0 are the same value, as in pandas.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashString(s: string, seed: number): number {
  let h = seed | 0;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mix(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) h = mix(h, s.charCodeAt(i));
  return fmix(h ^ n);
}

export function hashNumber(x: number, seed: number): number {
  f64[0] = x === 0 ? 0 : x; // -0 and 0 are one value
  return fmix(mix(mix(seed | 0, u32[0]!), u32[1]!) ^ 8);
}

/** a value → [h1, h2]; null → a fixed pair */
export function hashValue(v: unknown, out: [number, number] = [0, 0]): [number, number] {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
    out[0] = 0x6e756c6c;
    out[1] = 0x4e614e21;
  } else if (typeof v === 'number') {
    out[0] = hashNumber(v, 0x12345678);
    out[1] = hashNumber(v, 0x9abcdef1);
  } else if (typeof v === 'boolean') {
    // True == 1 in pandas, so hash booleans as numbers
    out[0] = hashNumber(v ? 1 : 0, 0x12345678);
    out[1] = hashNumber(v ? 1 : 0, 0x9abcdef1);
  } else {
    const s = typeof v === 'string' ? v : v instanceof Date ? `\u0001date:${v.getTime()}` : JSON.stringify(v);
    out[0] = hashString(s, 0x12345678);
    out[1] = hashString(s, 0x9abcdef1);
  }
  return out;
}
