/**
 * Verification results into the common report: each problem becomes a neutral `lineage.problem`
 * fact, the `rules/lineage/` pack decides severity and message, and the report's `lineage` section
 * summarises what was verified. Unreadable files and unsupported bundles are inconclusive (exit 2);
 * an unusable manifest exits 3.
 */
import type { Policy, ReportParts } from '../findings/policy.js';
import type { Report } from '../model/report.js';
import type { Fact, InconclusiveEntry } from '../model/facts.js';
import { MANIFEST_INVALID_CODES } from './types.js';
import type { VerifyResult } from './verify.js';

export function lineageFacts(r: VerifyResult): Fact[] {
  return r.problems.map((p) => ({
    kind: 'lineage.problem',
    location: { path: p.path ?? r.manifest },
    data: {
      code: p.code,
      detail: p.detail,
      manifest: r.manifest,
      ...(p.reason !== undefined ? { reason: p.reason } : {}),
      ...(p.set !== undefined ? { set: p.set } : {}),
      ...(p.path !== undefined ? { path: p.path } : {}),
      ...(p.source !== undefined ? { source: p.source } : {}),
      ...(p.expected !== undefined ? { expected: p.expected } : {}),
      ...(p.actual !== undefined ? { actual: p.actual } : {}),
      ...(p.trust !== undefined ? { trust: p.trust } : {}),
      key: `${p.code}:${p.set ?? ''}:${p.path ?? p.source ?? ''}:${p.reason ?? ''}`,
    },
  }));
}

export function lineageInconclusive(r: VerifyResult): InconclusiveEntry[] {
  const out: InconclusiveEntry[] = r.unreadable.map((u) => ({ path: u.path, code: 'IO_ERROR', message: `could not read: ${u.message}`, scanner: 'lineage' }));
  for (const u of r.unverified ?? []) out.push({ path: u.path, code: 'DIGEST_UNAVAILABLE', message: u.message, scanner: 'lineage' });
  if (r.unsupported) out.push({ path: r.manifest, code: 'UNSUPPORTED', message: r.unsupported, scanner: 'lineage' });
  return out;
}

/** The report's `lineage` section. Before the signature verified it holds nothing from the payload. */
export function lineageSection(r: VerifyResult): Record<string, unknown> {
  const byCode: Record<string, number> = {};
  for (const p of r.problems) byCode[p.code] = (byCode[p.code] ?? 0) + 1;
  const trusted = r.signer !== undefined;
  return {
    manifest: r.manifest,
    status: r.status,
    signature: trusted ? 'verified' : r.status === 'unsupported' ? 'not-checked' : r.status === 'invalid' ? 'not-checked' : 'failed',
    ...(r.signer ? { signer: r.signer } : {}),
    ...(trusted && r.format ? { format: r.format } : {}),
    ...(trusted && r.predicateType ? { predicateType: r.predicateType } : {}),
    ...(trusted && r.serialization ? { serialization: r.serialization } : {}),
    ...(trusted ? { sets: r.sets } : {}),
    ...(trusted && r.sources !== undefined ? { sources: r.sources, transforms: r.transforms } : {}),
    ...(trusted && r.remote ? { remote: r.remote } : {}),
    problems: byCode,
  };
}

export function manifestInvalid(r: VerifyResult): boolean {
  return r.problems.some((p) => MANIFEST_INVALID_CODES.has(p.code));
}

/** A verification as report parts: its facts for the policy, its inconclusive entries, its section. */
export function lineageParts(r: VerifyResult, target: string): Pick<ReportParts, 'facts' | 'inconclusive' | 'sections'> {
  return { facts: [{ target, facts: lineageFacts(r) }], inconclusive: lineageInconclusive(r), sections: { lineage: lineageSection(r) } };
}

/** Append a verification to an existing report (used by `scan --manifest`). */
export function withLineage(report: Report, r: VerifyResult, target: string, policy: Policy): Report {
  const parts = lineageParts(r, target);
  return policy.report({
    command: report.command,
    targets: report.targets,
    findings: report.findings,
    suppressed: report.suppressed,
    facts: parts.facts,
    inconclusive: [...report.inconclusive, ...(parts.inconclusive ?? [])],
    ...(report.files ? { files: report.files } : {}),
    sections: { ...(report.validation !== undefined ? { validation: report.validation } : {}), ...parts.sections },
    now: new Date(report.createdAt),
  });
}
