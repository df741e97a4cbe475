/**
 * The lineage stage's public surface: keys, signing, verification.
 */
export { generateKey, loadPrivateKey, keyIds, keyAlgOf, KEY_ALGS, type KeyAlg, type KeyIds, type GeneratedKey } from './keys.js';
export { loadTrust, type Trust, type TrustedKey } from './trust.js';
export { sign, type SignOptions, type SignResult } from './sign.js';
export { verifyManifest, type VerifyOptions, type VerifyResult, type VerifyStatus } from './verify.js';
export { verify, type VerifyReportOptions, type VerifyOutcome } from './verify-report.js';
export { addManifestCheck } from './scan-hook.js';
export { hashFiles, type HashOptions } from './hash/pool.js';
export { PROBLEM_CODES, type Problem, type ProblemCode, type ManifestFormat } from './types.js';
