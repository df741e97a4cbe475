/**
 * One exit-code rule for datasets, shared by `profile` and `validate`: content that cannot be read
 * (corrupt Parquet footer, truncated Arrow batch, unterminated CSV quote, a record or nesting past a
 * limit, a compressed columnar file) is inconclusive, exit 2; a wrong invocation or suite is exit 3.
 * A row-level problem (ragged CSV row, bad JSONL line) is reported per row and also ends exit 2.
 */
import { isMlvetError, USAGE_CODES } from '../errors.js';

export const EXIT_INCONCLUSIVE = 2;
export const EXIT_USAGE = 3;

/** The exit code for an error thrown by `validate()` or `profile()`. */
export function datasetErrorExit(e: unknown): typeof EXIT_INCONCLUSIVE | typeof EXIT_USAGE {
  // an uncoded error is a bug in mlvet, reported as the CLI reports any internal error
  if (!isMlvetError(e)) return EXIT_USAGE;
  return USAGE_CODES.has(e.code) ? EXIT_USAGE : EXIT_INCONCLUSIVE;
}
