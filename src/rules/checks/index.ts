/**
 * The built-in checks a rule can name in `check.name`. Listed here, not discovered: a check is code
 * that runs on every scan, so adding one is a reviewed line in this file.
 */
import { pickleAllowlist } from './pickle-allowlist.js';
import { pickleGlobals } from './pickle-globals.js';
import { targetAlsoHas } from './target-also-has.js';
import type { Check } from './types.js';

export const CHECKS: ReadonlyMap<string, Check<unknown>> = new Map(
  ([pickleGlobals, pickleAllowlist, targetAlsoHas] as Array<Check<unknown>>).map((c) => [c.meta.name, c]),
);
