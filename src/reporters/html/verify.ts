/**
 * The verify page: who signed (signer name, key id, algorithm, key or certificate), whether the
 * signature verified, and per file how far its digest is trusted: `local` (re-hashed here),
 * `remote-claimed` (the store's own sha256) or `none`. Local targets list no per-file trust (every
 * file is re-hashed here), so their sets are shown with trust `local` and the files with problems
 * by name.
 */
import type { Report } from '../../model/report.js';
import { formatBytes, plural } from '../common.js';
import { escapeHtml as h } from '../escape.js';
import { stackedBar } from './svg.js';
import { num, obj } from './validation-data.js';

const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

function dl(pairs: Array<[string, string | undefined]>): string {
  return `<table class="kv">${pairs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th class="w-rule">${h(k)}</th><td><code>${h(v)}</code></td></tr>`)
    .join('')}</table>`;
}

function signerBlock(l: Record<string, unknown>): string {
  const s = obj(l.signer);
  const sig = str(l.signature) ?? 'unknown';
  const cls = sig === 'verified' ? 'pass' : 'fail';
  return (
    `<h2>Signature <span class="${cls}">${h(sig)}</span></h2>` +
    dl([
      ['manifest', str(l.manifest)],
      ['status', str(l.status)],
      ['signer', str(s.name)],
      ['key id', str(s.keyId)],
      ['algorithm', str(s.alg)],
      ['trusted through', str(s.via) === 'certificate' ? 'certificate chain' : str(s.via) ? 'trusted public key' : undefined],
      ['manifest format', str(l.format)],
      ['predicate', str(l.predicateType)],
    ])
  );
}

function setsTable(l: Record<string, unknown>, remote: boolean): string {
  const sets = arr(l.sets).map(obj);
  if (!sets.length) return '';
  const rows = sets.map((s) => {
    const files = num(s.files) ?? 0;
    const verified = num(s.verified) ?? 0;
    const ok = verified === files;
    return (
      `<tr><td><code>${h(str(s.name) ?? '')}</code></td><td><code>${h(str(s.root) ?? '')}</code></td>` +
      `<td class="${ok ? 'pass' : 'fail'}">${verified} of ${files}</td><td>${h(formatBytes(num(s.bytes) ?? 0))}</td>` +
      `<td>${remote ? 'see files' : 'local (re-hashed here)'}</td></tr>`
    );
  });
  return `<h2>Signed sets (${sets.length})</h2><table><tr><th>Set</th><th>Root</th><th>Files verified</th><th>Bytes</th><th>Trust</th></tr>${rows.join('')}</table>`;
}

function trustBar(t: Record<string, unknown>): string {
  return stackedBar(
    [
      { label: 'local', value: num(t.local) ?? 0, tone: 'ok' },
      { label: 'remote-claimed', value: num(t['remote-claimed']) ?? 0, tone: 'medium' },
      { label: 'none', value: num(t.none) ?? 0, tone: 'critical' },
    ],
    'files by trust level',
  );
}

/** Per-file trust for remote targets; for local ones, the files the findings name. */
function filesTable(report: Report, l: Record<string, unknown>): string {
  const remote = obj(l.remote);
  const problems = new Map<string, string[]>();
  for (const f of report.findings) problems.set(f.location.path, [...(problems.get(f.location.path) ?? []), f.ruleId]);
  const files = arr(remote.files).map(obj);
  const row = (path: string, set: string, trust: string): string => {
    const p = problems.get(path);
    return `<tr><td><code>${h(path)}</code></td><td>${h(set)}</td><td>${h(trust)}</td><td class="${p ? 'fail' : 'pass'}">${p ? h(p.join(', ')) : 'ok'}</td></tr>`;
  };
  const head = '<tr><th>File</th><th class="w-loc">Set</th><th class="w-loc">Trust</th><th>Result</th></tr>';
  if (files.length) {
    const t = obj(remote.trust);
    const counts = `local ${num(t.local) ?? 0} · remote-claimed ${num(t['remote-claimed']) ?? 0} · none ${num(t.none) ?? 0}`;
    return `<h2>Files (${files.length})</h2><p class="muted">${h(counts)}</p>${trustBar(t)}<table>${head}${files.map((f) => row(str(f.path) ?? '', str(f.set) ?? '', str(f.trust) ?? '')).join('')}</table>`;
  }
  if (!problems.size) return '';
  const rows = [...problems.keys()].map((p) => row(p, '', 'local'));
  return `<h2>Files with problems (${plural(problems.size, 'file')})</h2><table>${head}${rows.join('')}</table>`;
}

/** `signed by release; 2 of 3 files verified`, for the verdict line */
export function verifyTally(report: Report): string | undefined {
  if (report.lineage === undefined) return undefined;
  const l = obj(report.lineage);
  const signer = str(obj(l.signer).name);
  const sets = arr(l.sets).map(obj);
  const files = sets.reduce((n, s) => n + (num(s.files) ?? 0), 0);
  const verified = sets.reduce((n, s) => n + (num(s.verified) ?? 0), 0);
  const who = signer !== undefined ? `signed by ${signer}` : `signature ${str(l.signature) ?? 'not checked'}`;
  return sets.length ? `${who}; ${verified} of ${plural(files, 'file')} verified` : who;
}

/** The lineage parts of the page, or nothing when the report verified no manifest. */
export function verifySections(report: Report): string[] {
  if (report.lineage === undefined) return [];
  const l = obj(report.lineage);
  const remote = Object.keys(obj(l.remote)).length > 0;
  const lineage = num(l.sources) !== undefined ? `<p class="muted">lineage: ${plural(num(l.sources)!, 'source')}, ${plural(num(l.transforms) ?? 0, 'transform')}</p>` : '';
  return [signerBlock(l), setsTable(l, remote), filesTable(report, l), lineage];
}
