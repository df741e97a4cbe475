/**
 * Hand-built reports for renderer tests: every location shape (byte offset, member, line/column,
 * row), remote and local targets, suppressions, inconclusive entries and hostile strings.
 */
import { makeReport } from '../../src/findings/report.js';
import type { Finding, Report, Severity, Suppressed } from '../../src/model/report.js';
import type { InconclusiveEntry, Location } from '../../src/model/facts.js';

export const NOW = new Date('2026-01-02T03:04:05.000Z');
export const HOSTILE = `<script>alert("x&y")</script>'\u0001`;

let n = 0;
export function finding(
  ruleId: string,
  severity: Severity,
  location: Location,
  extra: Partial<Finding> = {},
): Finding {
  n++;
  return {
    ruleId,
    severity,
    message: `${ruleId} message ${n}`,
    location,
    evidence: { n },
    fingerprint: `sha256:${n.toString(16).padStart(64, '0')}`,
    ...extra,
  };
}

export function suppressed(f: Finding, reason = 'reviewed by the ML platform team'): Suppressed {
  return { ...f, suppression: { reason, source: '.mlvetignore:3', expires: '2099-01-01' } };
}

export function report(parts: {
  targets?: Array<{ uri: string; kind?: string; files?: number; resolvedRevision?: string }>;
  findings?: Finding[];
  inconclusive?: InconclusiveEntry[];
  suppressed?: Suppressed[];
  files?: Report['files'];
}): Report {
  return makeReport({
    command: 'scan',
    targets: (parts.targets ?? [{ uri: 'models' }]).map((t) => ({
      kind: 'local',
      files: 1,
      bytesRead: 10,
      bytesTotal: 100,
      ...t,
    })),
    findings: parts.findings ?? [],
    inconclusive: parts.inconclusive ?? [],
    suppressed: parts.suppressed ?? [],
    ...(parts.files ? { files: parts.files } : {}),
    now: NOW,
  });
}

/** One report that exercises everything. */
export function kitchenSink(): Report {
  const t = 'models';
  return report({
    targets: [{ uri: t, files: 4 }],
    findings: [
      finding(
        'pickle/code-execution',
        'critical',
        { target: t, path: 'a.pkl', offset: 112 },
        { technique: 'E1' },
      ),
      finding('pickle/file-access', 'high', {
        target: t,
        path: 'model.bin',
        member: 'archive/data.pkl',
        offset: 40,
      }),
      finding('pickle/unknown-global', 'medium', { target: t, path: 'cfg.json', line: 3, column: 7 }),
      finding('pickle/trailing-data', 'low', { target: t, path: 'data.csv', row: 12 }),
      finding(
        'safetensors/header-valid',
        'info',
        { target: t, path: 'w.safetensors' },
        { message: 'safetensors header valid' },
      ),
    ],
    inconclusive: [
      {
        path: 'broken.pkl',
        offset: 9,
        code: 'TRUNCATED',
        message: 'pickle data was truncated',
        scanner: 'pickle',
      },
    ],
    suppressed: [
      suppressed(finding('pickle/unknown-global', 'medium', { target: t, path: 'internal.pkl', offset: 2 })),
    ],
    files: [
      { path: 'a.pkl', format: 'pickle', scanners: ['pickle'] },
      { path: 'w.safetensors', format: 'safetensors', scanners: ['safetensors'] },
      { path: 'clean.pkl', format: 'pickle', scanners: ['pickle'] },
    ],
  });
}
