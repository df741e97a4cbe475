/**
 * JCS (RFC 8785) encoding: key order by UTF-16 code units at every depth, both paths (the
 * JSON.stringify replacer, and the recursive encoder taken for array-index keys), and what is refused.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/lineage/canonical.js';

describe('canonicalize', () => {
  it.each([
    ['sorted keys at every depth', { b: 1, a: { d: [3, { z: 0, y: null }], c: 'x' } }, '{"a":{"c":"x","d":[3,{"y":null,"z":0}]},"b":1}'],
    ['keys already in order are kept', { a: 1, b: 2 }, '{"a":1,"b":2}'],
    ['UTF-16 code-unit order (RFC 8785 §3.2.3: "\\r" < "1" < "\\u0080" < "ö" < "€" < "😀" < "ﬂ")', { 'ﬂ': 7, '😀': 6, '€': 5, 'ö': 4, '\u0080': 3, '1': 2, '\r': 1 }, '{"\\r":1,"1":2,"\u0080":3,"ö":4,"€":5,"😀":6,"ﬂ":7}'],
    ['array-index keys, which JavaScript orders numerically ("10" before "9" in JCS)', { 9: 'a', 10: 'b', x: { 2: 0, 10: 1 } }, '{"10":"b","9":"a","x":{"10":1,"2":0}}'],
    ['undefined members left out, undefined array items null', { a: undefined, b: [undefined, 1] }, '{"b":[null,1]}'],
    ['a "__proto__" member stays a member', JSON.parse('{"z":1,"__proto__":{"b":2,"a":1}}'), '{"__proto__":{"a":1,"b":2},"z":1}'],
    ['ES number format', { n: [1e21, 0.1, -0, 1.5e-7, 100] }, '{"n":[1e+21,0.1,0,1.5e-7,100]}'],
    ['escapes as JSON.stringify', { s: '"\\\n\u001f\u2028' }, '{"s":"\\"\\\\\\n\\u001f\u2028"}'],
    ['scalars', 'x', '"x"'],
  ])('%s', (_what, value, text) => {
    expect(canonicalize(value)).toBe(text);
  });

  it.each([
    ['NaN', { a: NaN }, /non-finite/],
    ['Infinity in an array', [Infinity], /non-finite/],
    ['Infinity beside an index key (recursive path)', { 1: 0, b: 0, a: Infinity }, /non-finite/],
    ['a function member', { f: () => 0 }, /cannot encode function/],
    ['a bigint', { n: 1n }, /cannot encode bigint/],
    ['undefined', undefined, /cannot encode undefined/],
  ])('refuses %s', (_what, value, message) => {
    expect(() => canonicalize(value)).toThrow(message);
  });
});
