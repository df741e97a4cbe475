/**
 * Text helpers for the token and character checks: NFKC-normalised, lower-cased word tokens
 * (unigrams; bigrams multiplied distinct keys ~200× and made the heavy-hitter sketches churn), and the Unicode categories attackers use for invisible triggers (Cf format characters
 * such as U+200B, Co private use, Cs lone surrogates) and mixed-script homoglyph words.
 */
const WORD = /[\p{L}\p{N}\p{M}\p{Cf}_'-]+/gu;
const INVISIBLE = /[\p{Cf}\p{Co}\p{Cs}]/u;
const LATIN = /\p{Script=Latin}/u;
const CONFUSABLE = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

/** ASCII text: NFKC is the identity there, and these are exactly the ASCII members of WORD's and PUNCT's classes */
const NON_ASCII = /[\u0080-\uffff]/;
const ASCII_WORD = /[a-z0-9_'-]+/g;
const PUNCT = /[\p{P}\p{S}]+/gu;
const ASCII_PUNCT = /[!-/:-@[-`{-~]+/g;

export function tokens(s: string, max = 512): string[] {
  const words = (NON_ASCII.test(s) ? s.normalize('NFKC').toLowerCase().match(WORD) : s.toLowerCase().match(ASCII_WORD)) ?? [];
  const out = new Set<string>();
  const n = Math.min(words.length, max);
  for (let i = 0; i < n; i++) out.add(words[i]!);
  return [...out];
}

/** a value hides characters a reader does not see, or mixes Latin with look-alike scripts in one word */
export function hasInvisible(s: string): boolean {
  if (INVISIBLE.test(s)) return true;
  if (!CONFUSABLE.test(s)) return false;
  for (const w of s.split(/\s+/)) if (LATIN.test(w) && CONFUSABLE.test(w)) return true;
  return false;
}

/** text or categorical, judged on a sample of values: text has several words or is long */
export function looksLikeText(sample: string[]): boolean {
  if (sample.length === 0) return false;
  let words = 0;
  let len = 0;
  for (const s of sample) {
    words += s.split(/\s+/).filter(Boolean).length;
    len += s.length;
  }
  return words / sample.length >= 3 || len / sample.length >= 40;
}

/** text normalised for duplicate/conflict keys, as Deepchecks' NLP checks do: case, spacing, punctuation, Unicode */
export function normaliseText(s: string): string {
  const folded = NON_ASCII.test(s) ? s.normalize('NFKC').toLowerCase().replace(PUNCT, ' ') : s.toLowerCase().replace(ASCII_PUNCT, ' ');
  return folded.replace(/\s+/g, ' ').trim();
}
