/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers. One run, identified by
 * `automationDetails.id` = `mlvet/<command>/<target>/` (the trailing slash makes the whole id the
 * category, so scan, validate and verify uploads for one commit do not overwrite each other); rules
 * are the ones the results reference; suppressed findings stay as results with an external
 * suppression; every inconclusive entry is an error-level tool execution notification, and then the
 * invocation did not succeed, so a partial scan never reads as a clean one. GitHub's upload limits
 * are kept (sarif-limits.ts), with a notification saying what was left out.
 */
import { createHash } from 'node:crypto';
import type { Finding, Report, Severity, Suppressed } from '../model/report.js';
import { severityRank } from '../model/report.js';
import type { InconclusiveEntry } from '../model/facts.js';
import { targetResolver } from './common.js';
import type { RenderOptions } from './formats.js';
import { helpUri, REPOSITORY_URL, rulesFor, type RuleMeta } from './rule-meta.js';
import { clip, fitGzip, GITHUB_LIMITS, keepTop } from './sarif-limits.js';
import { logicalLocationsOf, regionOf, UriMapper, type ArtifactLocation } from './sarif-location.js';

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
/** the one partial fingerprint GitHub reads; without it upload-sarif hashes lines of a binary file */
export const LINE_HASH_KEY = 'primaryLocationLineHash';
export const DROPPED_ID = 'SARIF_RESULTS_DROPPED';

type Json = Record<string, unknown>;
type Entry = Finding | Suppressed;

export function renderSarif(report: Report, opts: RenderOptions = {}): string {
  const all: Entry[] = [...report.findings, ...report.suppressed];
  // live findings before suppressed ones, worst first: what GitHub would keep
  const capped = keepTop(all.map((item) => ({ item, rank: rankOf(item) })), GITHUB_LIMITS.resultsPerRun);
  const order = [...capped].sort((a, b) => rankOf(b) - rankOf(a));
  const ctx = context(report, opts);
  return fitGzip(capped.length, (n) => {
    if (n === capped.length) return document(report, opts, ctx, capped, all.length);
    const keep = new Set(order.slice(0, n));
    return document(report, opts, ctx, capped.filter((e) => keep.has(e)), all.length);
  }).text;
}

function rankOf(e: Entry): number {
  return severityRank(e.severity) + ('suppression' in e ? 0 : 10);
}

interface Ctx {
  uris: UriMapper;
  targetOf: (x: { path: string }) => string | undefined;
}

function context(report: Report, opts: RenderOptions): Ctx {
  return {
    uris: new UriMapper(report, { ...(opts.srcRoot ? { root: opts.srcRoot } : {}), ...(opts.cwd ? { cwd: opts.cwd } : {}) }),
    targetOf: targetResolver(report),
  };
}

