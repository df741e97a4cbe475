/**
 * `pickle-globals`: a `pickle.global` fact matches when any reading of the reference (the scanner
 * lists every module/name a loader could resolve it to) falls under one of the rule's patterns. A
 * pattern's module covers its submodules, and a name covers its attributes (`Popen` covers
 * `Popen.communicate`), because pickle resolves dotted names by walking attributes. A pattern's
 * `attrs` catch a method on any class of the module tree (`gensim` + `load` covers `Word2Vec.load`).
 */
import { isMethodGetattr } from './pickle-lists.js';
import type { Check } from './types.js';

export interface GlobalPattern {
  module: string;
  names?: string[];
  /** a Class.attr name whose last part is one of these (`Word2Vec.load` under gensim), any class */
  attrs?: string[];
  note?: string;
}

interface Reading {
  module: string;
  name: string;
}

export interface PickleGlobalsOptions {
  patterns: readonly GlobalPattern[];
  /** a getattr that decision record 0007 exempts (a constant method lookup) does not match */
  exemptMethodGetattr?: boolean;
}

/** The names part of a pattern whose module covers the reading's (see anyPatternMatches). */
function namesMatch(p: GlobalPattern, r: Reading): boolean {
  if (p.attrs) {
    const parts = r.name.split('.');
    if (parts.length > 1 && p.attrs.some((a) => parts.slice(1).includes(a))) return true;
    if (!p.names) return false;
  }
  if (!p.names) return true;
  return p.names.some((n) => r.name === n || r.name.startsWith(n + '.'));
}

/** The patterns by module, in rule order within each module: built once, when the rules load. */
export interface CompiledPickleGlobals extends PickleGlobalsOptions {
  byModule: ReadonlyMap<string, readonly GlobalPattern[]>;
}

function byModule(patterns: readonly GlobalPattern[]): Map<string, GlobalPattern[]> {
  const m = new Map<string, GlobalPattern[]>();
  for (const p of patterns) {
    const list = m.get(p.module);
    if (list) list.push(p);
    else m.set(p.module, [p]);
  }
  return m;
}

/**
 * Whether any pattern covers the reading: only the patterns of its module and of the modules it is
 * under are tried, so a fact costs the same against 10 patterns or 1,000 (issue 16).
 */
function anyPatternMatches(ix: ReadonlyMap<string, readonly GlobalPattern[]>, r: Reading): boolean {
  const own = ix.get(r.module);
  if (own?.some((p) => namesMatch(p, r))) return true;
  for (let i = r.module.indexOf('.'); i >= 0; i = r.module.indexOf('.', i + 1)) {
    if (ix.get(r.module.slice(0, i))?.some((p) => namesMatch(p, r))) return true;
  }
  return false;
}

function readingsOf(data: Record<string, unknown>): Reading[] {
  const rs = data.readings;
  return Array.isArray(rs) ? (rs as Reading[]) : [];
}

export const pickleGlobals: Check<CompiledPickleGlobals> = {
  meta: {
    name: 'pickle-globals',
    description: 'a pickle global whose module/name (any reading of it) falls under one of the patterns',
    options: {
      type: 'object',
      additionalProperties: false,
      required: ['patterns'],
      properties: {
        exemptMethodGetattr: {
          type: 'boolean',
          description: 'a constant method getattr on an allowlisted class does not match (decision record 0007)',
        },
        patterns: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['module'],
            properties: {
              module: { type: 'string', minLength: 1 },
              names: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
              attrs: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
              note: { type: 'string' },
            },
          },
        },
      },
    },
  },
  compile: (options) => {
    const o = options as PickleGlobalsOptions;
    return { ...o, byModule: byModule(o.patterns) };
  },
  create(ctx) {
    const { byModule: ix, exemptMethodGetattr } = ctx.options;
    return {
      fact(fact) {
        if (!readingsOf(fact.data).some((r) => anyPatternMatches(ix, r))) return;
        if (exemptMethodGetattr === true && isMethodGetattr(fact, ctx.lists)) return;
        ctx.report(fact);
      },
    };
  },
};
