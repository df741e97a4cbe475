/**
 * The report's `audit` section: how the objects listed now compare with the last finished run's,
 * what was read and what was carried over, and which objects started or stopped failing.
 */
import type { AuditSection, AuditVerdict } from '../model/report.js';

export type Change = 'new' | 'changed' | 'unchanged';

export interface SectionInput {
  state: string;
  previousRunAt: string | null;
  runAt: string;
  /** every object listed now, in path order, with how it compares and its verdict now */
  objects: Array<{ path: string; change: Change; verdict: AuditVerdict; previous?: AuditVerdict }>;
  /** objects of the last run that are gone, with their last verdict */
  removed: Array<{ path: string; previous: AuditVerdict }>;
  scanned: number;
  carriedOver: number;
}

const failing = (v: AuditVerdict | undefined): boolean => v !== undefined && v !== 'clean';

export function auditSection(i: SectionInput): AuditSection {
  const count = (c: Change): number => i.objects.filter((o) => o.change === c).length;
  const changes: AuditSection['changes'] = [];
  for (const o of i.objects) if (o.change !== 'unchanged') changes.push({ path: o.path, change: o.change, verdict: o.verdict });
  for (const r of i.removed) changes.push({ path: r.path, change: 'removed', verdict: r.previous });
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const newlyFailing = i.objects.filter((o) => failing(o.verdict) && !failing(o.previous)).map((o) => o.path);
  const resolved = [...i.objects.filter((o) => failing(o.previous) && !failing(o.verdict)).map((o) => o.path), ...i.removed.filter((r) => failing(r.previous)).map((r) => r.path)].sort();
  return {
    state: i.state,
    previousRunAt: i.previousRunAt,
    runAt: i.runAt,
    objects: { total: i.objects.length, new: count('new'), changed: count('changed'), removed: i.removed.length, unchanged: count('unchanged') },
    scanned: i.scanned,
    carriedOver: i.carriedOver,
    changes,
    newlyFailing,
    resolved,
  };
}
