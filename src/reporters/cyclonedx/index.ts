/**
 * CycloneDX 1.6 ML-BOM (`--format cyclonedx`), built with @cyclonedx/cyclonedx-library. Each target is
 * a component with its files nested in it: model files as `machine-learning-model` (sha256, format,
 * and the serialization risk found as properties), dataset files and validated datasets as `data`.
 * Findings at or above info are `vulnerabilities` rated by severity and affecting their file's
 * component. A verified mlvet lineage manifest adds its sources as external references and as the
 * target's `pedigree.ancestors` (the library has no pedigree model, so it is added to the normalised
 * JSON), and its signed sha256 digests stand in for hashing.
 *
 * Not a pure function of the report like the other renderers: it reads local files to hash them and
 * the verified manifest again, both bounded (components.ts, lineage.ts).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as CDX from '@cyclonedx/cyclonedx-library';
import type * as Purl from 'packageurl-js';
import type { Finding, Report, Severity } from '../../model/report.js';
import { severityRank } from '../../model/report.js';
import type { RenderOptions } from '../formats.js';
import { helpUri, rulesFor } from '../rule-meta.js';
import { fileEntries, kindOf, localDigest, type Digest, type Kind } from './components.js';
import { verifiedLineage, type Lineage, type LineageSource } from './lineage.js';

const TYPE: Record<Kind, CDX.Enums.ComponentType> = {
  'machine-learning-model': 'machine-learning-model' as CDX.Enums.ComponentType.MachineLearningModel,
  data: 'data' as CDX.Enums.ComponentType.Data,
  file: 'file' as CDX.Enums.ComponentType.File,
};

const SEVERITY: Record<Severity, CDX.Enums.Vulnerability.Severity> = {
  critical: 'critical' as CDX.Enums.Vulnerability.Severity.Critical,
  high: 'high' as CDX.Enums.Vulnerability.Severity.High,
  medium: 'medium' as CDX.Enums.Vulnerability.Severity.Medium,
  low: 'low' as CDX.Enums.Vulnerability.Severity.Low,
  info: 'info' as CDX.Enums.Vulnerability.Severity.Info,
};

type Json = Record<string, unknown>;
/*
 * Loaded on first use, synchronously: the library takes about half a second to import, which every
 * other command would pay at start-up if it were a static import.
 */
const req = createRequire(import.meta.url);
let lib: typeof CDX | undefined;
let purlLib: typeof Purl | undefined;
const L = (): typeof CDX => (lib ??= req('@cyclonedx/cyclonedx-library') as typeof CDX);
const purl = (): typeof Purl => (purlLib ??= req('packageurl-js') as typeof Purl);

const prop = (name: string, value: string): CDX.Models.Property => new (L().Models.Property)(`mlvet:${name}`, value);

export function renderCyclonedx(report: Report, opts: RenderOptions = {}): string {
  const cwd = opts.cwd ?? opts.srcRoot ?? '.';
  const lineage = verifiedLineage(report.lineage, cwd);
  const bom = new (L().Models.Bom)({ serialNumber: serialNumber(report) });
  bom.metadata.timestamp = new Date(report.createdAt);
  bom.metadata.tools.components.add(new (L().Models.Component)(L().Enums.ComponentType.Application, 'mlvet', { version: report.tool.version }));
  bom.metadata.properties.add(prop('command', report.command));
  if (report.suppressed.length) bom.metadata.properties.add(prop('suppressed', String(report.suppressed.length)));
  const byFile = new Map<string, CDX.Models.Component>();
  const targets = report.targets.map((t, i) => targetComponent(report, t, i, lineage));
  // one target is what the BOM describes; several are its components
  if (targets.length === 1) bom.metadata.component = targets[0];
  else targets.forEach((c) => bom.components.add(c));
  const entries = fileEntries(report);
  // verify reports no per-file list: the files are the ones the verified manifest signed
  if (lineage && report.targets[0]) {
    const have = new Set(entries.map((e) => e.path));
    for (const path of lineage.digests.keys()) if (!have.has(path)) entries.push({ target: report.targets[0].uri, path, scanners: [], members: 0 });
  }
  for (const e of entries) {
    const ti = Math.max(0, report.targets.findIndex((t) => t.uri === e.target));
    const parent = targets[ti];
    if (!parent || e.path === e.target || e.path === '') continue;
    const c = fileComponent(report, e, ti, cwd, lineage);
    parent.components.add(c);
    byFile.set(`${e.target}\u0000${e.path}`, c);
  }
  for (const v of vulnerabilities(report, opts, byFile, targets)) bom.vulnerabilities.add(v);
  const normalized = new (L().Serialize.JSON.Normalize.Factory)(L().Spec.Spec1dot6).makeForBom().normalize(bom, { sortLists: false }) as unknown as Json;
  if (lineage) addPedigree(normalized, lineage);
  return JSON.stringify(normalized, null, 2) + '\n';
}

