/**
 * Suppressions from `.mlvetignore` and config `ignore` entries. A suppressed finding is moved, not
 * dropped: it stays visible in JSON (`suppressed`) and SARIF (`suppressions`). Expired entries no
 * longer apply. An entry's path glob is relative to the directory of the file it came from (the
 * ignore file's, or the working directory for config entries), as `.gitignore` is: the README's
 * `models/legacy/*.pkl` in a repository's `.mlvetignore` matches `mlvet scan models/` and `mlvet scan .`
 * alike. Remote targets have no such directory; their entries match paths inside the target.
 */
import { readRegularFile } from '../files.js';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { MlvetError } from '../errors.js';
import type { IgnoreEntry } from '../model/policy.js';
import type { Location } from '../model/facts.js';
import type { Finding, Suppressed } from '../model/report.js';

/** An ignore entry and the absolute directory its path glob is relative to. */
export type IgnoreRule = IgnoreEntry & { base?: string };


/**
 * One entry a line: `<rule-id or glob> <path glob> [expires=YYYY-MM-DD] # reason`. The reason is
 * required: a suppression nobody can explain is a finding waiting to happen.
 */
export function parseIgnoreFile(text: string, file: string): IgnoreEntry[] {
  const out: IgnoreEntry[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const hash = line.indexOf('#');
    const reason = hash >= 0 ? line.slice(hash + 1).trim() : '';
    const fields = (hash >= 0 ? line.slice(0, hash) : line).trim().split(/\s+/);
    const [rule, path, ...rest] = fields;
    let expires: string | undefined;
    for (const r of rest) {
      const m = /^expires=(\d{4}-\d{2}-\d{2})$/.exec(r);
      if (m) expires = m[1];
      else problems.push(`${file}:${i + 1}: unknown field "${r}"`);
    }
    if (!rule || !path) problems.push(`${file}:${i + 1}: expected "<rule> <path-glob> [expires=YYYY-MM-DD] # reason"`);
    else if (reason.length < 3) problems.push(`${file}:${i + 1}: a reason is required after "#"`);
    else out.push({ rule, path, reason, ...(expires ? { expires } : {}), source: `${file}:${i + 1}` });
  });
  if (problems.length) throw new MlvetError('CONFIG_INVALID', problems.join('\n'), { path: file });
  return out;
}

/** `path` is absolute; `label` is how reports name it (as the user wrote it). */
export function loadIgnoreFile(path: string, explicit: boolean, label = path): IgnoreRule[] {
  if (!existsSync(path)) {
    if (explicit) throw new MlvetError('NOT_FOUND', `ignore file not found: ${label}`, { path: label });
    return [];
  }
  const base = dirname(resolve(path));
  return parseIgnoreFile(readRegularFile(path, 'ignore file'), label).map((e) => ({ ...e, base }));
}

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Where a finding's file is on this machine: the target joined with the path inside it (a file target
 * is the file itself). Undefined for remote targets and findings that name no target.
 */
function localFile(l: Location, cwd: string, dirs: Map<string, boolean>): string | undefined {
  if (!l.target || REMOTE.test(l.target)) return undefined;
  const target = resolve(cwd, l.target);
  let isDir = dirs.get(target);
  if (isDir === undefined) {
    try {
      isDir = statSync(target).isDirectory();
    } catch {
      isDir = false;
    }
    dirs.set(target, isDir);
  }
  return isDir ? join(target, l.path) : target;
}

/** The names an entry's glob is tried against: relative to its base when the file is local, else in the target. */
function candidates(l: Location, base: string | undefined, file: string | undefined): string[] {
  const rel = base !== undefined && file !== undefined ? relative(base, file).split(sep).join('/') : l.path;
  return l.member ? [rel, `${rel}!${l.member}`] : [rel];
}

export function applySuppressions(
  findings: Finding[],
  entries: IgnoreRule[],
  now: Date = new Date(),
  cwd: string = process.cwd(),
): { kept: Finding[]; suppressed: Suppressed[]; expired: IgnoreEntry[] } {
  const today = now.toISOString().slice(0, 10);
  const active = entries.filter((e) => !e.expires || e.expires >= today);
  const expired = entries.filter((e) => e.expires && e.expires < today);
  const matchers = active.map((e) => ({
    e,
    rule: picomatch(e.rule),
    path: picomatch(e.path, { dot: true }),
  }));
  // nothing to match: no finding's file is resolved on disk (a stat and two path joins each)
  if (matchers.length === 0) return { kept: [...findings], suppressed: [], expired };
  const kept: Finding[] = [];
  const suppressed: Suppressed[] = [];
  const dirs = new Map<string, boolean>();
  for (const f of findings) {
    const file = localFile(f.location, cwd, dirs);
    const hit = matchers.find((m) => m.rule(f.ruleId) && candidates(f.location, m.e.base, file).some((c) => m.path(c)));
    if (hit) {
      suppressed.push({
        ...f,
        suppression: { reason: hit.e.reason, source: hit.e.source ?? 'config', ...(hit.e.expires ? { expires: hit.e.expires } : {}) },
      });
    } else kept.push(f);
  }
  return { kept, suppressed, expired };
}
