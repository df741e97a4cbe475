/**
 * `pickle-globals`: a `pickle.global` fact matches when any reading of the reference (the scanner
 * lists every module/name a loader could resolve it to) falls under one of the rule's patterns. A
 * pattern's module covers its submodules, and a name covers its attributes (`Popen` covers
 * `Popen.communicate`), because pickle resolves dotted names by walking attributes.
 */
import type { Check } from './types.js';

export interface GlobalPattern {
  module: string;
  names?: string[];
  note?: string;
}

interface Reading {
  module: string;
  name: string;
}

export interface PickleGlobalsOptions {
  patterns: readonly GlobalPattern[];
}

function patternMatches(p: GlobalPattern, r: Reading): boolean {
  if (r.module !== p.module && !r.module.startsWith(p.module + '.')) return false;
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
              note: { type: 'string' },
            },
          },
        },
      },
    },
  },
  compile: (options) => options as PickleGlobalsOptions,
  create(ctx) {
    const { patterns } = ctx.options;
    return {
      fact(fact) {
        if (readingsOf(fact.data).some((r) => patterns.some((p) => patternMatches(p, r)))) ctx.report(fact);
      },
    };
  },
};
