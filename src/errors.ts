/**
 * Every error mlvet raises carries a literal `code`, so callers (and the CLI's exit-code mapping)
 * branch on codes, never on message text.
 */
export type MlvetErrorCode =
  // input could not be fully read or parsed: the scan is inconclusive
  | 'TRUNCATED'
  | 'PARSE_ERROR'
  | 'UNKNOWN_OPCODE'
  | 'MEMO_MISSING'
  | 'STACK_UNDERFLOW'
  | 'LIMIT_EXCEEDED'
  | 'UNSUPPORTED'
  | 'IO_ERROR'
  | 'REMOTE_ERROR'
  // verify of a remote target: the store serves no sha256 for a file and it was not downloaded
  | 'DIGEST_UNAVAILABLE'
  | 'ENCRYPTED'
  // the name claims a serialization format (model.pt, weights.safetensors) but no parser recognised the bytes
  | 'UNRECOGNIZED_FORMAT'
  // usage or environment: exit 3
  | 'USAGE'
  | 'NOT_FOUND'
  | 'CONFIG_INVALID'
  | 'RULES_INVALID'
  | 'SUITE_INVALID'
  | 'MANIFEST_INVALID'
  | 'AUTH'
  | 'OFFLINE'
  | 'PATH_UNSAFE'
  | 'KEY_INVALID'
  // `mlvet audit`: a state file or journal that is corrupt, foreign or from a newer mlvet; a state another run holds
  | 'STATE_INVALID'
  | 'LOCKED';

/** Codes that mean "the environment or the invocation is wrong" rather than "this input is bad". */
export const USAGE_CODES: ReadonlySet<MlvetErrorCode> = new Set<MlvetErrorCode>([
  'USAGE',
  'NOT_FOUND',
  'CONFIG_INVALID',
  'RULES_INVALID',
  'SUITE_INVALID',
  'MANIFEST_INVALID',
  'AUTH',
  'OFFLINE',
  'KEY_INVALID',
  'STATE_INVALID',
  'LOCKED',
  // a path mlvet refuses to read or write through (a planted symlink, a FIFO): the environment is wrong
  'PATH_UNSAFE',
]);

export interface MlvetErrorDetails {
  /** file or object the error is about */
  path?: string;
  /** byte offset inside the file (or member) */
  offset?: number;
  /** 1-based row or line number */
  row?: number;
  /** member inside a container, e.g. `archive/data.pkl` */
  member?: string;
  /** anything else worth printing; never secrets */
  [key: string]: unknown;
}

export class MlvetError<C extends MlvetErrorCode = MlvetErrorCode> extends Error {
  readonly code: C;
  readonly details: MlvetErrorDetails;

  constructor(code: C, message: string, details: MlvetErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MlvetError';
    this.code = code;
    this.details = details;
  }
}

export function isMlvetError(e: unknown): e is MlvetError {
  return e instanceof MlvetError;
}

/** Strip anything that looks like a token or key before it reaches a terminal or a log. */
export function redact(s: string): string {
  return s
    .replace(/\bhf_[A-Za-z0-9]{8,}\b/g, 'hf_***')
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '$1***')
    .replace(/(authorization|x-amz-security-token|token|secret|password)(["'\s:=]+)([^\s"',;]+)/gi, '$1$2***')
    .replace(
      /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
      '[private key redacted]',
    );
}
