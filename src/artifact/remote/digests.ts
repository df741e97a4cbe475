/**
 * What a remote target can prove about each file's content without downloading it, for
 * `mlvet verify` (docs/lineage.md, "Remote targets"): the sha256 the store computed (Hub LFS `lfs.oid`, S3
 * full-object ChecksumSHA256) is `remote-claimed`; with `deep` the bytes are streamed and hashed here
 * (`local`); a file with neither is `none` (a Hub git blob id, or only an ETag/CRC, names no sha256).
 */
import { createHash } from 'node:crypto';
import type { Artifact, ArtifactFile } from '../types.js';

export type DigestTrust = 'local' | 'remote-claimed' | 'none';

export interface RemoteDigest {
  path: string;
  size: number;
  sha256?: string;
  trust: DigestTrust;
  /** other identifiers the store gave (git blob id, S3 version, ETag) */
  identity?: Record<string, string>;
}

const CHUNK = 8 * 1024 * 1024;

async function hashFile(f: ArtifactFile): Promise<string> {
  const r = await f.open();
  try {
    const h = createHash('sha256');
    for (let off = 0; off < r.size; off += CHUNK) h.update(await r.read(off, Math.min(CHUNK, r.size - off)));
    return h.digest('hex');
  } finally {
    await r.close();
  }
}

export async function remoteDigests(artifact: Artifact, opts: { deep?: boolean } = {}): Promise<RemoteDigest[]> {
  const out: RemoteDigest[] = [];
  for await (const f of artifact.files()) {
    const { sha256, ...identity } = f.digests ?? {};
    if (opts.deep) out.push({ path: f.path, size: f.size, sha256: await hashFile(f), trust: 'local', ...(sha256 ? { identity: { ...identity, claimedSha256: sha256 } } : {}) });
    else out.push({ path: f.path, size: f.size, ...(sha256 ? { sha256 } : {}), trust: sha256 ? 'remote-claimed' : 'none', ...(Object.keys(identity).length ? { identity } : {}) });
  }
  return out;
}
