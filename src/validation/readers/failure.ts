/**
 * Third-party parsers (hyparquet, apache-arrow, csv-parse, fzstd) fail on hostile input with their
 * own internals ("Cannot read properties of undefined (reading 'map')"). Every call into one goes
 * through here, so the caller sees a coded mlvet error naming the file and what was wrong, and the
 * parser's own words stay in `details.cause` for a bug report.
 */
import { isMlvetError, MlvetError, type MlvetErrorDetails } from '../../errors.js';

export interface FailureWhere {
  /** 1-based row the failing unit (row group, record batch, record) starts at */
  row?: number;
  offset?: number;
}

/** A coded error for `what` went wrong in `display`; an MlvetError from below passes through unchanged. */
export function parserFailure(display: string, parser: string, what: string, e: unknown, where: FailureWhere = {}): MlvetError {
  if (isMlvetError(e)) return e;
  const cause = e instanceof Error ? e.message : String(e);
  const details: MlvetErrorDetails = { path: display, parser, cause: cause.slice(0, 500), ...where };
  return new MlvetError('PARSE_ERROR', `${display}: ${what}`, details, { cause: e });
}

/** Run `fn`, turning any failure into `parserFailure(...)`. */
export async function guarded<T>(display: string, parser: string, what: string, fn: () => Promise<T> | T, where?: FailureWhere): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw parserFailure(display, parser, what, e, where);
  }
}
