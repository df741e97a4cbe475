/**
 * `target-also-has`: the rule's fact counts only when the same target also produced a fact of
 * another kind (`fact`, filtered by `where`), for verdicts no single fact carries, such as repository
 * code wired in by `auto_map` on a revision that can still move. The verdict waits for the end of
 * the target, since the other fact may come before or after; the first matching one (in fact order)
 * is added to the evidence under `as`.
 */
import type { Fact } from '../../model/facts.js';
import { compileWhere, type FactTest } from '../conditions.js';
import type { Condition } from '../types.js';
import type { Check } from './types.js';

export interface TargetAlsoHasOptions {
  fact: string;
  where: FactTest;
  as: string;
}

const CONDITION = {
  type: 'object',
  additionalProperties: false,
  properties: {
    eq: {},
    in: { type: 'array' },
    regex: { type: 'string' },
    exists: { type: 'boolean' },
    nonEmpty: { type: 'boolean' },
    gte: { type: 'number' },
  },
};

export const targetAlsoHas: Check<TargetAlsoHasOptions> = {
  meta: {
    name: 'target-also-has',
    description: "the rule's fact, when the same target also has a fact of another kind",
    options: {
      type: 'object',
      additionalProperties: false,
      required: ['fact', 'as'],
      properties: {
        fact: { type: 'string', pattern: '^[a-z0-9-]+(\\.[a-z0-9-]+)+$' },
        where: { type: 'object', additionalProperties: CONDITION },
        as: {
          type: 'string',
          pattern: '^[A-Za-z][A-Za-z0-9]*$',
          description: 'evidence field for the other fact',
        },
      },
    },
  },
  compile(options, problems) {
    const o = options as { fact: string; where?: Record<string, Condition>; as: string };
    return { fact: o.fact, as: o.as, where: compileWhere(o.where, 'where', problems) };
  },
  watches: (options) => [options.fact],
  create(ctx) {
    const anchors: Fact[] = [];
    let other: Fact | undefined;
    return {
      fact: (fact) => void anchors.push(fact),
      on: {
        [ctx.options.fact]: (fact) => {
          if (!other && ctx.options.where(fact)) other = fact;
        },
      },
      endTarget() {
        if (!other) return;
        for (const a of anchors) ctx.report(a, { [ctx.options.as]: other.data });
      },
    };
  },
};
