/**
 * `verify()`: the library entry the CLI calls. Loads trust, runs the checklist, turns problems into
 * findings through the rule packs, applies suppressions, and returns one Report (command `verify`)
 * plus the exit code it maps to.
 */
import { policyFor, type WithPolicy } from '../findings/policy.js';
import { EXIT, exitCodeFor } from '../findings/report.js';
import type { FailOn, Report } from '../model/report.js';
import { lineageParts, manifestInvalid } from './report.js';
import { loadTrust, type Trust } from './trust.js';
import { verifyManifest, type VerifyOptions, type VerifyResult } from './verify.js';

export interface VerifyReportOptions extends Omit<VerifyOptions, 'trust'>, WithPolicy {
  /** ready trust, or build it from the two fields below */
  trust?: Trust;
  trustedKeys?: string[];
  trustFile?: string;
  /** keyless: Sigstore trusted_root.json plus the identity policy */
  sigstoreRoot?: string;
  identity?: string;
  issuer?: string;
}

export interface VerifyOutcome {
  report: Report;
  result: VerifyResult;
  /** 3 for an unusable manifest, else the usual 1/2/0 by findings and inconclusive entries */
  exitCode(failOn: FailOn): number;
}

/**
 * Verify a directory, or a remote target (hf://, s3://, https://), against a signed manifest and get a Report.
 *
 * @example
 * const { report, exitCode } = await verify({ target: 'model/', manifest: 'm.sigstore.json', trustedKeys: ['release.pub'] });
 * process.exitCode = exitCode('medium');
 */
export async function verify(opts: VerifyReportOptions): Promise<VerifyOutcome> {
  const cwd = opts.cwd ?? process.cwd();
  const policy = policyFor({ ...opts, cwd });
  const trust = opts.trust ?? loadTrust({ ...opts, cwd });
  const result = await verifyManifest({ ...opts, trust, cwd });
  const files = result.sets.reduce((n, s) => n + s.checked, 0);
  const hashed = result.sets.reduce((n, s) => n + s.bytes, 0);
  const rem = result.remote;
  const report = policy.report({
    command: 'verify',
    targets: [
      rem
        ? { uri: opts.target, kind: rem.kind, ...(rem.resolvedRevision ? { resolvedRevision: rem.resolvedRevision } : {}), files, bytesRead: rem.bytesRead, bytesTotal: rem.bytesTotal }
        : { uri: opts.target, kind: 'local', files, bytesRead: hashed, bytesTotal: hashed },
    ],
    ...lineageParts(result, opts.target),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { report, result, exitCode: (failOn) => (manifestInvalid(result) ? EXIT.USAGE : exitCodeFor(report, failOn)) };
}