function document(report: Report, opts: RenderOptions, ctx: Ctx, kept: Entry[], total: number): string {
  const rules = rulesFor(kept, opts.rules);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();
  const results = kept.map((f) => result(f, ctx, ruleIndex, seen));
  const run: Json = {
    tool: { driver: driver(report, rules, opts) },
    automationDetails: { id: automationId(report, ctx, opts.sarifCategory) },
    invocations: [invocation(report, ctx, opts, kept, total)],
    ...(Object.keys(ctx.uris.originalUriBaseIds).length ? { originalUriBaseIds: ctx.uris.originalUriBaseIds } : {}),
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

/**
 * `mlvet/scan/models/`: GitHub takes everything before the last `/` as the category, so the target
 * is part of it and two targets' uploads both stay. A local target is named as it sits under the
 * SARIF root, so the category does not depend on the directory mlvet ran in.
 */
export function automationId(report: Report, ctx: Ctx, category?: string): string {
  if (category !== undefined && category !== '') return category.endsWith('/') ? category : `${category}/`;
  const names = report.targets.map((t) => {
    const loc = ctx.uris.artifactLocation('', t.uri);
    return loc.uriBaseId ? loc.uri : t.uri.includes('://') ? t.uri : loc.uri;
  });
  let label = names.join(',') || 'none';
  if (label.length > 200) label = `${label.slice(0, 180)}~${createHash('sha256').update(label).digest('hex').slice(0, 12)}`;
  return `mlvet/${report.command}/${label}/`;
}

function driver(report: Report, rules: RuleMeta[], opts: RenderOptions): Json {
  return {
    name: report.tool.name,
    version: report.tool.version,
    semanticVersion: report.tool.version,
    informationUri: REPOSITORY_URL,
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
  const help = helpUri(r.id, opts.docsBaseUri);
  return {
    id: r.id,
    name: clip(pascal(r.id), GITHUB_LIMITS.ruleNameChars),
    shortDescription: { text: clip(r.title, GITHUB_LIMITS.descriptionChars) },
    fullDescription: { text: clip(full.join(' '), GITHUB_LIMITS.descriptionChars) },
    helpUri: help,
    help: { text: `${full.join(' ')} See ${help}`, markdown: `${full.join(' ')}\n\n[Rule documentation](${help})` },
    // GitHub accepts note, warning and error here; an info rule's results still say `none`
    defaultConfiguration: { level: r.severity === 'info' ? 'note' : LEVEL[r.severity] },
    properties: {
      tags: [...new Set(tags)].slice(0, GITHUB_LIMITS.tagsPerRule),
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

/**
 * GitHub's `primaryLocationLineHash` (`<hash>:<occurrence>`), from what names the finding under the
 * SARIF root: rule, artifact, member, position and the fact's key. It does not change with the
 * directory mlvet ran in or the spelling of the target, and the same file in two targets is two
 * occurrences.
 */
function lineHash(f: Entry, art: ArtifactLocation, seen: Map<string, number>): string {
  const l = f.location;
  const key = f.evidence.key ?? f.evidence.qualname ?? '';
  const h = createHash('sha256')
    .update([f.ruleId, art.uriBaseId ?? '', art.uri, l.member ?? '', l.offset ?? '', l.line ?? '', l.row ?? '', typeof key === 'string' ? key : JSON.stringify(key)].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
  const n = (seen.get(h) ?? 0) + 1;
  seen.set(h, n);
  return `${h}:${n}`;
}

function result(f: Entry, ctx: Ctx, ruleIndex: Map<string, number>, seen: Map<string, number>): Json {
  const l = f.location;
  const memberNote = l.member
    ? ` (in ${l.member}${l.offset !== undefined ? ` at byte ${l.offset}` : ''})`
    : '';
  const loc = location(l, ctx);
  const idx = ruleIndex.get(f.ruleId);
  const out: Json = {
    ruleId: f.ruleId,
    ...(idx !== undefined ? { ruleIndex: idx } : {}),
    level: LEVEL[f.severity],
    ...(f.severity === 'info' ? { kind: 'informational' } : {}),
    message: { text: `${f.message || f.ruleId}${memberNote}` },
    locations: [loc.json],
    partialFingerprints: {
      [LINE_HASH_KEY]: lineHash(f, loc.artifact, seen),
      [FINGERPRINT_KEY]: f.fingerprint.replace(/^sha256:/, ''),
    },
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
  l: { target?: string; path: string; member?: string; offset?: number; line?: number; column?: number; row?: number },
  ctx: Ctx,
): { json: Json; artifact: ArtifactLocation } {
  const target = l.target ?? ctx.targetOf(l);
  const artifact = ctx.uris.artifactLocation(l.path, target);
  const logical = logicalLocationsOf(l);
  return {
    artifact,
    json: {
      physicalLocation: { artifactLocation: artifact, region: regionOf(l) },
      ...(logical ? { logicalLocations: logical } : {}),
    },
  };
}

function invocation(report: Report, ctx: Ctx, opts: RenderOptions, kept: Entry[], total: number): Json {
  const root = ctx.uris.originalUriBaseIds['%SRCROOT%'];
  return {
    executionSuccessful: report.inconclusive.length === 0,
    endTimeUtc: report.createdAt,
    ...(opts.srcRoot && root ? { workingDirectory: { uri: root.uri } } : {}),
    toolExecutionNotifications: [
      ...report.inconclusive.map((i) => notification(i, ctx)),
      ...(kept.length < total ? [dropped(kept, total, report)] : []),
    ],
    properties: { command: report.command },
  };
}

/** A run-level note: results were left out to stay under GitHub's limits; the JSON report has all. */
function dropped(kept: Entry[], total: number, report: Report): Json {
  const keptSet = new Set(kept);
  const gone = [...report.findings, ...report.suppressed].filter((e) => !keptSet.has(e));
  const bySeverity: Record<string, number> = {};
  for (const e of gone) bySeverity[e.severity] = (bySeverity[e.severity] ?? 0) + 1;
  return {
    level: 'warning',
    message: {
      text: `${gone.length} of ${total} results were left out, lowest severity first, to stay under GitHub code scanning's limits (${GITHUB_LIMITS.resultsPerRun} results per run, 10 MB gzip per file); the JSON report has every finding`,
    },
    descriptor: { id: DROPPED_ID },
    properties: { kept: kept.length, total, dropped: gone.length, droppedBySeverity: bySeverity },
  };
}

function notification(i: InconclusiveEntry, ctx: Ctx): Json {
  const where = i.member ? ` in ${i.member}` : '';
  const at = i.offset !== undefined ? ` at byte ${i.offset}` : '';
  return {
    level: 'error',
    message: { text: `${i.path || i.target || 'the target'}${where}${at} could not be fully scanned (${i.code}): ${i.message}` },
    descriptor: { id: i.code },
    locations: [location(i, ctx).json],
    properties: {
      code: i.code,
      path: i.path,
      ...(i.member !== undefined ? { member: i.member } : {}),
      ...(i.offset !== undefined ? { offset: i.offset } : {}),
      ...(i.scanner ? { scanner: i.scanner } : {}),
    },
  };
}