/** Same report, same BOM: the serial number is derived from it, not random. */
function serialNumber(report: Report): string {
  const h = createHash('sha256').update(JSON.stringify([report.createdAt, report.command, report.targets, report.findings.map((f) => f.fingerprint)])).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function targetComponent(report: Report, t: Report['targets'][number], i: number, lineage: Lineage | undefined): CDX.Models.Component {
  const kind: Kind = report.command === 'validate' || report.command === 'profile' ? 'data' : 'machine-learning-model';
  const c = new (L().Models.Component)(TYPE[kind], t.uri, { bomRef: `target-${i}`, ...(t.resolvedRevision ? { version: t.resolvedRevision } : {}) });
  const hub = /^hf:\/\/(?:models\/)?([\w.-]+)\/([\w.-]+)(?:@|$|\/)/.exec(t.uri);
  if (hub && !t.uri.startsWith('hf://datasets/') && !t.uri.startsWith('hf://spaces/')) {
    c.purl = new (purl().PackageURL)('huggingface', hub[1], hub[2]!, t.resolvedRevision, undefined, undefined).toString();
  }
  const dist = distributionUrl(t.uri);
  if (dist) c.externalReferences.add(new (L().Models.ExternalReference)(dist, L().Enums.ExternalReferenceType.Distribution));
  c.properties.add(prop('files', String(t.files)));
  c.properties.add(prop('bytes-read', String(t.bytesRead)));
  if (lineage && i === 0) {
    c.externalReferences.add(new (L().Models.ExternalReference)(lineage.manifest, L().Enums.ExternalReferenceType.Attestation, { comment: `signed lineage manifest, signature verified${lineage.signer ? ` (${lineage.signer})` : ''}` }));
    for (const s of lineage.sources) {
      const url = s.uri ?? s.downloadLocation;
      if (url) c.externalReferences.add(new (L().Models.ExternalReference)(distributionUrl(url) ?? url, L().Enums.ExternalReferenceType.DistributionIntake, { comment: `lineage source ${s.name}` }));
    }
  }
  const own = report.inconclusive.filter((x) => x.path === '' || x.path === t.uri);
  if (own.length) c.properties.add(prop('inconclusive', [...new Set(own.map((x) => x.code))].join(',')));
  return c;
}

/** A URL a browser opens for a target: the Hub page for hf://, the URI itself for https:// and s3://. */
function distributionUrl(uri: string): string | undefined {
  const hub = /^hf:\/\/((?:datasets|spaces)\/)?((?!datasets\/|spaces\/)(?:models\/)?[\w.-]+(?:\/[\w.-]+)?)(?:@.*)?$/.exec(uri.split('/').slice(0, uri.startsWith('hf://datasets/') || uri.startsWith('hf://spaces/') ? 5 : 4).join('/'));
  if (uri.startsWith('hf://') && hub) return `https://huggingface.co/${hub[1] ?? ''}${hub[2]!.replace(/^models\//, '').replace(/@.*$/, '')}`;
  return /^(https?|s3):\/\//.test(uri) ? uri : undefined;
}

function fileComponent(report: Report, e: ReturnType<typeof fileEntries>[number], ti: number, cwd: string, lineage: Lineage | undefined): CDX.Models.Component {
  const kind = kindOf(report.command, e.path, e.format, e.scanners);
  const c = new (L().Models.Component)(TYPE[kind], e.path, { bomRef: `target-${ti}/${e.path}` });
  const signed = lineage?.digests.get(e.path);
  const digest: Digest = signed ? { sha256: signed } : localDigest(cwd, e.target, e.path);
  if ('sha256' in digest) c.hashes.set(L().Enums.HashAlgorithm['SHA-256'], digest.sha256);
  else c.properties.add(prop('hash-unavailable', digest.unavailable));
  if (signed) c.properties.add(prop('hash-source', 'signed lineage manifest (verified)'));
  if (e.format) c.properties.add(prop('format', e.format));
  if (e.scanners.length) c.properties.add(prop('scanners', e.scanners.join(',')));
  if (e.members) c.properties.add(prop('members', String(e.members)));
  c.properties.add(prop('serialization-risk', riskOf(report, e)));
  return c;
}

/** `critical: pickle/code-execution`, `none found`, or `inconclusive: TRUNCATED` */
function riskOf(report: Report, e: { target: string; path: string }): string {
  const single = report.targets.length === 1;
  const mine = (x: { target?: string; path: string }): boolean => x.path === e.path && (x.target === undefined ? single : x.target === e.target);
  const live = report.findings.filter((f) => f.severity !== 'info' && mine(f.location));
  if (live.length) {
    const worst = live.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
    return `${worst.severity}: ${[...new Set(live.filter((f) => f.severity === worst.severity).map((f) => f.ruleId))].join(', ')}`;
  }
  const inc = report.inconclusive.filter((i) => mine(i));
  return inc.length ? `inconclusive: ${[...new Set(inc.map((i) => i.code))].join(', ')}` : 'none found';
}

function vulnerabilities(report: Report, opts: RenderOptions, byFile: Map<string, CDX.Models.Component>, targets: CDX.Models.Component[]): CDX.Models.Vulnerability.Vulnerability[] {
  const live = report.findings.filter((f) => f.severity !== 'info');
  const rules = new Map(rulesFor(live, opts.rules).map((r) => [r.id, r]));
  const single = report.targets.length === 1 ? report.targets[0]!.uri : undefined;
  return live.map((f: Finding) => {
    const t = f.location.target ?? single ?? '';
    const ti = Math.max(0, report.targets.findIndex((x) => x.uri === t));
    const comp = byFile.get(`${t}\u0000${f.location.path}`) ?? targets[ti]!;
    const source = new (L().Models.Vulnerability.Source)({ name: 'mlvet', url: helpUri(f.ruleId, opts.docsBaseUri) });
    const cwes = (rules.get(f.ruleId)?.references ?? []).flatMap((r) => (/^CWE-\d+$/i.test(r.id) ? [Number(r.id.slice(4))] : []));
    const v = new (L().Models.Vulnerability.Vulnerability)({
      bomRef: `finding-${f.fingerprint.replace(/^sha256:/, '').slice(0, 32)}`,
      id: f.ruleId,
      source,
      description: f.message,
      detail: JSON.stringify({ location: f.location, evidence: f.evidence }).slice(0, 4000),
      ...(f.technique ? { recommendation: `technique ${f.technique}; see ${helpUri(f.ruleId, opts.docsBaseUri)}` } : {}),
    });
    v.ratings.add(new (L().Models.Vulnerability.Rating)({ severity: SEVERITY[f.severity], method: L().Enums.Vulnerability.RatingMethod.Other, source }));
    for (const c of cwes) v.cwes.add(c);
    v.affects.add(new (L().Models.Vulnerability.Affect)(comp.bomRef));
    v.properties.add(prop('fingerprint', f.fingerprint));
    return v;
  });
}

/** CycloneDX `component.pedigree.ancestors`: what the first target was made from, per its manifest. */
function addPedigree(bom: Json, lineage: Lineage): void {
  const target = ((bom.metadata as Json | undefined)?.component as Json | undefined) ?? (bom.components as Json[] | undefined)?.[0];
  if (!target || (!lineage.sources.length && !lineage.transforms.length)) return;
  const ancestors = lineage.sources.map((s, i) => ancestor(s, i));
  const notes = lineage.transforms.map((t) => `${t.id}${t.buildType ? ` (${t.buildType})` : ''}: ${t.resolvedDependencies.map((d) => d.name).join(', ') || 'no inputs'} -> ${t.outputs.join(', ') || 'no outputs'}`);
  target.pedigree = { ...(ancestors.length ? { ancestors } : {}), ...(notes.length ? { notes: notes.join('\n') } : {}) };
}

function ancestor(s: LineageSource, i: number): Json {
  const uri = s.uri ?? s.downloadLocation;
  const kind: Kind = uri && /datasets\/|\.(csv|parquet|jsonl|arrow|tsv)/i.test(uri) ? 'data' : kindOf('', uri ?? s.name, undefined, []);
  const hashes = Object.entries(s.digest ?? {}).flatMap(([alg, content]) => {
    const a = ({ sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512', sha1: 'SHA-1', md5: 'MD5' } as Record<string, string>)[alg];
    return a && /^[0-9a-f]+$/i.test(content) ? [{ alg: a, content: content.toLowerCase() }] : [];
  });
  const dist = uri ? (distributionUrl(uri) ?? uri) : undefined;
  return {
    type: kind,
    'bom-ref': `lineage-source-${i}`,
    name: s.name,
    ...(hashes.length ? { hashes } : {}),
    ...(dist ? { externalReferences: [{ type: 'distribution', url: dist }] } : {}),
  };
}
