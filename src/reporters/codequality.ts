/**
 * GitLab Code Quality (`--format codequality`, the CodeClimate-style JSON array GitLab reads as
 * `artifacts:reports:codequality`): one issue per finding and per inconclusive entry, with a path
 * relative to the project (the SARIF root) and a line (the same region as SARIF). GitLab shows these
 * in merge requests; suppressed findings are left out, as GitLab has no notion of them.
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../model/report.js';
import type { RenderOptions } from './formats.js';
import { regionOf, UriMapper } from './sarif-location.js';
import { targetResolver } from './common.js';
import type { Report } from '../model/report.js';

const SEVERITY: Record<Severity, string> = { critical: 'blocker', high: 'critical', medium: 'major', low: 'minor', info: 'info' };

/** GitLab wants a path in the repository; a file outside it or a remote one is named by its URI */
function pathOf(uri: { uri: string; uriBaseId?: string }): string {
  return uri.uriBaseId ? decodeURIComponent(uri.uri) : uri.uri;
}

export function renderCodequality(report: Report, opts: RenderOptions = {}): string {
  const uris = new UriMapper(report, { ...(opts.srcRoot ? { root: opts.srcRoot } : {}), ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  const targetOf = targetResolver(report);
  const issues = [
    ...report.findings.map((f) => ({
      type: 'issue',
      check_name: f.ruleId,
      description: f.message,
      categories: ['Security'],
      severity: SEVERITY[f.severity],
      fingerprint: f.fingerprint.replace(/^sha256:/, ''),
      location: { path: pathOf(uris.artifactLocation(f.location.path, f.location.target ?? targetOf(f.location))), lines: { begin: regionOf(f.location).startLine } },
    })),
    ...report.inconclusive.map((i) => ({
      type: 'issue',
      check_name: `inconclusive/${i.code}`,
      description: `not fully checked (${i.code}): ${i.message}`,
      categories: ['Bug Risk'],
      severity: 'major',
      fingerprint: createHash('sha256').update([i.code, i.target ?? '', i.path, i.member ?? '', String(i.offset ?? '')].join('\u0000')).digest('hex'),
      location: { path: pathOf(uris.artifactLocation(i.path, i.target ?? targetOf(i))), lines: { begin: regionOf({ ...i }).startLine } },
    })),
  ];
  return JSON.stringify(issues, null, 2) + '\n';
}
