/**
 * mlvet as a library. The CLI is a thin layer over these functions.
 *
 * @example
 * import { scan, exitCodeFor } from 'mlvet';
 * const report = await scan({ targets: ['./models'] });
 * console.log(report.summary, exitCodeFor(report, 'medium'));
 */
export { scan, type ScanOptions } from './scan.js';
export { audit, type AuditOptions } from './audit/index.js';
export { exitCodeFor, makeReport, EXIT, VERSION } from './findings/report.js';
export type { Finding, Report, Severity, Summary, Suppressed, TargetSummary, FailOn } from './model/report.js';
export type { Fact, Location, InconclusiveEntry } from './model/facts.js';
export type { Budgets } from './model/budgets.js';
export { DEFAULT_BUDGETS } from './model/budgets.js';
export { MlvetError, type MlvetErrorCode } from './errors.js';
export { loadRuleSet } from './rules/load.js';
export { evaluate as evaluateRules } from './rules/engine.js';
export { RENDERERS } from './reporters/index.js';
export {
  sign,
  verify,
  verifyManifest,
  generateKey,
  loadPrivateKey,
  loadTrust,
  keyIds,
  hashFiles,
  PROBLEM_CODES,
  type SignOptions,
  type SignResult,
  type VerifyReportOptions,
  type VerifyOutcome,
  type VerifyResult,
  type Problem,
  type ProblemCode,
} from './lineage/index.js';
/**
 * Validate a dataset against a GX suite and/or a baseline.
 * @example
 * const { report, validation } = await validate({ dataset: 'train.parquet', baseline: 'baseline.json', label: 'label' });
 */
export { validate, type ValidateOptions, type ValidateOutput } from './validation/validate.js';
/**
 * Build a baseline (and an inferred GX suite) from trusted data.
 * @example
 * const { baseline, suite } = await profile({ dataset: 'trusted/', label: 'label' });
 */
export { profile, type ProfileOptions, type ProfileOutput } from './validation/profile.js';
/**
 * Open a target (local path, `hf://`, `s3://`, `https://`) as an artifact of random-access files, and
 * read what the remote already knows about each file's content.
 *
 * @example
 * const art = await openTarget('hf://org/model@main');
 * console.log(art.info.resolvedRevision);            // the commit `main` pointed to
 * for (const d of await remoteDigests(art)) console.log(d.path, d.trust, d.sha256); // no download
 * await art.close();
 */
export { openTarget, RESOLVERS, type SourceOptions } from './sources/index.js';
export { remoteDigests, remoteOptions, type RemoteDigest, type DigestTrust, type RemoteOptions } from './artifact/remote/index.js';
