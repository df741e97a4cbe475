/**
 * What every renderer needs: findings, inconclusive entries and suppressions grouped per scanned file,
 * a readable location string, and rule metadata. Renderers stay pure functions of (report, options).
 */
import type { Finding, Report, Suppressed } from '../model/report.js';
import { severityRank } from '../model/report.js';
import type { InconclusiveEntry, Location } from '../model/facts.js';

export interface FileGroup {
  /** the target the file belongs to, when it can be told */
  target?: string;
  path: string;
  /** content label from the dispatcher (`pickle`, `zip`, …) */
  format?: string;
  findings: Finding[];
  inconclusive: InconclusiveEntry[];
  suppressed: Suppressed[];
}

/** `model.bin!archive/data.pkl @ byte 112`, `data.csv:3:4`, `train.parquet row 12` */
export function where(
  l: Pick<Location, 'path' | 'member' | 'offset' | 'line' | 'column' | 'row'>,
  withPath = true,
): string {
  let s = withPath ? l.path : '';
  if (l.member) s += withPath ? `!${l.member}` : l.member;
  if (l.line !== undefined) s += `:${l.line}${l.column !== undefined ? `:${l.column}` : ''}`;
  else if (l.row !== undefined) s += ` row ${l.row}`;
  else if (l.offset !== undefined) s += ` @ byte ${l.offset}`;
  return s.trim();
}

/** A location's `target`, or one on entries whose type does not declare it (inconclusive, files). */
function declaredTarget(x: object): string | undefined {
  const t = (x as { target?: unknown }).target;
  return typeof t === 'string' ? t : undefined;
}

/**
 * Which target an entry belongs to. Findings carry it; other entries are attributed when there is one
 * target, or when exactly one target has findings for that path.
 */
export function targetResolver(report: Report): (x: { path: string }) => string | undefined {
  const single = report.targets.length === 1 ? report.targets[0]?.uri : undefined;
  const byPath = new Map<string, Set<string>>();
  for (const f of [...report.findings, ...report.suppressed]) {
    if (!f.location.target) continue;
    const set = byPath.get(f.location.path) ?? new Set<string>();
    set.add(f.location.target);
    byPath.set(f.location.path, set);
  }
  return (x) => {
    const own = declaredTarget(x);
    if (own) return own;
    if (single) return single;
    const hits = byPath.get(x.path);
    return hits && hits.size === 1 ? [...hits][0] : undefined;
  };
}

/** Group everything by (target, top-level file). Files with something to say come first, worst first. */
export function groupByFile(report: Report): FileGroup[] {
  const targetOf = targetResolver(report);
  // by target (no target and '' are one), then by path; `groups` keeps the order they were first met
  const byTarget = new Map<string, Map<string, FileGroup>>();
  const groups: FileGroup[] = [];
  const get = (x: { path: string }): FileGroup => {
    const target = targetOf(x);
    let paths = byTarget.get(target ?? '');
    if (!paths) byTarget.set(target ?? '', (paths = new Map<string, FileGroup>()));
    let g = paths.get(x.path);
    if (!g) {
      g = {
        ...(target !== undefined ? { target } : {}),
        path: x.path,
        findings: [],
        inconclusive: [],
        suppressed: [],
      };
      paths.set(x.path, g);
      groups.push(g);
    }
    return g;
  };
  for (const f of report.files ?? []) {
    const g = get(f);
    // the top-level entry names the file's own format; nested members come later in the list
    if (g.format === undefined && !(f as { member?: string }).member) g.format = f.format;
  }
  for (const f of report.findings) get(f.location).findings.push(f);
  for (const i of report.inconclusive) get(i).inconclusive.push(i);
  for (const s of report.suppressed) get(s.location).suppressed.push(s);
  const rank = new Map(groups.map((g) => [g, groupRank(g)]));
  // the collator localeCompare uses, made once instead of looked up per comparison
  const { compare } = new Intl.Collator();
  return groups.sort(
    (a, b) => rank.get(b)! - rank.get(a)! || compare(a.target ?? '', b.target ?? '') || compare(a.path, b.path),
  );
}

/** critical 50 … low 20, inconclusive 15, info-only 10, suppressed-only 5, clean 0 */
export function groupRank(g: FileGroup): number {
  const worst = Math.max(0, ...g.findings.map((f) => severityRank(f.severity)));
  if (worst > severityRank('info')) return worst * 10;
  if (g.inconclusive.length) return 15;
  if (worst) return 10;
  return g.suppressed.length ? 5 : 0;
}

/** `1 file`, `2 files` */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** `1 file, 43 B`, or `…, 2.0 KiB read of 10 GiB` when only part was read (ranged remote reads) */
export function targetSize(t: { files: number; bytesRead: number; bytesTotal: number }): string {
  const size =
    t.bytesRead < t.bytesTotal
      ? `${formatBytes(t.bytesRead)} read of ${formatBytes(t.bytesTotal)}`
      : formatBytes(t.bytesTotal);
  return `${plural(t.files, 'file')}, ${size}`;
}

/** How a file is named when several targets share a report: a file target is named by itself. */
export function fileName(g: { target?: string; path: string }, multiTarget: boolean): string {
  if (!multiTarget || g.target === undefined) return g.path;
  const t = g.target.replace(/\\/g, '/');
  return t === g.path || t.endsWith(`/${g.path}`) ? g.target : `${g.target} › ${g.path}`;
}

export type Verdict = 'findings' | 'inconclusive' | 'clean';

/** The same precedence as the exit code: a finding is never hidden by an error. Info is not a finding. */
export function verdictOf(report: Pick<Report, 'findings' | 'inconclusive'>): Verdict {
  if (report.findings.some((f) => f.severity !== 'info')) return 'findings';
  return report.inconclusive.length ? 'inconclusive' : 'clean';
}
