/**
 * SARIF locations GitHub code scanning can place. GitHub resolves a relative `uri` against the
 * repository root, so a local file is written relative to the SARIF root (`--sarif-root`, by default
 * the git top level) under `%SRCROOT%`: never with `../`, and never an absolute path under a base. A
 * file outside the root is an absolute `file:` URI with no base. A remote file is an absolute
 * `https://` (the Hub's blob page at the scanned revision) or `s3://` URI, with no base.
 *
 * Every location gets a region with a `startLine`, since GitHub shows nothing without one: the text
 * position when there is one, the line of a CSV/JSONL row, else line 1 (plus `byteOffset` when the
 * offset is one into the file itself; a container member's offset is a logical location instead).
 */
import { posix, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Report, TargetSummary } from '../model/report.js';
import type { Location } from '../model/facts.js';

export const SRCROOT = '%SRCROOT%';
const VIRTUAL_ROOT = '/__mlvet_sarif_root__';

export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

type Base =
  /** absolute directory the target's paths are relative to */
  | { local: string; file?: string }
  /** remote: the URI a path is appended to, or the whole URI for a one-file target */
  | { remote: (path: string) => string };

const REMOTE_RE = /^[a-z][a-z0-9+.-]*:\/\//i;
export const isRemote = (uri: string): boolean => REMOTE_RE.test(uri);

/**
 * A target names a file when every path reported under it is its basename (scan) or the target
 * itself (validate reports the dataset path). A directory holding one file of its own name is the
 * rare misread, and then the URI still names that file's parent.
 */
function isFileTarget(t: TargetSummary, paths: readonly string[]): boolean {
  const norm = t.uri.replace(/\\/g, '/').replace(/\/+$/, '');
  const base = posix.basename(norm);
  return t.files <= 1 && paths.length > 0 && paths.every((p) => p === base || p === t.uri) && !/[\\/]$/.test(t.uri);
}

