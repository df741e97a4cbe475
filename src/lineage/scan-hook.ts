/**
 * `scan --manifest`: the same verification as `mlvet verify`, appended to a scan report as findings.
 * Pass the scan's policy, so lineage findings are evaluated and suppressed like the scan's own.
 */
import { MlvetError } from '../errors.js';
import { policyFor, type WithPolicy } from '../findings/policy.js';
import type { Report } from '../model/report.js';
import { manifestInvalid, withLineage } from './report.js';
import { loadTrust } from './trust.js';
import { verifyManifest } from './verify.js';

export interface ManifestCheckOptions extends WithPolicy {
  targets: string[];
  manifest: string;
  trustedKeys?: string[];
  trustFile?: string;
  offline?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function addManifestCheck(report: Report, o: ManifestCheckOptions): Promise<{ report: Report; manifestInvalid: boolean }> {
  if (o.targets.length !== 1) throw new MlvetError('USAGE', '--manifest checks exactly one scan target');
  const trust = loadTrust({ ...(o.trustedKeys ? { trustedKeys: o.trustedKeys } : {}), ...(o.trustFile ? { trustFile: o.trustFile } : {}), ...(o.cwd ? { cwd: o.cwd } : {}) });
  const result = await verifyManifest({ target: o.targets[0]!, manifest: o.manifest, trust, ...(o.cwd ? { cwd: o.cwd } : {}), ...(o.offline ? { offline: true } : {}), ...(o.env ? { env: o.env } : {}) });
  return { report: withLineage(report, result, o.targets[0]!, policyFor(o)), manifestInvalid: manifestInvalid(result) };
}
