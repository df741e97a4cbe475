/**
 * `scan --manifest`: the same verification as `mlvet verify`, appended to a scan report as findings.
 */
import type { MlvetConfig } from '../config/config.js';
import { MlvetError } from '../errors.js';
import type { Report } from '../findings/types.js';
import { ruleSetFor } from '../scan.js';
import { lineageParts, manifestInvalid, withLineage } from './report.js';
import { loadTrust } from './trust.js';
import { verifyManifest } from './verify.js';

export interface ManifestCheckOptions {
  targets: string[];
  manifest: string;
  trustedKeys?: string[];
  trustFile?: string;
  config?: MlvetConfig;
  rules?: string[];
  cwd?: string;
  offline?: boolean;
}

export async function addManifestCheck(report: Report, o: ManifestCheckOptions): Promise<{ report: Report; manifestInvalid: boolean }> {
  if (o.targets.length !== 1) throw new MlvetError('USAGE', '--manifest checks exactly one scan target');
  const trust = loadTrust({ ...(o.trustedKeys ? { trustedKeys: o.trustedKeys } : {}), ...(o.trustFile ? { trustFile: o.trustFile } : {}) });
  const result = await verifyManifest({ target: o.targets[0]!, manifest: o.manifest, trust, ...(o.cwd ? { cwd: o.cwd } : {}), ...(o.offline ? { offline: true } : {}) });
  const parts = lineageParts(result, ruleSetFor(o.config ?? {}, o.rules), o.targets[0]!);
  return { report: withLineage(report, parts), manifestInvalid: manifestInvalid(result) };
}
