/**
 * What the simulated unpickler rejects. A `PickleError` is an `MlvetError` like any other (the
 * dispatcher needs no special case); `details.offset` is the offset of the opcode that failed.
 */
import { MlvetError } from '../../errors.js';

export type PickleErrorCode =
  | 'TRUNCATED'
  | 'PARSE_ERROR'
  | 'UNKNOWN_OPCODE'
  | 'MEMO_MISSING'
  | 'STACK_UNDERFLOW'
  | 'LIMIT_EXCEEDED'
  | 'UNSUPPORTED';

export class PickleError extends MlvetError<PickleErrorCode> {
  constructor(code: PickleErrorCode, message: string, offset: number) {
    super(code, message, { offset });
    this.name = 'PickleError';
  }
}

/** Throw a PickleError; typed `never` so callers narrow after it. */
export function fail(code: PickleErrorCode, message: string, at: number): never {
  throw new PickleError(code, message, at);
}
