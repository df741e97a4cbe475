/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers. One run; rules are the ones the results
 * reference; suppressed findings stay as results with an external suppression; every inconclusive
 * entry is an error-level tool execution notification, and then the invocation did not succeed, so a
 * partial scan never reads as a clean one.
 */
import type { Finding, Report, Severity, Suppressed } from '../model/report.js';
import type { InconclusiveEntry } from '../model/facts.js';
import { targetResolver } from './common.js';
import type { RenderOptions } from './index.js';
import { helpUri, rulesFor, type RuleMeta } from './rule-meta.js';
import { logicalLocationsOf, regionOf, UriMapper } from './sarif-location.js';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type Level = 'error' | 'warning' | 'note' | 'none';

const LEVEL: Record<Severity, Level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'none',
};

/** GitHub reads these as critical (> 9.0), high (7.0–8.9), medium (4.0–6.9) and low (0.1–3.9). */
const SECURITY_SEVERITY: Partial<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

/** partialFingerprints key; bump the version if the fingerprint recipe ever changes */
export const FINGERPRINT_KEY = 'mlvetFingerprint/v2';

type Json = Record<string, unknown>;

export function renderSarif(report: Report, opts: RenderOptions = {}): string {
  const rules = rulesFor([...report.findings, ...report.suppressed], opts.rules);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const uris = new UriMapper(report, opts.srcRoot);
  const targetOf = targetResolver(report);
  const ctx: Ctx = { ruleIndex, uris, targetOf };
  const results = [
    ...report.findings.map((f) => result(f, ctx)),
    ...report.suppressed.map((s) => result(s, ctx)),
  ];
  const run: Json = {
    tool: { driver: driver(report, rules, opts) },
    invocations: [invocation(report, ctx, opts)],
    ...(Object.keys(uris.originalUriBaseIds).length ? { originalUriBaseIds: uris.originalUriBaseIds } : {}),
    results,
    columnKind: 'unicodeCodePoints',
    properties: {
      mlvet: {
        schemaVersion: report.schemaVersion,
        command: report.command,
        targets: report.targets,
        summary: report.summary,
      },
    },
  };
  return JSON.stringify({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] }, null, 2) + '\n';
}

interface Ctx {
  ruleIndex: Map<string, number>;
  uris: UriMapper;
  targetOf: (x: { path: string }) => string | undefined;
}

function driver(report: Report, rules: RuleMeta[], opts: RenderOptions): Json {
  return {
    name: report.tool.name,
    version: report.tool.version,
    semanticVersion: report.tool.version,
    informationUri: 'https://mlvet.dev/',
    rules: rules.map((r) => descriptor(r, opts)),
  };
}

function descriptor(r: RuleMeta, opts: RenderOptions): Json {
  const refs = (r.references ?? []).map((x) => x.id);
  const full = [r.title.endsWith('.') ? r.title : `${r.title}.`];
  if (r.technique) full.push(`Technique: ${r.technique}.`);
  if (refs.length) full.push(`References: ${refs.join(', ')}.`);
  const pack = r.id.split('/')[0] ?? r.id;
  const tags = [
    'security',
    pack,
    ...refs.filter((x) => /^CWE-\d+$/i.test(x)).map((x) => `external/cwe/${x.toLowerCase()}`),
  ];
  const severity = SECURITY_SEVERITY[r.severity];
  return {
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: r.title },
    fullDescription: { text: full.join(' ') },
    helpUri: helpUri(r.id, opts.docsBaseUri),
    help: { text: `${full.join(' ')} See ${helpUri(r.id, opts.docsBaseUri)}` },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: [...new Set(tags)],
      ...(severity ? { 'security-severity': severity } : {}),
      'mlvet-severity': r.severity,
    },
  };
}

/** `pickle/code-execution` → `PickleCodeExecution` */
function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function result(f: Finding | Suppressed, ctx: Ctx): Json {
  const l = f.location;
  const memberNote = l.member
    ? ` (in ${l.member}${l.offset !== undefined ? ` at byte ${l.offset}` : ''})`
    : '';
  const out: Json = {
    ruleId: f.ruleId,
    ruleIndex: ctx.ruleIndex.get(f.ruleId) ?? -1,
    level: LEVEL[f.severity],
    ...(f.severity === 'info' ? { kind: 'informational' } : {}),
    message: { text: `${f.message}${memberNote}` },
    locations: [location(l, ctx)],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint.replace(/^sha256:/, '') },
    properties: {
      severity: f.severity,
      ...(f.technique ? { technique: f.technique } : {}),
      ...(l.target !== undefined ? { target: l.target } : {}),
      ...(l.member !== undefined ? { member: l.member } : {}),
      ...(l.offset !== undefined ? { offset: l.offset } : {}),
      ...(l.row !== undefined ? { row: l.row } : {}),
      evidence: f.evidence,
    },
  };
  if ('suppression' in f) {
    const s = f.suppression;
    out.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: s.reason,
        properties: { source: s.source, ...(s.expires ? { expires: s.expires } : {}) },
      },
    ];
  }
  return out;
}

function location(
  l: { target?: string; path: string; member?: string; offset?: number; line?: number; column?: number },
  ctx: Ctx,
): Json {
  const target = l.target ?? ctx.targetOf(l);
  const region = regionOf(l);
  const logical = logicalLocationsOf(l);
  return {
    physicalLocation: {
      artifactLocation: ctx.uris.artifactLocation(l.path, target),
      ...(region ? { region } : {}),
    },
    ...(logical ? { logicalLocations: logical } : {}),
  };
}

function invocation(report: Report, ctx: Ctx, opts: RenderOptions): Json {
  return {
    executionSuccessful: report.inconclusive.length === 0,
    endTimeUtc: report.createdAt,
    ...(opts.srcRoot ? { workingDirectory: ctx.uris.originalUriBaseIds['%SRCROOT%'] } : {}),
    toolExecutionNotifications: report.inconclusive.map((i) => notification(i, ctx)),
    properties: { command: report.command },
  };
}

function notification(i: InconclusiveEntry, ctx: Ctx): Json {
  const where = i.member ? ` in ${i.member}` : '';
  const at = i.offset !== undefined ? ` at byte ${i.offset}` : '';
  return {
    level: 'error',
    message: { text: `${i.path || i.target || 'the target'}${where}${at} could not be fully scanned (${i.code}): ${i.message}` },
    descriptor: { id: i.code },
    locations: [location(i, ctx)],
    properties: {
      code: i.code,
      path: i.path,
      ...(i.member !== undefined ? { member: i.member } : {}),
      ...(i.offset !== undefined ? { offset: i.offset } : {}),
      ...(i.scanner ? { scanner: i.scanner } : {}),
    },
  };
}
