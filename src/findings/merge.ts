/**
 * `mlvet report merge`: combine the JSON reports of sharded runs into one. A finding is dropped only
 * when the very same finding (rule, location, evidence, message) is already in (a re-run shard merged
 * twice); two findings that merely share a fingerprint are both kept, so a merge never loses one.
 * Targets merge by URI with their counts added, and the summary is recomputed.
 */
import { MlvetError } from '../errors.js';
import { makeReport } from './report.js';
import type { AuditSection, Finding, Report, TargetSummary } from '../model/report.js';

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function mergeReports(reports: Report[], now?: Date): Report {
  if (reports.length === 0) throw new MlvetError('USAGE', 'report merge needs at least one report');
  for (const r of reports) {
    if (r.schemaVersion !== 1 || !Array.isArray(r.findings)) {
      throw new MlvetError('USAGE', 'not an mlvet JSON report (schemaVersion 1)');
    }
  }
  const targets = new Map<string, TargetSummary>();
  for (const t of reports.flatMap((r) => r.targets)) {
    const cur = targets.get(t.uri);
    if (!cur) targets.set(t.uri, { ...t });
    else {
      cur.files += t.files;
      cur.bytesRead += t.bytesRead;
      cur.bytesTotal += t.bytesTotal;
    }
  }
  const audit = mergeAudit(reports.flatMap((r) => (r.audit ? [r.audit] : [])));
  const same = (f: Finding): string => JSON.stringify([f.fingerprint, f.ruleId, f.severity, f.location, f.message, f.evidence]);
  const merged = makeReport({
    command: reports[0]!.command,
    targets: [...targets.values()],
    findings: uniqueBy(reports.flatMap((r) => r.findings), same),
    suppressed: uniqueBy(reports.flatMap((r) => r.suppressed), same),
    inconclusive: uniqueBy(reports.flatMap((r) => r.inconclusive), (i) => JSON.stringify([i.target, i.path, i.member, i.offset, i.code])),
    files: uniqueBy(reports.flatMap((r) => r.files ?? []), (f) => JSON.stringify([f.target, f.path, f.member])),
    now,
  });
  return audit ? { ...merged, audit } : merged;
}

/** Shard audits: their counts added, their lists joined; each shard's state part is named. */
function mergeAudit(parts: AuditSection[]): AuditSection | undefined {
  if (parts.length === 0) return undefined;
  const sum = (f: (a: AuditSection) => number): number => parts.reduce((n, a) => n + f(a), 0);
  const sorted = (xs: string[]): string[] => [...new Set(xs)].sort();
  const times = (xs: Array<string | null>): string[] => xs.filter((x): x is string => x !== null).sort();
  return {
    state: sorted(parts.map((a) => a.state)).join(', '),
    previousRunAt: times(parts.map((a) => a.previousRunAt))[0] ?? null,
    runAt: times(parts.map((a) => a.runAt)).pop()!,
    objects: { total: sum((a) => a.objects.total), new: sum((a) => a.objects.new), changed: sum((a) => a.objects.changed), removed: sum((a) => a.objects.removed), unchanged: sum((a) => a.objects.unchanged) },
    scanned: sum((a) => a.scanned),
    carriedOver: sum((a) => a.carriedOver),
    changes: uniqueBy(parts.flatMap((a) => a.changes), (c) => `${c.path}\u0000${c.change}`).sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)),
    newlyFailing: sorted(parts.flatMap((a) => a.newlyFailing)),
    resolved: sorted(parts.flatMap((a) => a.resolved)),
  };
}
