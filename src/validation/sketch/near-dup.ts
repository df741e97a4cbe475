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
/** index part of a packed (band key, index) */
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
  // one hash function at a time over every shingle: its minimum stays in a register
  for (let i = 0; i < HASHES; i++) {
    const seed = SEEDS[i]!;
    let min = 0x7fffffff;
    for (let s = 0; s < shingles.length; s++) {
      // murmur3's finaliser on int32s (signed order is as good a permutation as unsigned)
      let h = shingles[s]! ^ seed;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      if (h < min) min = h;
    }
    sig[i] = min;
  }
  return { sig, words: long ? null : sortedDistinct(wh) };
}

/** the distinct values of `xs`, ascending (a copy sorted and deduplicated in place: no Set) */
function sortedDistinct(xs: Int32Array): Int32Array {
  const c = xs.slice().sort();
  let k = 0;
  for (let i = 0; i < c.length; i++) if (i === 0 || c[i] !== c[k - 1]) c[k++] = c[i]!;
  return c.subarray(0, k);
}

/** exact Jaccard similarity of two sorted sets */
function jaccard(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      both++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return both / (a.length + b.length - both);
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
    // one flat block of signatures, and per band one sorted array of (band key, index) packed in a double
    // (unsigned key · 2^17 + index, exact below 2^49; the cap keeps the index below 2^17): buckets are runs of one key, no Map
    const sigs = new Int32Array(m * HASHES);
    list.forEach((e, i) => sigs.set(e.sig!, i * HASHES));
    const near = new Uint8Array(m);
    const examples: Array<[string, string]> = [];
    const keys = new Float64Array(m);
    const bucketOf = new Float64Array(m);
    const indexOf = new Int32Array(m);
    const miss0 = Math.floor((1 - this.threshold) * HASHES + 1e-9);
    const agrees = (i: number, j: number): boolean => {
      const wi = list[i]!.words;
      const wj = list[j]!.words;
      if (wi && wj) {
        // Jaccard is at most the smaller set over the larger: most pairs of a crowded bucket fail on their sizes alone
        const [small, large] = wi.length <= wj.length ? [wi.length, wj.length] : [wj.length, wi.length];
        if (small < (this.threshold - 1e-9) * large) return false;
        return jaccard(wi, wj) >= this.threshold - 1e-9;
      }
      let miss = miss0;
      for (let r = 0, a = i * HASHES, b = j * HASHES; r < HASHES; r++) if (sigs[a + r] !== sigs[b + r] && --miss < 0) return false;
      return true;
    };
    for (let b = 0; b < BANDS; b++) {
      for (let i = 0; i < m; i++) {
        let h = b;
        for (let r = b * ROWS, o = i * HASHES; r < (b + 1) * ROWS; r++) h = mix(h, sigs[o + r]!);
        keys[i] = ((h >>> 0) * INDEX_SPAN) + i;
      }
      keys.sort();
      // unpacked once: the bucket loop below reads each member's index up to PER_BUCKET times
      for (let p = 0; p < m; p++) {
        bucketOf[p] = Math.floor(keys[p]! / INDEX_SPAN);
        indexOf[p] = keys[p]! % INDEX_SPAN;
      }
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
