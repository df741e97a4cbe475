/**
 * The readings of a global and its dunder parts are remembered per (module, name, fix_imports): the
 * remembered answer must be the one a fresh computation gives, for each protocol family, and frozen,
 * since every fact of that global shares it.
 */
import { describe, expect, it } from 'vitest';
import { dunderParts, readings } from '../../src/formats/pickle/names.js';

const has = (rs: ReadonlyArray<{ module: string; name: string }>, m: string, n: string): boolean => rs.some((r) => r.module === m && r.name === n);

describe('pickle global readings, remembered', () => {
  it.each([
    // module, name, proto, a reading that must be there, one that must not
    ['__builtin__', 'xrange', 2, ['builtins', 'range'], null],
    ['__builtin__', 'xrange', 4, ['__builtin__', 'xrange'], ['builtins', 'range']],
    ['posix', 'system', 4, ['os', 'system'], null],
    ['torch', 'nn.Module', 4, ['torch.nn', 'Module'], null],
    ['ｏｓ', 'system', 4, ['os', 'system'], null],
  ] as const)('%s.%s at protocol %i', (module, name, proto, want, not) => {
    const first = readings(module, name, proto);
    const again = readings(module, name, proto);
    expect(again).toBe(first);
    expect(Object.isFrozen(first) && first.every((r) => Object.isFrozen(r))).toBe(true);
    expect(has(first, want[0], want[1])).toBe(true);
    if (not) expect(has(first, not[0], not[1])).toBe(false);
  });
  it('protocols 2 and 4 are remembered apart', () => {
    expect(has(readings('__builtin__', 'unicode', 4), 'builtins', 'str')).toBe(false);
    expect(has(readings('__builtin__', 'unicode', 2), 'builtins', 'str')).toBe(true);
    expect(has(readings('__builtin__', 'unicode', 4), 'builtins', 'str')).toBe(false);
  });
  it('dunder parts are remembered and frozen', () => {
    const d = dunderParts('builtins', 'object.__subclasses__');
    expect(d).toEqual(['__subclasses__']);
    expect(dunderParts('builtins', 'object.__subclasses__')).toBe(d);
    expect(Object.isFrozen(d)).toBe(true);
    expect(dunderParts('__builtins__', 'eval')).toEqual([]);
  });
  it('thousands of distinct globals do not grow the memo past its bound, and answers stay right', () => {
    for (let i = 0; i < 10_000; i++) expect(has(readings(`m${i}`, 'f', 4), `m${i}`, 'f')).toBe(true);
    expect(has(readings('posix', 'system', 4), 'os', 'system')).toBe(true);
  });
});
