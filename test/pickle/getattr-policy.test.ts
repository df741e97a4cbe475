/**
 * Decision record 0007, rule 6: the method-getattr exemption holds only while every copy of the
 * `getattr` global on the stack (its import, each memo get, each DUP) is consumed as a call's callable.
 * A copy that ends anywhere else — a positional argument, an item of a tuple/list/dict argument, a
 * NEWOBJ_EX keyword, BUILD state, a SETITEMS value, the stream's result — hands getattr itself to code
 * the pickle does not control, and the stream must be rated exactly as it was before the exemption
 * existed. Each row is checked against the same rules with the exemption switched off, so the table
 * cannot pass by both sides being clean; the controls and the real torch scheduler state dicts show
 * the exemption still applies where it should.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/model/facts.js';
import { evaluate } from '../../src/rules/engine.js';
import type { CompiledRule, RuleSet } from '../../src/rules/types.js';
import { FIXTURES } from '../helpers/cli.js';
import { asm, P } from '../helpers/pickle-asm.js';
import { builtinRules } from '../helpers/rule-tester.js';
import { scanBuffer } from '../helpers/scan-bytes.js';

/** The built-in rules with the method-getattr exemption switched off in every rule that opts into it. */
function withoutExemption(): RuleSet {
  const set = builtinRules();
  let switched = 0;
  const off = (cr: CompiledRule): CompiledRule => {
    const o = cr.check?.options as Record<string, unknown> | undefined;
    if (!cr.check || !o || (o.exemptMethodGetattr !== true && o.methodGetattr !== true)) return cr;
    switched++;
    const options = {
      ...o,
      ...(o.exemptMethodGetattr === true ? { exemptMethodGetattr: false } : {}),
      ...(o.methodGetattr === true ? { methodGetattr: false } : {}),
    };
    return { ...cr, check: { ...cr.check, options } };
  };
  const map = (m: ReadonlyMap<string, readonly CompiledRule[]>) =>
    new Map([...m].map(([k, rs]) => [k, rs.map(off)] as const));
  const out = { ...set, byKind: map(set.byKind), watchers: map(set.watchers) };
  // pickle/dynamic-import, pickle/unknown-global, pickle/suspicious-name and hydra/dynamic-import opt in
  if (switched < 4) throw new Error(`only ${switched} rules opt into the method-getattr exemption`);
  return out;
}

const OFF = withoutExemption();
/** rule/severity pairs at medium or above, sorted */
const rated = (facts: Fact[], set: RuleSet): string[] =>
  [
    ...new Set(
      evaluate(facts, set, {})
        .filter((f) => f.severity !== 'low' && f.severity !== 'info')
        .map((f) => `${f.ruleId} ${f.severity}`),
    ),
  ].sort();
const getattrFact = (facts: Fact[]): Fact | undefined =>
  facts.find((f) => f.kind === 'pickle.global' && f.data.name === 'getattr');

const ONE_CYCLE = P.global('torch.optim.lr_scheduler', 'OneCycleLR');
const instance = [...ONE_CYCLE, ...P.EMPTY_TUPLE, ...P.NEWOBJ];
/** getattr imported and memoized at 0, then the exempt bound method getattr(<OneCycleLR>, "_annealing_cos") */
const method = [
  ...P.global('__builtin__', 'getattr'),
  ...P.binput(0),
  ...instance,
  ...P.binunicode('_annealing_cos'),
  ...P.TUPLE2,
  ...P.REDUCE,
];
const G = P.binget(0);
const od = P.global('collections', 'OrderedDict');
/** the method, then `value` (which uses the memoized getattr somehow), both in the result tuple */
const withMethod = (value: number[], proto = 2) => asm(P.proto(proto), method, value, P.TUPLE2, P.STOP);

