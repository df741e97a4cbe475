/**
 * compareBytewise: the UTF-8 byte order (what dirHash and mlvet manifests sort by), compared without
 * encoding where UTF-16 units already agree; checked against Buffer.compare on hand-picked pairs and
 * on every pair of a fixed list that mixes ASCII, BMP above the surrogates, astral and lone surrogates.
 */
import { describe, expect, it } from 'vitest';
import { compareBytewise, comparePython } from '../../src/lineage/paths.js';

const bytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('compareBytewise', () => {
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['a', 'ab', -1],
    ['ab', 'a', 1],
    ['', '', 0],
    ['B', 'a', -1],
    ['data/x', 'data.bin', 1],
    // U+FF5E (one UTF-16 unit above the surrogates) sorts before U+1F600 (a surrogate pair) in UTF-8,
    // after it in UTF-16 `sort()`
    ['\uff5e', '\u{1f600}', -1],
    ['\u{1f600}', '\uff5e', 1],
    ['\u{1f600}', '\u{1f601}', -1],
    // a lone surrogate is encoded as U+FFFD, equal to a real one
    ['\ud800', '\ufffd', 0],
  ])('%j vs %j is %i', (a, b, want) => {
    expect(compareBytewise(a, b)).toBe(want);
    expect(bytes(a, b)).toBe(want);
  });

  it('agrees with Buffer.compare on every pair of a mixed list', () => {
    const pool = ['a', 'z', '/', '.', 'é', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{1f600}', '\ud800', '\udfff'];
    const list: string[] = [''];
    for (const x of pool) for (const y of pool) list.push(x + y);
    list.push(...pool.map((x) => `p/${x}q`));
    const disagree: Array<[string, string]> = [];
    for (const a of list) for (const b of list) if (compareBytewise(a, b) !== bytes(a, b)) disagree.push([a, b]);
    expect(list.length).toBe(1 + 14 * 14 + 14);
    expect(disagree).toEqual([]);
  });

  it('comparePython orders component-wise on top of it', () => {
    expect(['data.bin', 'data/part-0.bin', 'data/\u{1f600}', 'data/\uff5e'].sort(comparePython)).toEqual(['data/part-0.bin', 'data/\uff5e', 'data/\u{1f600}', 'data.bin']);
  });
});
