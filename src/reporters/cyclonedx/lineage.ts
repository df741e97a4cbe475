/**
 * Lineage for the ML-BOM from a manifest that `mlvet verify` (or `scan --manifest`) has just verified:
 * the statement's sources (datasets, base models) and transforms, and the per-file digests it signed.
 * Only a manifest whose signature verified is read, and only its mlvet lineage predicate; anything
 * else gives no lineage rather than unverified claims. The bundle is read again from disk (it is
 * small, and bounded here), since the report keeps only a summary of it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';

export interface LineageSource {
  name: string;
  uri?: string;
  digest?: Record<string, string>;
  downloadLocation?: string;
}

export interface LineageTransform {
  id: string;
  buildType?: string;
  resolvedDependencies: Array<{ name: string; uri?: string }>;
  outputs: string[];
}

export interface Lineage {
  manifest: string;
  signer?: string;
  sources: LineageSource[];
  transforms: LineageTransform[];
  /** path → sha256 as signed, for every set whose hash is sha256 */
  digests: Map<string, string>;
}

const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
const MLVET_PREDICATE = 'https://mlvet.dev/lineage/v0.1';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function readBounded(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_MANIFEST_BYTES) return undefined;
    const buf = Buffer.alloc(size);
    let pos = 0;
    while (pos < size) {
      const n = readSync(fd, buf, pos, size - pos, pos);
      if (n === 0) break;
      pos += n;
    }
    return buf.subarray(0, pos).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The verified lineage of a report, or undefined (no manifest, not verified, not mlvet's format). */
export function verifiedLineage(section: unknown, cwd: string): Lineage | undefined {
  if (!isObj(section) || section.signature !== 'verified' || section.predicateType !== MLVET_PREDICATE) return undefined;
  const manifest = str(section.manifest);
  if (!manifest) return undefined;
  const text = readBounded(resolve(cwd, manifest));
  if (text === undefined) return undefined;
  try {
    const bundle = JSON.parse(text) as Obj;
    const env = isObj(bundle.dsseEnvelope) ? bundle.dsseEnvelope : undefined;
    const payload = env && str(env.payload);
    if (!payload) return undefined;
    const stmt = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Obj;
    const pred = isObj(stmt.predicate) ? stmt.predicate : undefined;
    if (stmt.predicateType !== MLVET_PREDICATE || !pred) return undefined;
    return { manifest, ...(str(section.signer) ? { signer: str(section.signer)! } : {}), sources: sources(pred.sources), transforms: transforms(pred.transforms), digests: digests(pred.sets) };
  } catch {
    return undefined;
  }
}

function sources(v: unknown): LineageSource[] {
  return (Array.isArray(v) ? v : []).filter(isObj).flatMap((s) => {
    const name = str(s.name);
    if (!name) return [];
    const digest = isObj(s.digest) ? (Object.fromEntries(Object.entries(s.digest).filter(([, d]) => typeof d === 'string')) as Record<string, string>) : undefined;
    return [{ name, ...(str(s.uri) ? { uri: str(s.uri)! } : {}), ...(digest && Object.keys(digest).length ? { digest } : {}), ...(str(s.downloadLocation) ? { downloadLocation: str(s.downloadLocation)! } : {}) }];
  });
}

function transforms(v: unknown): LineageTransform[] {
  return (Array.isArray(v) ? v : []).filter(isObj).flatMap((t) => {
    const id = str(t.id);
    if (!id) return [];
    const deps = (Array.isArray(t.resolvedDependencies) ? t.resolvedDependencies : []).filter(isObj).flatMap((d) => (str(d.name) ? [{ name: str(d.name)!, ...(str(d.uri) ? { uri: str(d.uri)! } : {}) }] : []));
    const outputs = (Array.isArray(t.outputs) ? t.outputs : []).filter((o): o is string => typeof o === 'string');
    return [{ id, ...(str(t.buildType) ? { buildType: str(t.buildType)! } : {}), resolvedDependencies: deps, outputs }];
  });
}

function digests(v: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const set of (Array.isArray(v) ? v : []).filter(isObj)) {
    if (set.hash !== 'sha256' || !Array.isArray(set.files)) continue;
    for (const f of set.files.filter(isObj)) {
      const d = isObj(f.digest) ? str(f.digest.sha256) : undefined;
      if (str(f.path) && d && /^[0-9a-f]{64}$/i.test(d)) out.set(str(f.path)!, d.toLowerCase());
    }
  }
  return out;
}
