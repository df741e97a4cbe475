/**
 * `pickle-allowlist`: a `pickle.global` fact matches when whether it is on a named allowlist (by its
 * own module/name, or by the canonical name an alias resolves to) equals `allowlisted`. With
 * `allowlisted: false` this is "a global no list vouches for". With `methodGetattr`, a getattr that
 * decision record 0007 exempts counts as allowlisted.
 */
import { isAllowlisted, isMethodGetattr } from './pickle-lists.js';
import type { Check } from './types.js';

export interface PickleAllowlistOptions {
  allowlisted: boolean;
  list: string;
  /** a getattr that decision record 0007 exempts counts as allowlisted */
  methodGetattr: boolean;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export const pickleAllowlist: Check<PickleAllowlistOptions> = {
  meta: {
    name: 'pickle-allowlist',
    description: 'a pickle global that is (or is not) on an allowlist, by its name or its canonical name',
    options: {
      type: 'object',
      additionalProperties: false,
      required: ['allowlisted'],
      properties: {
        allowlisted: { type: 'boolean' },
        list: {
          type: 'string',
          pattern: '^[a-z0-9-]+$',
          description: 'allowlist name (default pickle-globals)',
        },
        methodGetattr: {
          type: 'boolean',
          description: 'a constant method getattr on an allowlisted class counts as allowlisted (decision record 0007)',
        },
      },
    },
  },
  compile(options) {
    const o = options as { allowlisted: boolean; list?: string; methodGetattr?: boolean };
    return { allowlisted: o.allowlisted, list: o.list ?? 'pickle-globals', methodGetattr: o.methodGetattr === true };
  },
  create(ctx) {
    const entries = ctx.lists.get(ctx.options.list) ?? [];
    return {
      fact(fact) {
        const d = fact.data;
        const allowed =
          isAllowlisted(text(d.module), text(d.name), entries) ||
          (d.canonicalModule !== undefined &&
            isAllowlisted(text(d.canonicalModule), text(d.canonicalName), entries)) ||
          (ctx.options.methodGetattr && isMethodGetattr(fact, ctx.lists));
        if (allowed === ctx.options.allowlisted) ctx.report(fact);
      },
    };
  },
};
