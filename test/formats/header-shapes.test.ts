/**
 * Issue 12, shapes and keys: a .npy body must be exactly shape × itemsize bytes (BigInt, so
 * `(2^32, 2^32, 2^32)` does not wrap), and a safetensors header must not repeat a key (JSON.parse hides
 * repeats). The RULE_CASES tables are the rule-tester cases for numpy/shape-mismatch and
 * safetensors/duplicate-key: `valid` inputs never produce the rule, `invalid` ones exactly once.
 */
import { describe, expect, it } from 'vitest';
import { BufferReader } from '../../src/artifact/buffer-reader.js';
import { itemSize } from '../../src/formats/numpy/dtype.js';
import { validateSafetensors } from '../../src/formats/safetensors/header.js';
import { walkKeys } from '../../src/formats/safetensors/keys.js';
import { scanBytes } from '../helpers/scan-bytes.js';
import { makeZip } from './zip-writer.js';
import { EVIL_PICKLE, npy, npyDict, safetensors } from './model-writers.js';

const T = 10_000;
const f4 = (shape: string, bytes: number): Buffer => npy(npyDict('<f4', shape), Buffer.alloc(bytes));
const tensor = (name: string, begin: number, end: number): string => `"${name}":{"dtype":"U8","shape":[${end - begin}],"data_offsets":[${begin},${end}]}`;
const st = (entries: string[], body = 8): Buffer => safetensors(`{${entries.join(',')}}`, Buffer.alloc(body));

interface Case {
  name: string;
  file: string;
  bytes: Buffer;
  /** inconclusive codes the scan must end with (exactly) */
  codes?: string[];
}

const RULE_CASES: Record<string, { valid: Case[]; invalid: Case[] }> = {
  'numpy/shape-mismatch': {
    valid: [
      { name: '(2,) <f4 in 8 bytes', file: 'a.npy', bytes: f4('2,', 8) },
      { name: 'scalar () <f8', file: 'a.npy', bytes: npy(npyDict('<f8', ''), Buffer.alloc(8)) },
      { name: '(0,) in 0 bytes', file: 'a.npy', bytes: f4('0,', 0) },
      { name: '(0, 2^62): a zero dimension makes no elements', file: 'a.npy', bytes: f4('0, 4611686018427387904', 0) },
      { name: 'fortran order (2, 3) <i2', file: 'a.npy', bytes: npy(npyDict('<i2', '2, 3', true), Buffer.alloc(12)) },
      { name: 'structured [a <f4, b <i2 (3,)] × 2', file: 'a.npy', bytes: npy(npyDict("[('a', '<f4'), ('b', '<i2', (3,))]", '2,'), Buffer.alloc(20)) },
      { name: '<U3 is 12 bytes per element', file: 'a.npy', bytes: npy(npyDict('<U3', '1,'), Buffer.alloc(12)) },
      { name: 'v2.0 header, <M8[ns]', file: 'a.npy', bytes: npy(npyDict('<M8[ns]', '3,'), Buffer.alloc(24), 2) },
      { name: 'object array: the body is a pickle, not sized', file: 'a.npy', bytes: npy(npyDict('|O', '1000000,'), EVIL_PICKLE) },
      { name: '(20,) <f4 in 8 bytes: an incomplete file', file: 'a.npy', bytes: f4('20,', 8), codes: ['TRUNCATED'] },
      { name: 'unknown dtype: not sized', file: 'a.npy', bytes: npy(npyDict('<q9', '2,'), Buffer.alloc(8)), codes: ['UNSUPPORTED'] },
    ],
    invalid: [
      { name: '(2^62,) with 8 bytes', file: 'a.npy', bytes: f4('4611686018427387904,', 8) },
      { name: '(2^32, 2^32, 2^32): wraps to 0 in int64', file: 'a.npy', bytes: f4('4294967296, 4294967296, 4294967296', 8) },
      { name: '(2^48 + 1,) <u1', file: 'a.npy', bytes: npy(npyDict('|u1', '281474976710657,'), Buffer.alloc(1)) },
      { name: '(2,) <f4 with 4 bytes after it', file: 'a.npy', bytes: f4('2,', 12) },
      { name: 'structured with a trailing byte', file: 'a.npy', bytes: npy(npyDict("[('a', '<f4'), ('b', '<i2', (3,))]", '2,'), Buffer.alloc(21)) },
      { name: 'npz member with an impossible shape', file: 'w.npz', bytes: makeZip([['w.npy', f4('4611686018427387904, 4', 16)]]) },
    ],
  },
  'safetensors/duplicate-key': {
    valid: [
      { name: 'two tensors, same field names in different objects', file: 'm.safetensors', bytes: st([tensor('a', 0, 4), tensor('b', 4, 8)]) },
      { name: 'keys that differ only after an escaped quote', file: 'm.safetensors', bytes: st([tensor('a\\"x', 0, 4), tensor('a\\"y', 4, 8)]) },
    ],
    invalid: [
      { name: 'two "a" tensors', file: 'm.safetensors', bytes: st([tensor('a', 0, 4), tensor('a', 4, 8)]) },
      { name: '"a" and "\\u0061"', file: 'm.safetensors', bytes: st([tensor('a', 0, 4), tensor('\\u0061', 4, 8)]) },
      { name: 'two data_offsets in one tensor', file: 'm.safetensors', bytes: st(['"a":{"dtype":"U8","shape":[8],"data_offsets":[0,4],"data_offsets":[0,8]}']) },
      { name: 'a repeated __metadata__ entry', file: 'm.safetensors', bytes: st(['"__metadata__":{"format":"pt","format":"np"}', tensor('a', 0, 8)]) },
      { name: 'in a header whose length lies', file: 'm.safetensors', bytes: safetensors(`{${tensor('a', 0, 4)},${tensor('a', 0, 4)}}`, Buffer.alloc(4), 1n << 40n), codes: ['TRUNCATED'] },
    ],
  },
};

