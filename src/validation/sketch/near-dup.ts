/**
 * Near-duplicate values of a text column (issue 13): MinHash signatures of each distinct normalised value
 * and LSH banding to find candidate pairs, confirmed by the signatures' agreement (estimated Jaccard).
 * Fed (value, count), so the DuckDB engine (once per distinct string) and the streaming loop (once per
 * row) give the same answer. The statistic is the share of rows whose value is a near-duplicate of
 * another distinct value; exact repeats of one value are the duplicate check's, never counted here.
 *
 * Shingles: distinct words of `normaliseText` for values under 30 words (one edited word in a 9-word
 * text leaves unigram Jaccard 0.8; word 3-shingles would need 29 words), word 3-shingles from 30 words
 * (order matters in long text); the first 256 words only. A candidate pair is confirmed by the exact
 * Jaccard of its word sets when both are short (a 3-word name has coarse similarities, 2/3 or 3/4, that
 * 64 hashes would now and then read as 0.8) and by the signatures' agreement otherwise. Bounded: at most `cap` distinct values are
 * judged, those whose hash falls under a threshold that halves whenever the cap is passed (a
 * deterministic, order-free sample of the distinct values); then `approximate` is set. A pair survives
 * the sample only when both values do, so a sampled share under-reads the batch's.
 */
import { fmix, hashString, mix } from './hash.js';
import { normaliseText } from '../profile/text.js';

const HASHES = 64;
const BANDS = 16;
const ROWS = HASHES / BANDS;
const MAX_WORDS = 256;
const SHINGLE_FROM = 30;
/** candidates compared per value per bucket: a large bucket (many copies) is not compared pairwise */
const PER_BUCKET = 8;
/** distinct values judged at most (the index of a value stays below it) */
const INDEX_SPAN = 2 ** 17;
const SEEDS = Int32Array.from({ length: HASHES }, (_, i) => fmix(Math.imul(i + 1, 0x9e3779b9)) | 0);

export interface NearDupResult {
  /** rows (counts) whose value has a near-duplicate among the other distinct values judged */
  nearDupRows: number;
  /** rows judged (all non-missing rows unless sampled) */
  n: number;
  /** distinct values judged */
  distinct: number;
  approximate: boolean;
  /** up to 5 pairs, each value cut to 80 characters */
  examples: Array<[string, string]>;
}

interface Entry {
  key: string;
  hash: number;
  count: number;
  text: string;
  sig: Int32Array | null;
  /** a short text's distinct word hashes, sorted (for the exact confirmation) */
  words: Int32Array | null;
}

/** MinHash signature of a normalised text and, when short, its sorted distinct word hashes; null when it has no words */
export function signature(norm: string): { sig: Int32Array; words: Int32Array | null } | null {
  const words = norm ? norm.split(' ', MAX_WORDS) : [];
  if (words.length === 0) return null;
  const sig = new Int32Array(HASHES);
  // a repeated shingle changes no minimum: no set needed
  const wh = new Int32Array(words.length);
  for (let k = 0; k < words.length; k++) wh[k] = hashString(words[k]!, 0x2545f491) | 0;
  const long = wh.length >= SHINGLE_FROM;
  let shingles = wh;
  if (long) {
    shingles = new Int32Array(wh.length - 2);
    for (let s = 0; s < shingles.length; s++) shingles[s] = mix(mix(wh[s]!, wh[s + 1]!), wh[s + 2]!);
  }
  // four hash functions at a time over every shingle: four independent chains, their minima in registers
  const n = shingles.length;
  for (let i = 0; i < HASHES; i += 4) {
    const s0 = SEEDS[i]!;
    const s1 = SEEDS[i + 1]!;
    const s2 = SEEDS[i + 2]!;
    const s3 = SEEDS[i + 3]!;
    let m0 = 0x7fffffff;
    let m1 = 0x7fffffff;
    let m2 = 0x7fffffff;
    let m3 = 0x7fffffff;
    for (let s = 0; s < n; s++) {
      const x = shingles[s]!;
      const h0 = fmix32(x ^ s0);
      const h1 = fmix32(x ^ s1);
      const h2 = fmix32(x ^ s2);
      const h3 = fmix32(x ^ s3);
      if (h0 < m0) m0 = h0;
      if (h1 < m1) m1 = h1;
      if (h2 < m2) m2 = h2;
      if (h3 < m3) m3 = h3;
    }
    sig[i] = m0;
    sig[i + 1] = m1;
    sig[i + 2] = m2;
    sig[i + 3] = m3;
  }
  return { sig, words: long ? null : sortedDistinct(wh) };
}

