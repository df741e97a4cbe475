/**
 * SARIF locations for mlvet findings. GitHub code scanning resolves a relative `uri` against the
 * repository root and ignores `uriBaseId`, so a file of a local target is written relative to the
 * working directory (`%SRCROOT%`): `models/` + `a.pkl` → `models/a.pkl`. An absolute local target
 * becomes a `file:` URI; a remote target (hf://, s3://) gets its own base id (`TARGET0`, …) declared in
 * `originalUriBaseIds`. A byte offset becomes `region.byteOffset`, a text position
 * `startLine/startColumn`; a container member, whose offsets are not offsets into the file, is a
 * logical location instead.
 */
import { posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Report, TargetSummary } from '../model/report.js';
import type { Location } from '../model/facts.js';

export const SRCROOT = '%SRCROOT%';

interface Base {
  /** directory prefix joined before the path (local, relative) */
  prefix?: string;
  /** absolute directory (local target given as an absolute path) */
  absolute?: string;
  /** a base id of our own, for remote targets */
  baseId?: string;
}

const isRemote = (uri: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(uri);
const isAbsolutePath = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

/**
 * A local target names a file when every path reported under it is its basename: a file target's
 * only file is reported by its name. A directory holding one file of its own name is the rare
 * misread, and then the URI still names that file's parent.
 */
function isFileTarget(t: TargetSummary, paths: readonly string[]): boolean {
  const base = posix.basename(t.uri.replace(/\\/g, '/').replace(/\/+$/, ''));
  return t.files <= 1 && paths.length > 0 && paths.every((p) => p === base) && !/[\\/]$/.test(t.uri);
}

export class UriMapper {
  private readonly bases = new Map<string, Base>();
  readonly originalUriBaseIds: Record<string, { uri: string; description?: { text: string } }> = {};

  constructor(report: Report, srcRoot?: string) {
    const pathsByTarget = new Map<string, string[]>();
    for (const f of [...report.findings, ...report.suppressed]) {
      const t = f.location.target;
      if (!t) continue;
      const paths = pathsByTarget.get(t) ?? [];
      if (paths.length < 2 || paths[paths.length - 1] !== f.location.path) paths.push(f.location.path);
      pathsByTarget.set(t, paths);
    }
    if (srcRoot) this.originalUriBaseIds[SRCROOT] = { uri: dirUri(pathToFileURL(srcRoot).href) };
    report.targets.forEach((t, i) =>
      this.bases.set(t.uri, this.baseFor(t, i, pathsByTarget.get(t.uri) ?? [])),
    );
  }

  private baseFor(t: TargetSummary, i: number, paths: string[]): Base {
    if (isRemote(t.uri)) {
      const baseId = `TARGET${i}`;
      const rev = t.resolvedRevision ? ` at revision ${t.resolvedRevision}` : '';
      this.originalUriBaseIds[baseId] = {
        uri: dirUri(encodeURI(t.uri)),
        description: { text: `scan target ${t.uri}${rev}` },
      };
      return { baseId };
    }
    const norm = t.uri.replace(/\\/g, '/');
    const dir = isFileTarget(t, paths) ? posix.dirname(norm) : norm;
    return isAbsolutePath(norm) ? { absolute: dir } : { prefix: dir };
  }

  /** artifactLocation for a path reported under `target` (or the only target). */
  artifactLocation(path: string, target: string | undefined): { uri: string; uriBaseId?: string } {
    const base = (target !== undefined ? this.bases.get(target) : undefined) ?? { prefix: '.' };
    const rel = path.replace(/\\/g, '/');
    if (base.baseId) return { uri: encodePath(rel), uriBaseId: base.baseId };
    if (base.absolute !== undefined) return { uri: pathToFileURL(posix.join(base.absolute, rel)).href };
    const joined = posix.normalize(posix.join(base.prefix ?? '.', rel)).replace(/^\.\//, '');
    return { uri: encodePath(joined), uriBaseId: SRCROOT };
  }
}

function dirUri(u: string): string {
  return u.endsWith('/') ? u : `${u}/`;
}

/** Percent-encode each segment: a SARIF uri is a URI reference, not a file system path. */
export function encodePath(p: string): string {
  return p
    .split('/')
    .map((seg) => (seg === '..' || seg === '.' ? seg : encodeURIComponent(seg)))
    .join('/');
}

export interface SarifRegion {
  byteOffset?: number;
  startLine?: number;
  startColumn?: number;
}

/** A region only where it is true of the file itself: members carry their offsets elsewhere. */
export function regionOf(
  l: Pick<Location, 'member' | 'offset' | 'line' | 'column'>,
): SarifRegion | undefined {
  if (l.member) return undefined;
  if (l.line !== undefined && l.line >= 1) {
    return {
      startLine: l.line,
      ...(l.column !== undefined && l.column >= 1 ? { startColumn: l.column } : {}),
    };
  }
  if (l.offset !== undefined && l.offset >= 0) return { byteOffset: l.offset };
  return undefined;
}

export function logicalLocationsOf(
  l: Pick<Location, 'path' | 'member'>,
): Array<Record<string, string>> | undefined {
  if (!l.member) return undefined;
  const leaf = l.member.split('!').pop() ?? l.member;
  return [{ name: leaf, fullyQualifiedName: `${l.path}!${l.member}`, kind: 'resource' }];
}