const passed: Array<[string, Uint8Array]> = [
  [
    'positional argument of an allowlisted callable: OrderedDict(getattr)',
    withMethod([...od, ...G, ...P.TUPLE1, ...P.REDUCE]),
  ],
  [
    'inside a tuple argument: OrderedDict(((k, getattr),))',
    withMethod([...od, ...P.binunicode('k'), ...G, ...P.TUPLE2, ...P.TUPLE1, ...P.TUPLE1, ...P.REDUCE]),
  ],
  [
    'inside a list argument: OrderedDict([getattr])',
    withMethod([...od, ...P.EMPTY_LIST, ...G, ...P.APPEND, ...P.TUPLE1, ...P.REDUCE]),
  ],
  [
    'a dict value in an argument: OrderedDict({"f": getattr})',
    withMethod([...od, ...P.EMPTY_DICT, ...P.binunicode('f'), ...G, ...P.SETITEM, ...P.TUPLE1, ...P.REDUCE]),
  ],
  [
    'a keyword through NEWOBJ_EX: OneCycleLR(anneal_func=getattr)',
    withMethod(
      [
        ...ONE_CYCLE,
        ...P.EMPTY_TUPLE,
        ...P.EMPTY_DICT,
        ...P.binunicode('anneal_func'),
        ...G,
        ...P.SETITEM,
        ...P.NEWOBJ_EX,
      ],
      4,
    ),
  ],
  [
    'BUILD state of an allowlisted instance: {"anneal_func": getattr}',
    withMethod([
      ...instance,
      ...P.EMPTY_DICT,
      ...P.binunicode('anneal_func'),
      ...G,
      ...P.SETITEM,
      ...P.BUILD,
    ]),
  ],
  [
    'SETITEMS value on an OrderedDict instance',
    withMethod([...od, ...P.EMPTY_TUPLE, ...P.REDUCE, ...P.MARK, ...P.binunicode('f'), ...G, ...P.SETITEMS]),
  ],
  ['memoized, fetched into a list of the result', withMethod([...P.EMPTY_LIST, ...G, ...P.APPEND])],
  ['memoized, fetched as the result itself', withMethod(G)],
  [
    'DUP: one copy called, the other left as a value',
    asm(
      P.proto(2),
      P.global('__builtin__', 'getattr'),
      P.DUP,
      instance,
      P.binunicode('_annealing_cos'),
      P.TUPLE2,
      P.REDUCE,
      P.TUPLE2,
      P.STOP,
    ),
  ],
  [
    'imported a second time (no memo) as an argument',
    withMethod([...od, ...P.global('__builtin__', 'getattr'), ...P.TUPLE1, ...P.REDUCE]),
  ],
  [
    'the target of getattr itself: getattr(getattr, "x") beside the method',
    withMethod([...G, ...G, ...P.binunicode('x'), ...P.TUPLE2, ...P.REDUCE]),
  ],
  [
    'STACK_GLOBAL builtins.getattr at protocol 4, memoized, as a BUILD state value',
    asm(
      P.proto(4),
      P.sbu('builtins'),
      P.sbu('getattr'),
      P.STACK_GLOBAL,
      P.MEMOIZE,
      instance,
      P.binunicode('_annealing_cos'),
      P.TUPLE2,
      P.REDUCE,
      instance,
      P.EMPTY_DICT,
      P.binunicode('f'),
      G,
      P.SETITEM,
      P.BUILD,
      P.TUPLE2,
      P.STOP,
    ),
  ],
];

const exempt: Array<[string, Uint8Array]> = [
  ['one bound method', asm(P.proto(2), method, P.STOP)],
  [
    'memoized getattr called twice (two bound methods)',
    withMethod([...G, ...instance, ...P.binunicode('_annealing_linear'), ...P.TUPLE2, ...P.REDUCE]),
  ],
  [
    'DUP: both copies called',
    asm(
      P.proto(2),
      P.global('__builtin__', 'getattr'),
      P.DUP,
      instance,
      P.binunicode('_annealing_cos'),
      P.TUPLE2,
      P.REDUCE,
      P.POP,
      instance,
      P.binunicode('_annealing_linear'),
      P.TUPLE2,
      P.REDUCE,
      P.STOP,
    ),
  ],
  [
    'the method stored as BUILD state (its result is a value, not getattr)',
    asm(P.proto(2), instance, P.EMPTY_DICT, P.binunicode('anneal_func'), method, P.SETITEM, P.BUILD, P.STOP),
  ],
];

describe('getattr handed on as a value is never exempt (decision record 0007, rule 6)', () => {
  it.each(passed)('%s: rated as with the exemption off, dynamic import critical', async (_n, bytes) => {
    const { facts, inconclusive } = await scanBuffer(bytes);
    expect(inconclusive).toEqual([]);
    expect(getattrFact(facts)?.data.getattrPassed).toBe(true);
    const on = rated(facts, builtinRules());
    expect(on).toContain('pickle/dynamic-import critical');
    expect(on).toEqual(rated(facts, OFF));
  });

  it.each(exempt)('control, %s: exempt (the exemption switched off flags it)', async (_n, bytes) => {
    const { facts, inconclusive } = await scanBuffer(bytes);
    expect(inconclusive).toEqual([]);
    expect(getattrFact(facts)?.data.getattrPassed).toBeUndefined();
    expect(rated(facts, builtinRules())).toEqual([]);
    expect(rated(facts, OFF)).toContain('pickle/dynamic-import critical');
  });

  const torch = join(FIXTURES, 'benign', 'torch');
  it.each(['sched-OneCycleLR.pt', 'sched-OneCycleLR-linear.pt', 'sched-SWALR.pt'])(
    'real torch scheduler state dict %s stays clean',
    async (name) => {
      const { facts, inconclusive } = await scanBuffer(readFileSync(join(torch, name)));
      expect(inconclusive).toEqual([]);
      const g = getattrFact(facts);
      expect(g?.data.verb).toBe('calls');
      expect(g?.data.getattrPassed).toBeUndefined();
      expect(rated(facts, builtinRules())).toEqual([]);
      expect(rated(facts, OFF)).toContain('pickle/dynamic-import critical');
    },
  );
});