/** murmur3's finaliser on an int32, as an int32 (signed order is as good a permutation as unsigned) */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** the distinct values of `xs` (fewer than SHINGLE_FROM), ascending (a copy sorted and deduplicated in place: no Set) */
function sortedDistinct(xs: Int32Array): Int32Array {
  const c = xs.slice();
  // insertion sort: these sets have under SHINGLE_FROM words, where TypedArray#sort's set-up costs more than the sort
  for (let i = 1; i < c.length; i++) {
    const v = c[i]!;
    let j = i - 1;
    for (; j >= 0 && c[j]! > v; j--) c[j + 1] = c[j]!;
    c[j + 1] = v;
  }
  let k = 0;
  for (let i = 0; i < c.length; i++) if (i === 0 || c[i] !== c[k - 1]) c[k++] = c[i]!;
  return c.subarray(0, k);
}

const DIGIT_BITS = 11;
const DIGITS = 1 << DIGIT_BITS;
const counts = new Int32Array(DIGITS);

/**
 * `order` := 0 … n-1 sorted by `keys[i]` (unsigned 32 bits), ties in ascending index: an LSD radix sort in
 * three stable passes of 11 bits (`scratch` as long as `order`). The order a sort of key · 2^17 + index
 * gives, at a tenth of the time of sorting those as doubles.
 */
function sortByKey(keys: Uint32Array, order: Int32Array, scratch: Int32Array): void {
  const n = order.length;
  for (let i = 0; i < n; i++) order[i] = i;
  let from = order;
  let to = scratch;
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    counts.fill(0);
    for (let p = 0; p < n; p++) counts[(keys[from[p]!]! >>> shift) & (DIGITS - 1)]!++;
    for (let d = 0, at = 0; d < DIGITS; d++) {
      const c = counts[d]!;
      counts[d] = at;
      at += c;
    }
    for (let p = 0; p < n; p++) {
      const i = from[p]!;
      to[counts[(keys[i]! >>> shift) & (DIGITS - 1)]!++] = i;
    }
    [from, to] = [to, from];
  }
  // three passes leave the result in `scratch`
  if (from !== order) order.set(from);
}

/** exact Jaccard similarity of two sorted sets, words[a, a + na) and words[b, b + nb) */
function jaccardAt(words: Int32Array, a: number, na: number, b: number, nb: number): number {
  const ea = a + na;
  const eb = b + nb;
  let both = 0;
  while (a < ea && b < eb) {
    const x = words[a]!;
    const y = words[b]!;
    if (x === y) {
      both++;
      a++;
      b++;
    } else if (x < y) a++;
    else b++;
  }
  return both / (na + nb - both);
}

export class NearDupSketch {
  private readonly entries = new Map<string, Entry>();
  /** values hashing at or above this are not judged (2^32: all are) */
  private limit = 2 ** 32;
  private result: NearDupResult | null = null;

  readonly cap: number;

  constructor(
    cap = 50_000,
    readonly threshold = 0.8,
  ) {
    this.cap = Math.min(cap, INDEX_SPAN);
  }

  add(value: string, count = 1): void {
    const norm = normaliseText(value);
    const hash = hashString(norm, 0x6b43a9b5);
    if (hash >= this.limit) return;
    this.result = null;
    // a value is known by 64 bits of its normalised text, so a long text is not kept whole
    const key = `${hash.toString(36)}.${hashString(norm, 0x1b873593).toString(36)}`;
    const e = this.entries.get(key);
    if (e) {
      e.count += count;
      return;
    }
    const sg = signature(norm);
    this.entries.set(key, { key, hash, count, text: value.slice(0, 80), sig: sg?.sig ?? null, words: sg?.words ?? null });
    while (this.entries.size > this.cap) {
      this.limit /= 2;
      for (const [k, x] of this.entries) if (x.hash >= this.limit) this.entries.delete(k);
    }
  }

