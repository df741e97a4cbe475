/**
 * Turn DVC stages into lineage: outputs → sets (re-hashed with SHA-256; DVC's MD5 kept as a weak
 * extra), stage → transform (`cmd`, `params`, deps → resolvedDependencies), and inputs no stage
 * produces → sources, re-hashed when present locally so they are pinned by SHA-256.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MlvetError } from '../../errors.js';
import type { HashOptions } from '../hash/pool.js';
import { DEFAULT_IGNORES } from '../types.js';
import { buildSet, hashTree, relUnder } from './build.js';
import { readDvcLock, type DvcEntry } from './dvc.js';
import { dirHash, type LineageSet, type Source, type Transform } from './statement.js';

export interface DvcLineage {
  sets: LineageSet[];
  sources: Source[];
  transforms: Transform[];
}

export async function importDvc(lock: string, base: string, manifestAbs: string, hash: HashOptions): Promise<DvcLineage> {
  const stages = readDvcLock(lock);
  const dvcDir = dirname(lock);
  const nameOf = (p: string): string => {
    const r = relUnder(base, resolve(dvcDir, p));
    if (r === undefined) throw new MlvetError('USAGE', `${lock}: ${p} is outside the manifest base ${base}`, { path: lock });
    return r;
  };
  const outs = new Map<string, { stage: string; entry: DvcEntry }>();
  for (const s of stages) for (const o of s.outs) outs.set(nameOf(o.path), { stage: s.name, entry: o });
  const roots = [...outs.keys()].map((n) => resolve(base, n));
  const sets: LineageSet[] = [];
  for (const [name, { stage, entry }] of outs) {
    const abs = resolve(base, name);
    if (!existsSync(abs)) throw new MlvetError('NOT_FOUND', `${lock}: output ${entry.path} of stage ${stage} is not on disk (run dvc checkout)`, { path: abs });
    const set = await buildSet({ abs, name }, base, manifestAbs, roots, hash);
    const weak = weakDigest(entry);
    if (weak && !set.complete && set.files[0]) set.files[0].digest = { ...set.files[0].digest, ...weak };
    sets.push({ ...set, producedBy: stage, annotations: { dvc: { stage, ...entry } } });
  }
  const sources = new Map<string, Source>();
  for (const s of stages) {
    for (const d of s.deps) {
      const name = nameOf(d.path);
      if (!outs.has(name) && !sources.has(name)) sources.set(name, await depSource(name, resolve(base, name), d, hash));
    }
  }
  const transforms = stages.map(
    (s): Transform => ({
      id: s.name,
      buildType: 'https://mlvet.dev/transform/dvc/v1',
      externalParameters: { command: s.cmd, ...(Object.keys(s.params).length ? { params: s.params } : {}) },
      resolvedDependencies: s.deps.map((d) => ({ name: nameOf(d.path), ...(weakDigest(d) ? { digest: weakDigest(d)! } : {}) })),
      outputs: s.outs.map((o) => nameOf(o.path)),
      imported: { from: 'dvc.lock', stage: s.name },
    }),
  );
  return { sets, sources: [...sources.values()], transforms };
}

/** DVC's MD5 as a DigestSet entry; `.dir` digests name a cache object, not content we can check. */
function weakDigest(e: DvcEntry): Record<string, string> | undefined {
  if (!e.md5 || e.md5.endsWith('.dir')) return undefined;
  return { md5: e.md5 };
}

async function depSource(name: string, abs: string, d: DvcEntry, hash: HashOptions): Promise<Source> {
  const annotations = { mlvetKind: 'dvc', dvcHash: d.hash === 'md5' ? 'md5' : 'md5-dos2unix', ...(d.md5 ? { md5: d.md5 } : {}), ...(d.versionId ? { versionId: d.versionId } : {}) };
  const digest: Record<string, string> = { ...(weakDigest(d) ?? {}) };
  if (existsSync(abs)) {
    if (statSync(abs).isDirectory()) {
      const files = await hashTree(abs, DEFAULT_IGNORES, hash);
      digest.dirHash = dirHash({ hash: 'sha256', files: files.map((f) => ({ path: f.path, size: f.size, digest: { sha256: f.sha256 } })) });
    } else {
      const [f] = await hashTree(dirname(abs), [], hash, abs.slice(dirname(abs).length + 1));
      digest.sha256 = f!.sha256;
    }
  }
  return { name, uri: name, ...(Object.keys(digest).length ? { digest } : {}), annotations };
}
