/**
 * mlvet's poisoning checks, written in GX's `expect_*` style so results share GX's shape. GX 1.x
 * refuses unknown types, so these live in a sibling `*.mlvet.json` suite (or are derived from a
 * baseline), never in a suite GX itself loads. The registry is the list of family lists: a new check
 * is one record in its family's file; a new family is one file and one line here.
 */
import { COLUMN_CHECKS } from './column-checks.js';
import { COLUMN_RATE_CHECKS } from './column-rates.js';
import type { Check, PoisonCheck } from './context.js';
import { LABEL_CHECKS } from './label-checks.js';
import { NEAR_DUP_CHECKS } from './near-dup-checks.js';
import { ROW_CHECKS } from './rows-checks.js';
import { TABLE_CHECKS } from './table-checks.js';
import { TOKEN_CHECKS } from './token-checks.js';

export const POISON_CHECK_LIST: readonly PoisonCheck[] = [...TABLE_CHECKS, ...ROW_CHECKS, ...LABEL_CHECKS, ...COLUMN_CHECKS, ...COLUMN_RATE_CHECKS, ...TOKEN_CHECKS, ...NEAR_DUP_CHECKS];

/** by type; no prototype, so a suite naming `toString` is an unknown type, not Object's method */
export const POISON_CHECKS: Readonly<Record<string, PoisonCheck>> = Object.setPrototypeOf(
  Object.fromEntries(POISON_CHECK_LIST.map((c) => [c.type, c])),
  null,
) as Record<string, PoisonCheck>;

/** type → check function, as validate() looks them up */
export const CHECKS: Readonly<Record<string, Check>> = Object.setPrototypeOf(
  Object.fromEntries(POISON_CHECK_LIST.map((c) => [c.type, c.run])),
  null,
) as Record<string, Check>;