/** Percent-encode each segment: a SARIF uri is a URI reference, not a file system path. */
export function encodePath(p: string): string {
  return p
    .split('/')
    .filter((seg) => seg !== '' && seg !== '.')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/** `hf://[datasets/|spaces/]org/name[@rev][/sub]` → the Hub's blob URL for a file under it. */
function hubBase(t: TargetSummary): ((path: string) => string) | undefined {
  const m = /^hf:\/\/\/*((?:datasets|spaces|models)\/)?([\w.-]+(?:\/[\w.-]+)?)(?:@([^/]+(?:\/[^/]+)*?))?(?:\/(.*))?$/.exec(t.uri);
  if (!m) return undefined;
  const type = m[1] === 'models/' ? '' : (m[1] ?? '');
  let rev = m[3];
  let sub = m[4] ?? '';
  // a refs/… revision spans three segments
  if (rev === 'refs' && sub) {
    const parts = sub.split('/');
    rev = ['refs', ...parts.slice(0, 2)].join('/');
    sub = parts.slice(2).join('/');
  }
  const commit = t.resolvedRevision ?? (rev ? decodeURIComponent(rev) : 'main');
  const root = `https://huggingface.co/${type}${m[2]!}/blob/${encodeURIComponent(commit)}/`;
  return (path) => root + encodePath(posix.join(sub, path));
}

function remoteBase(t: TargetSummary, fileTarget: boolean): (path: string) => string {
  const hub = t.uri.startsWith('hf://') ? hubBase(t) : undefined;
  if (hub) return fileTarget ? () => hub('') : hub;
  const [head, query] = t.uri.split('?', 2) as [string, string | undefined];
  if (fileTarget) return () => encodeURI(decodeSafe(head)) + (query !== undefined ? `?${query}` : '');
  const dir = head.endsWith('/') ? head : `${head}/`;
  return (path) => encodeURI(decodeSafe(dir)) + encodePath(path);
}

function decodeSafe(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

export interface UriOptions {
  /** absolute SARIF root: local URIs are relative to it under %SRCROOT% */
  root?: string;
  /** absolute directory relative targets were resolved against (default: the root) */
  cwd?: string;
}

export class UriMapper {
  private readonly bases = new Map<string, Base>();
  private readonly root: string;
  private readonly cwd: string;
  readonly originalUriBaseIds: Record<string, { uri: string; description?: { text: string } }> = {};

  constructor(report: Report, opts: UriOptions = {}) {
    // without a root (a library caller), relative targets stay relative: they resolve under a
    // stand-in root that is never declared, so the renderer does not read process.cwd()
    this.root = resolve(opts.root ?? opts.cwd ?? VIRTUAL_ROOT);
    this.cwd = resolve(opts.cwd ?? this.root);
    const pathsByTarget = new Map<string, string[]>();
    for (const f of [...report.findings, ...report.suppressed]) {
      const t = f.location.target;
      if (!t) continue;
      const paths = pathsByTarget.get(t) ?? [];
      if (paths.length < 2 || paths[paths.length - 1] !== f.location.path) paths.push(f.location.path);
      pathsByTarget.set(t, paths);
    }
    if (opts.root) {
      this.originalUriBaseIds[SRCROOT] = {
        uri: dirUri(pathToFileURL(this.root).href),
        description: { text: 'the SARIF root (--sarif-root; default: the git top level)' },
      };
    }
    for (const t of report.targets) {
      const file = isFileTarget(t, pathsByTarget.get(t.uri) ?? []);
      if (isRemote(t.uri)) this.bases.set(t.uri, { remote: remoteBase(t, file) });
      else {
        const abs = resolve(this.cwd, t.uri);
        this.bases.set(t.uri, file ? { local: posix.dirname(abs), file: abs } : { local: abs });
      }
    }
  }

  /** artifactLocation for a path reported under `target` (or the only target). */
  artifactLocation(path: string, target: string | undefined): ArtifactLocation {
    const base = target !== undefined ? this.bases.get(target) : undefined;
    const rel = path.replace(/\\/g, '/');
    if (base && 'remote' in base) return { uri: base.remote(rel) };
    let abs: string;
    if (base?.file !== undefined && (rel === '' || rel === target || rel === posix.basename(base.file))) abs = base.file;
    else if (base) abs = resolve(base.local, rel);
    else if (target !== undefined && isRemote(target)) return { uri: encodeURI(target) };
    else abs = resolve(this.cwd, target ?? '.', rel);
    return this.localUri(abs);
  }

  /** relative to the root under %SRCROOT% when inside it, else an absolute file: URI */
  private localUri(abs: string): ArtifactLocation {
    const r = relative(this.root, abs);
    if (r === '') return { uri: '.', uriBaseId: SRCROOT };
    if (!r.startsWith('..') && !posix.isAbsolute(r) && !/^[A-Za-z]:/.test(r)) {
      return { uri: encodePath(r.split(sep).join('/')), uriBaseId: SRCROOT };
    }
    return { uri: pathToFileURL(abs).href };
  }
}

function dirUri(u: string): string {
  return u.endsWith('/') ? u : `${u}/`;
}

export interface SarifRegion {
  startLine: number;
  startColumn?: number;
  byteOffset?: number;
}

/** Text rows whose first line is a header: data row N (1-based) is on line N + 1. */
const HEADER_ROWS = /\.(csv|tsv)(\.(gz|zst|bz2|xz))?$/i;
const LINE_ROWS = /\.(jsonl|ndjson|txt)(\.(gz|zst|bz2|xz))?$/i;

/**
 * The region of a location. A dataset row is a line in CSV (after the header) and JSONL; a row of a
 * binary table (Parquet, Arrow) has no line, so it is line 1 with the row kept in properties.
 */
export function regionOf(l: Pick<Location, 'path' | 'member' | 'offset' | 'line' | 'column' | 'row'>): SarifRegion {
  if (l.line !== undefined && l.line >= 1) {
    return { startLine: l.line, ...(l.column !== undefined && l.column >= 1 ? { startColumn: l.column } : {}) };
  }
  if (l.row !== undefined && l.row >= 1 && !l.member) {
    if (HEADER_ROWS.test(l.path)) return { startLine: l.row + 1 };
    if (LINE_ROWS.test(l.path)) return { startLine: l.row };
  }
  if (!l.member && l.offset !== undefined && l.offset >= 0) return { startLine: 1, byteOffset: l.offset };
  return { startLine: 1 };
}

export function logicalLocationsOf(l: Pick<Location, 'path' | 'member'>): Array<Record<string, string>> | undefined {
  if (!l.member) return undefined;
  const leaf = l.member.split('!').pop() ?? l.member;
  return [{ name: leaf, fullyQualifiedName: `${l.path}!${l.member}`, kind: 'resource' }];
}
