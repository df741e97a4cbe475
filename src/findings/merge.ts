/**
 * `mlvet report merge`: combine the JSON reports of sharded runs into one. A finding is dropped only
 * when the very same finding (rule, location, evidence, message) is already in (a re-run shard merged
 * twice); two findings that merely share a fingerprint are both kept, so a merge never loses one.
 * Targets merge by URI with their counts added, and the summary is recomputed.
 */
import { MlvetError } from '../errors.js';
import { makeReport } from './report.js';
import type { Finding, Report, TargetSummary } from '../model/report.js';

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
  const same = (f: Finding): string => JSON.stringify([f.fingerprint, f.ruleId, f.severity, f.location, f.message, f.evidence]);
  return makeReport({
    command: reports[0]!.command,
    targets: [...targets.values()],
    findings: uniqueBy(reports.flatMap((r) => r.findings), same),
    suppressed: uniqueBy(reports.flatMap((r) => r.suppressed), same),
    inconclusive: uniqueBy(reports.flatMap((r) => r.inconclusive), (i) => JSON.stringify([i.target, i.path, i.member, i.offset, i.code])),
    files: uniqueBy(reports.flatMap((r) => r.files ?? []), (f) => JSON.stringify([f.target, f.path, f.member])),
    now,
  });
}
