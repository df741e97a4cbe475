/**
 * The text helpers' ASCII fast path (no NFKC, ASCII-only classes) gives what the Unicode definitions
 * give: every ASCII character between letters, a table of edge cases, and 50,000 generated strings,
 * a tenth of their characters outside ASCII.
 */
import { describe, expect, it } from 'vitest';
import { normaliseText, tokens } from '../../src/validation/profile/text.js';

const WORD = /[\p{L}\p{N}\p{M}\p{Cf}_'-]+/gu;
const refTokens = (s: string): string[] => [...new Set((s.normalize('NFKC').toLowerCase().match(WORD) ?? []).slice(0, 512))];
const refNorm = (s: string): string =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('normaliseText and tokens', () => {
  it.each([
    ['Hello, World!', 'hello world', ['hello', 'world']],
    ["don't  stop\t-- now", "don t stop now", ["don't", 'stop', '--', 'now']],
    ['a_b $5 ~x', 'a b 5 x', ['a_b', '5', 'x']],
    ['ﬁne Ⅻ café', 'fine xii café', ['fine', 'xii', 'café']],
    ['zero\u200bwidth', 'zero\u200bwidth', ['zero\u200bwidth']],
    ['', '', []],
  ])('%j → %j, %j', (s, norm, toks) => {
    expect([normaliseText(s), tokens(s)]).toEqual([norm, toks]);
  });

  it('every ASCII character, and generated strings, as the Unicode definitions give', () => {
    const cases: string[] = [];
    for (let c = 0; c < 128; c++) cases.push(`Ab${String.fromCharCode(c)}cD ${String.fromCharCode(c)}`);
    let x = 1;
    const rnd = (n: number): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % n;
    for (let i = 0; i < 50_000; i++) {
      let s = '';
      for (let k = rnd(40); k > 0; k--) s += String.fromCharCode(rnd(10) === 0 ? 0x80 + rnd(0x3000) : rnd(128));
      cases.push(s);
    }
    const wrong = cases.filter((s) => normaliseText(s) !== refNorm(s) || JSON.stringify(tokens(s)) !== JSON.stringify(refTokens(s)));
    expect(wrong).toEqual([]);
    expect(cases.filter((s) => /[\u0080-\uffff]/.test(s)).length).toBeGreaterThan(10_000);
  });
});
