/**
 * `audit --manifest`: the target against a signed manifest, through the same verification as
 * `mlvet verify` and `scan --manifest`, so unsigned objects, objects changed since signing and signed
 * objects that are gone carry verify's lineage codes and rules. This check is not incremental: it
 * hashes (or, remotely, takes the store's sha256 for) every object each run.
 */
import { addManifestCheck, type ManifestCheckOptions } from '../lineage/scan-hook.js';
import type { Report } from '../model/report.js';

export async function auditManifest(report: Report, o: Omit<ManifestCheckOptions, 'targets'> & { target: string }): Promise<{ report: Report; manifestInvalid: boolean }> {
  const { target, ...rest } = o;
  const checked = await addManifestCheck(report, { ...rest, targets: [target] });
  // the audit section is the audit's own; the lineage step rebuilds the report around it
  return { report: { ...checked.report, ...(report.audit ? { audit: report.audit } : {}), command: 'audit' }, manifestInvalid: checked.manifestInvalid };
}
