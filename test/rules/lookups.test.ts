/**
 * The two lookups every pickle.global fact goes through, indexed by module (issue 16): an allowlist
 * entry's module, names, `*` and `submodules`, and a pickle-globals pattern's module tree, names and
 * attrs. Each row is a (module, name) asked of a small real-shaped list or pattern set, with the
 * answer the linear reading of the rule gives.
 */
import { describe, expect, it } from 'vitest';
import { isAllowlisted } from '../../src/rules/checks/pickle-lists.js';
import { pickleGlobals, type GlobalPattern } from '../../src/rules/checks/pickle-globals.js';
import type { Fact } from '../../src/model/facts.js';
import type { AllowEntry } from '../../src/model/policy.js';

const entry = (module: string, names: '*' | string[], submodules?: boolean): AllowEntry => ({
  module,
  names,
  ...(submodules !== undefined ? { submodules } : {}),
  reason: 'test entry',
});

const LIST: AllowEntry[] = [
  entry('collections', ['OrderedDict', 'defaultdict']),
  entry('numpy', '*'),
  entry('torch', '*', true),
  entry('sklearn.linear_model', '*', true),
  entry('builtins', ['set']),
  entry('builtins', ['frozenset']),
  entry('pandas.core', ['Index'], true), // submodules only widen a `*` entry
];

describe('isAllowlisted', () => {
  it.each([
    ['collections', 'OrderedDict', true],
    ['collections', 'deque', false],
    ['collections.abc', 'OrderedDict', false],
    ['builtins', 'set', true],
    ['builtins', 'frozenset', true], // two entries for one module
    ['builtins', 'eval', false],
    ['numpy', 'dtype', true],
    ['numpy', '*', true],
    ['numpy', 'Generator.bit_generator', true], // Class.attr under a wildcard
    ['numpy', 'random.seed', false], // a walk into a module is not Class.attr
    ['numpy', 'Generator.__init__', false], // nor a dunder
    ['numpy.core.multiarray', '_reconstruct', false], // `numpy` has no submodules
    ['torch', 'Tensor', true],
    ['torch._utils', '_rebuild_tensor_v2', true],
    ['torch.nn.modules.linear', 'Linear', true],
    ['torchvision.models', 'resnet18', false], // a prefix that is not a module boundary
    ['torch.nn', 'os.system', false],
    ['sklearn.linear_model._base', 'LinearRegression', true],
    ['sklearn', 'LinearRegression', false], // the entry's parent is not under it
    ['pandas.core', 'Index', true],
    ['pandas.core.indexes', 'Index', false],
    ['', 'set', false],
    ['.torch', 'x', false],
  ])('%s / %s: %s', (module, name, expected) => {
    expect(isAllowlisted(module, name, LIST)).toBe(expected);
  });

  it('a list and its copy with one more entry answer each for themselves', () => {
    const more = [...LIST, entry('os', ['getcwd'])];
    expect([isAllowlisted('os', 'getcwd', LIST), isAllowlisted('os', 'getcwd', more)]).toEqual([false, true]);
    expect(isAllowlisted('os', 'getcwd', [])).toBe(false);
  });
});

const PATTERNS: GlobalPattern[] = [
  { module: 'os', names: ['system', 'popen'] },
  { module: 'subprocess' },
  { module: 'gensim', attrs: ['load'] },
  { module: 'joblib', names: ['load'], attrs: ['load'] },
  { module: 'os.path', names: ['join'] },
];

function matches(readings: { module: string; name: string }[]): boolean {
  const options = pickleGlobals.compile({ patterns: PATTERNS }, []);
  const reported: Fact[] = [];
  const h = pickleGlobals.create({ options, lists: new Map(), report: (f) => void reported.push(f) });
  const f: Fact = { kind: 'pickle.global', location: { path: 'x.pkl' }, data: { readings } };
  h.fact!(f);
  return reported.length === 1;
}

describe('pickle-globals patterns', () => {
  it.each([
    ['os', 'system', true],
    ['os', 'system.__call__', true], // a name covers its attributes
    ['os', 'getcwd', false],
    ['os.path', 'system', true], // a module covers its submodules
    ['os.path', 'join', true],
    ['ossify', 'system', false], // not a module boundary
    ['posix', 'system', false],
    ['subprocess', 'Popen', true], // no names: every name
    ['subprocess._posix', 'anything', true],
    ['gensim.models.word2vec', 'Word2Vec.load', true], // attrs: a method on any class
    ['gensim.models.word2vec', 'Word2Vec', false], // attrs only: the class itself is not matched
    ['gensim', 'load', false], // attrs need a Class.attr name
    ['joblib', 'load', true],
    ['joblib.numpy_pickle', 'NumpyArrayWrapper.load', true],
    ['joblib', 'dump', false],
  ])('%s / %s: %s', (module, name, expected) => {
    expect(matches([{ module, name }])).toBe(expected);
  });

  it('any reading of the reference is enough', () => {
    expect(matches([{ module: 'mylib', name: 'helper' }, { module: 'os', name: 'system' }])).toBe(true);
    expect(matches([{ module: 'mylib', name: 'helper' }])).toBe(false);
    expect(matches([])).toBe(false);
  });
});