  get approximate(): boolean {
    return this.limit < 2 ** 32;
  }

  finish(): NearDupResult {
    if (this.result) return this.result;
    // by hash then key: the pairs and examples do not depend on the order values came in
    const all = [...this.entries.values()].sort((a, b) => a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let n = 0;
    for (const e of all) n += e.count;
    const list = all.filter((e) => e.sig);
    const m = list.length;
    // one flat block of signatures, and per band the indexes sorted by (band key, index): buckets are runs of one key, no Map
    const sigs = new Int32Array(m * HASHES);
    list.forEach((e, i) => sigs.set(e.sig!, i * HASHES));
    const near = new Uint8Array(m);
    const examples: Array<[string, string]> = [];
    const keyOf = new Uint32Array(m);
    const bucketOf = new Uint32Array(m);
    const indexOf = new Int32Array(m);
    const scratch = new Int32Array(m);
    const miss0 = Math.floor((1 - this.threshold) * HASHES + 1e-9);
    const cut = this.threshold - 1e-9;
    // short texts' word sets in one block (start, length; length -1: a long text, judged by its signature),
    // so a crowded bucket's comparisons read two runs of one array, not two objects each
    const wordAt = new Int32Array(m);
    const wordLen = new Int32Array(m);
    let total = 0;
    for (let i = 0; i < m; i++) total += list[i]!.words?.length ?? 0;
    const words = new Int32Array(total);
    for (let i = 0, at = 0; i < m; i++) {
      const w = list[i]!.words;
      wordAt[i] = at;
      wordLen[i] = w ? w.length : -1;
      if (w) {
        words.set(w, at);
        at += w.length;
      }
    }
    const agrees = (i: number, j: number): boolean => {
      const li = wordLen[i]!;
      const lj = wordLen[j]!;
      if (li >= 0 && lj >= 0) {
        // Jaccard is at most the smaller set over the larger: most pairs of a crowded bucket fail on their sizes alone
        if (Math.min(li, lj) < cut * Math.max(li, lj)) return false;
        return jaccardAt(words, wordAt[i]!, li, wordAt[j]!, lj) >= cut;
      }
      let miss = miss0;
      for (let r = 0, a = i * HASHES, b = j * HASHES; r < HASHES; r++) if (sigs[a + r] !== sigs[b + r] && --miss < 0) return false;
      return true;
    };
    for (let b = 0; b < BANDS; b++) {
      for (let i = 0; i < m; i++) {
        let h = b;
        for (let r = b * ROWS, o = i * HASHES; r < (b + 1) * ROWS; r++) h = mix(h, sigs[o + r]!);
        keyOf[i] = h >>> 0;
      }
      sortByKey(keyOf, indexOf, scratch);
      for (let p = 0; p < m; p++) bucketOf[p] = keyOf[indexOf[p]!]!;
      for (let p = 1, start = 0; p < m; p++) {
        if (bucketOf[p] !== bucketOf[p - 1]) {
          start = p;
          continue;
        }
        // each member against a few earlier members of its bucket: a cluster of copies is found through any of them
        const i = indexOf[p]!;
        for (let q = p - 1; q >= start && q >= p - PER_BUCKET; q--) {
          const j = indexOf[q]!;
          if (near[i] && near[j]) continue;
          if (agrees(i, j)) {
            if (examples.length < 5 && !(near[i] || near[j])) examples.push([list[j]!.text, list[i]!.text]);
            near[i] = 1;
            near[j] = 1;
          }
        }
      }
    }
    let rows = 0;
    for (let i = 0; i < m; i++) if (near[i]) rows += list[i]!.count;
    this.result = { nearDupRows: rows, n, distinct: all.length, approximate: this.approximate, examples };
    return this.result;
  }
}
