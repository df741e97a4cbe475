/**
 * What users (and rule packs) add to the policy: allowlist entries and suppressions. Config, the rule
 * loader and the findings policy share these shapes.
 */

/** An allowlisted module, with the names under it that real artifacts use (or `*`). */
export interface AllowEntry {
  module: string;
  names: '*' | string[];
  submodules?: boolean;
  reason: string;
}

/** A suppression from `.mlvetignore` or config `ignore`: the reason is required. */
export interface IgnoreEntry {
  rule: string;
  path: string;
  reason: string;
  expires?: string;
  /** where the entry came from (`.mlvetignore:3`) */
  source?: string;
}
