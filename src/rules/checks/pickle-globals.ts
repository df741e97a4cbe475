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

function patternMatches(p: GlobalPattern, r: Reading): boolean {
  if (r.module !== p.module && !r.module.startsWith(p.module + '.')) return false;
  if (p.attrs) {
    const parts = r.name.split('.');
    if (parts.length > 1 && p.attrs.some((a) => parts.slice(1).includes(a))) return true;
    if (!p.names) return false;
  }
  if (!p.names) return true;
  return p.names.some((n) => r.name === n || r.name.startsWith(n + '.'));
}

function readingsOf(data: Record<string, unknown>): Reading[] {
  const rs = data.readings;
  return Array.isArray(rs) ? (rs as Reading[]) : [];
}

export const pickleGlobals: Check<PickleGlobalsOptions> = {
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
  compile: (options) => options as PickleGlobalsOptions,
  create(ctx) {
    const { patterns, exemptMethodGetattr } = ctx.options;
    return {
      fact(fact) {
        if (!readingsOf(fact.data).some((r) => patterns.some((p) => patternMatches(p, r)))) return;
        if (exemptMethodGetattr === true && isMethodGetattr(fact, ctx.lists)) return;
        ctx.report(fact);
      },
    };
  },
};
