/**
 * `pickle-allowlist`: a `pickle.global` fact matches when whether it is on a named allowlist (by its
 * own module/name, or by the canonical name an alias resolves to) equals `allowlisted`. With
 * `allowlisted: false` this is "a global no list vouches for".
 */
import type { AllowEntry } from '../../model/policy.js';
import type { Check } from './types.js';

export interface PickleAllowlistOptions {
  allowlisted: boolean;
  list: string;
}

function isPlainOrClassPath(name: string): boolean {
  if (!name.includes('.')) return true;
  // a dotted name under a wildcard entry is allowed only as Class.attr, never a walk into a module
  return /^[A-Z]/.test(name) && !name.split('.').some((p) => p.startsWith('__'));
}

function isAllowlisted(module: string, name: string, entries: readonly AllowEntry[]): boolean {
  for (const e of entries) {
    if (e.names === '*') {
      const modOk = module === e.module || (e.submodules === true && module.startsWith(e.module + '.'));
      if (modOk && (name === '*' || isPlainOrClassPath(name))) return true;
    } else if (module === e.module && e.names.includes(name)) {
      return true;
    }
  }
  return false;
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
      },
    },
  },
  compile(options) {
    const o = options as { allowlisted: boolean; list?: string };
    return { allowlisted: o.allowlisted, list: o.list ?? 'pickle-globals' };
  },
  create(ctx) {
    const entries = ctx.lists.get(ctx.options.list) ?? [];
    return {
      fact(fact) {
        const d = fact.data;
        const allowed =
          isAllowlisted(text(d.module), text(d.name), entries) ||
          (d.canonicalModule !== undefined &&
            isAllowlisted(text(d.canonicalModule), text(d.canonicalName), entries));
        if (allowed === ctx.options.allowlisted) ctx.report(fact);
      },
    };
  },
};
