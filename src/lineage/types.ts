/**
 * Shared vocabulary of the lineage stage: the problem codes a verification can report and the
 * constants of the formats we read and write.
 */

/** Problem codes, one per distinct failure, in the order the checklist in verify.ts can raise them. */
export const PROBLEM_CODES = [
  'BUNDLE_INVALID',
  'KEY_UNTRUSTED',
  'SIGNATURE_INVALID',
  'PAYLOAD_UNSUPPORTED',
  'STATEMENT_INVALID',
  'FILE_MISSING',
  'FILE_EXTRA',
  'DIGEST_MISMATCH',
  'SIZE_MISMATCH',
  'PATH_UNSAFE',
  'SOURCE_UNPINNED',
  'SOURCE_WEAK_DIGEST',
  'LINEAGE_DANGLING',
  'LINEAGE_CYCLE',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Codes that mean "this manifest cannot be used at all": the CLI exits 3 for them. */
export const MANIFEST_INVALID_CODES: ReadonlySet<ProblemCode> = new Set(['BUNDLE_INVALID', 'PAYLOAD_UNSUPPORTED', 'STATEMENT_INVALID']);

export interface Problem {
  code: ProblemCode;
  /** one line saying what is wrong, naming the file/field; never key material */
  detail: string;
  /** artifact set the problem belongs to (mlvet format) */
  set?: string;
  /** file path relative to the verify target */
  path?: string;
  /** source name (lineage problems) */
  source?: string;
  expected?: unknown;
  actual?: unknown;
  /** finer cause: `symlink`, `special-file`, `dotdot`, `hint-mismatch`, … */
  reason?: string;
  /** remote targets: where the compared digest came from (the store's claim, or hashed here) */
  trust?: 'remote-claimed' | 'local';
}

export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const ACCEPTED_BUNDLE_MEDIA_TYPES: ReadonlySet<string> = new Set([
  BUNDLE_MEDIA_TYPE,
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
]);
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const MLVET_PREDICATE = 'https://mlvet.dev/lineage/v0.1';
export const MS_PREDICATE_V1 = 'https://model_signing/signature/v1.0';
export const MS_PREDICATE_V01 = 'https://model_signing/Digests/v0.1';

/** Paths model_signing ignores by default (component-prefix match), which mlvet mirrors. */
export const DEFAULT_IGNORES: readonly string[] = ['.git', '.gitattributes', '.github', '.gitignore'];

export type ManifestFormat = 'mlvet' | 'model-signing';
