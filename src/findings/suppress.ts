/**
 * Suppressions from `.mlvetignore` and config `ignore` entries. A suppressed finding is moved, not
 * dropped: it stays visible in JSON (`suppressed`) and SARIF (`suppressions`). Expired entries no
 * longer apply.
 */
import { readRegularFile } from '../files.js';
import { existsSync } from 'node:fs';
import picomatch from 'picomatch';
import { MlvetError } from '../errors.js';
import type { IgnoreEntry } from '../model/policy.js';
import type { Finding, Suppressed } from '../model/report.js';


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

export function loadIgnoreFile(path: string, explicit: boolean, label = path): IgnoreEntry[] {
  if (!existsSync(path)) {
    if (explicit) throw new MlvetError('NOT_FOUND', `ignore file not found: ${label}`, { path: label });
    return [];
  }
  return parseIgnoreFile(readRegularFile(path, 'ignore file'), label);
}

export function applySuppressions(
  findings: Finding[],
  entries: IgnoreEntry[],
  now: Date = new Date(),
): { kept: Finding[]; suppressed: Suppressed[]; expired: IgnoreEntry[] } {
  const today = now.toISOString().slice(0, 10);
  const active = entries.filter((e) => !e.expires || e.expires >= today);
  const expired = entries.filter((e) => e.expires && e.expires < today);
  const matchers = active.map((e) => ({
    e,
    rule: picomatch(e.rule),
    path: picomatch(e.path, { dot: true }),
  }));
  const kept: Finding[] = [];
  const suppressed: Suppressed[] = [];
  for (const f of findings) {
    const full = f.location.member ? `${f.location.path}!${f.location.member}` : f.location.path;
    const hit = matchers.find((m) => m.rule(f.ruleId) && (m.path(f.location.path) || m.path(full)));
    if (hit) {
      suppressed.push({
        ...f,
        suppression: { reason: hit.e.reason, source: hit.e.source ?? 'config', ...(hit.e.expires ? { expires: hit.e.expires } : {}) },
      });
    } else kept.push(f);
  }
  return { kept, suppressed, expired };
}