describe.each(Object.entries(RULE_CASES))('%s', (rule, { valid, invalid }) => {
  it.each(valid.map((c) => [c.name, c] as const))('valid: %s', async (_n, c) => {
    const r = await scanBytes(c.bytes, c.file);
    expect(r.findings.filter((f) => f.ruleId === rule)).toEqual([]);
    expect(r.inconclusive.map((i) => i.code)).toEqual(c.codes ?? []);
  }, T);
  it.each(invalid.map((c) => [c.name, c] as const))('invalid: %s', async (_n, c) => {
    const r = await scanBytes(c.bytes, c.file);
    expect(r.findings.filter((f) => f.ruleId === rule).length).toBe(1);
    expect(r.inconclusive.map((i) => i.code)).toEqual(c.codes ?? []);
  }, T);
});

describe('numpy shape evidence', () => {
  it.each([
    ['(2^62,) <f4', f4('4611686018427387904,', 8), { relation: 'short', impossible: true, elements: '4611686018427387904', expected: '18446744073709551616', actual: '8' }],
    ['(2^32)^3 <f4', f4('4294967296, 4294967296, 4294967296', 8), { relation: 'short', impossible: true, elements: String(2n ** 96n), expected: String(2n ** 98n) }],
    ['trailing bytes', f4('2,', 12), { relation: 'trailing', impossible: false, expected: '8', actual: '12' }],
  ])('%s', async (_n, bytes, evidence) => {
    const r = await scanBytes(bytes, 'a.npy');
    expect(r.findings.find((f) => f.ruleId === 'numpy/shape-mismatch')?.evidence).toMatchObject(evidence);
  }, T);
  it.each([
    ['a negative dimension', f4('-1,', 0)],
    ['65 dimensions', f4(Array<string>(65).fill('1').join(', '), 4)],
    ['a dimension that is not a number', f4("'x',", 0)],
  ])('%s is PARSE_ERROR', async (_n, bytes) => {
    const r = await scanBytes(bytes, 'a.npy');
    expect(r.inconclusive.map((i) => i.code)).toEqual(['PARSE_ERROR']);
  }, T);
  it.each([
    ['<f4', false, 4n],
    ['|b1', false, 1n],
    ['|S0', false, 0n],
    ['<c16', false, 16n],
    ['>U2', false, 8n],
    ["[('x', [('a', '<f4'), ('', '|V4')]), ('y', '<f8', (2, 2))]", true, 40n],
    ["[(('title', 'a'), '<i4')]", true, 4n],
    ['<f', false, undefined],
    ["[('a', '<f4'),", true, undefined],
  ] as const)('itemsize of %s', (descr, structured, want) => {
    expect(itemSize(descr, structured)).toBe(want);
  }, T);
});

describe('safetensors key walk', () => {
  it.each([
    ['{"a":1,"a":2}', [{ key: 'a', path: [], offset: 7 }], 13],
    ['{"x":{"a":1,"b":{"a":2,"a":3}}}', [{ key: 'a', path: ['x', 'b'], offset: 23 }], 31],
    ['{"x":[{"a":1},{"a":2}]}', [], 23],
    ['{"a\\\\":1,"a":2}', [], 15],
    ['{"s":"}{\\"","s":1} trailing', [{ key: 's', path: [], offset: 12 }], 18],
    ['{"a":1,"a"', [{ key: 'a', path: [], offset: 7 }], undefined],
  ])('%s', (text, duplicates, end) => {
    const w = walkKeys(text);
    expect(w.duplicates).toEqual(duplicates);
    expect(w.end).toBe(end);
  }, T);
  it('stops at 64 levels of nesting instead of recursing', () => {
    expect(walkKeys(`${'['.repeat(100)}${']'.repeat(100)}`).tooDeep).toBe(true);
  }, T);
  it('a header over the read budget is a shortfall, not a problem', async () => {
    const res = await validateSafetensors(new BufferReader(st([tensor('a', 0, 8)])), 10);
    expect([res.problems, res.shortfall]).toEqual([[], 'over-budget']);
  }, T);
});
