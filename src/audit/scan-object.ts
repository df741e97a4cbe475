/**
 * One object through the one scanner, `scan()`, with the run's policy. Its findings are kept raw
 * (suppressed ones too, without their suppression: the ignore file is applied afresh every run) and
 * renamed from the object's own name to its path in the audited target, fingerprints recomputed so
 * they are the ones a whole-target scan gives.
 */
import type { Artifact } from '../artifact/types.js';
import type { Policy } from '../findings/policy.js';
import type { InconclusiveEntry } from '../model/facts.js';
import { severityRank, type AuditVerdict, type FailOn, type Finding, type Report } from '../model/report.js';
import { fingerprint } from '../rules/engine.js';
import { scan } from '../scan.js';
import { sha256File } from './identity.js';
import type { AuditObject, StateEntry } from './types.js';

export interface ScanContext {
  target: string;
  policy: Policy;
  rulesDigest: string;
  tool: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** scan() prefixes repo-level findings with the object's path (a Hub repo is many files) */
  container: boolean;
  failOn: FailOn;
  /** opens a listed object from its listing (S3: the run's client, no HeadObject); default: scan() opens `scanTarget` */
  open?: (o: AuditObject) => Promise<Artifact>;
}

function renamed(ctx: ScanContext, o: AuditObject, path: string): string {
  return ctx.container ? `${o.path}/${path}` : o.path;
}

function relocate(ctx: ScanContext, o: AuditObject, f: Finding): Finding {
  const raw: Finding & { suppression?: unknown } = { ...f };
  delete raw.suppression;
  delete raw.carriedOver;
  const loc = { ...raw.location };
  delete loc.target;
  const location = { ...loc, path: renamed(ctx, o, loc.path) };
  return { ...raw, location: { target: ctx.target, ...location }, fingerprint: fingerprint(raw.ruleId, { kind: '', location, data: raw.evidence }, ctx.target) };
}

/**
 * clean / findings / inconclusive from what a run reports for the object (after suppressions):
 * `findings` when one reaches the fail-on threshold, so the verdict says whether it fails the run.
 */
export function verdictOf(findings: readonly Finding[], inconclusive: readonly InconclusiveEntry[], failOn: FailOn): AuditVerdict {
  if (failOn !== 'none' && findings.some((f) => severityRank(f.severity) >= severityRank(failOn))) return 'findings';
  return inconclusive.length > 0 ? 'inconclusive' : 'clean';
}

export async function scanObject(ctx: ScanContext, o: AuditObject, now: Date): Promise<{ entry: StateEntry; sourceFailed: boolean }> {
  const open = ctx.open;
  const r: Report = await scan({ targets: [o.scanTarget], policy: ctx.policy, env: ctx.env, cwd: ctx.cwd, concurrency: 1, ...(open ? { open: () => open(o) } : {}) });
  const findings = [...r.findings, ...r.suppressed].map((f) => relocate(ctx, o, f));
  const inconclusive = r.inconclusive.map((i) => ({ ...i, target: ctx.target, path: renamed(ctx, o, i.path) }));
  const files = (r.files ?? []).map((f) => ({ ...f, target: ctx.target, path: renamed(ctx, o, f.path) }));
  let identity = o.identity;
  let bytesRead = r.targets.reduce((n, t) => n + t.bytesRead, 0);
  if (identity.kind === 'local') {
    const d = await sha256File(o.scanTarget);
    identity = { ...identity, sha256: d.sha256 };
    bytesRead += d.bytes;
  }
  const entry: StateEntry = {
    identity,
    verdict: verdictOf(r.findings, inconclusive, ctx.failOn),
    findings,
    inconclusive,
    files,
    rulesDigest: ctx.rulesDigest,
    tool: ctx.tool,
    scannedAt: now.toISOString(),
    bytesRead,
  };
  // the object could not be opened (gone since the listing, a network failure): not a result to keep
  return { entry, sourceFailed: r.inconclusive.some((i) => i.scanner === 'source') };
}
