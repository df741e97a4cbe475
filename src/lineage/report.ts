/**
 * Verification results into the common report: each problem becomes a neutral `lineage.problem`
 * fact, the `rules/lineage/` pack decides severity and message, and the report's `lineage` section
 * summarises what was verified. Unreadable files and unsupported bundles are inconclusive (exit 2);
 * an unusable manifest exits 3.
 */
import type { Report, Finding } from '../findings/types.js';
import { makeReport } from '../findings/report.js';
import { evaluate } from '../rules/engine.js';
import type { RuleSet } from '../rules/types.js';
import type { Fact, InconclusiveEntry } from '../scanners/types.js';
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

export interface LineageReportParts {
  findings: Finding[];
  inconclusive: InconclusiveEntry[];
  lineage: Record<string, unknown>;
}

export function lineageParts(r: VerifyResult, rules: RuleSet, target: string): LineageReportParts {
  return { findings: evaluate(lineageFacts(r), rules, { target }), inconclusive: lineageInconclusive(r), lineage: lineageSection(r) };
}

/** Append a verification to an existing report (used by `scan --manifest`). */
export function withLineage(report: Report, parts: LineageReportParts): Report {
  const merged = makeReport({
    command: report.command,
    targets: report.targets,
    findings: [...report.findings, ...parts.findings],
    inconclusive: [...report.inconclusive, ...parts.inconclusive],
    suppressed: report.suppressed,
    ...(report.files ? { files: report.files } : {}),
    now: new Date(report.createdAt),
  });
  return { ...merged, ...(report.validation !== undefined ? { validation: report.validation } : {}), lineage: parts.lineage };
}
