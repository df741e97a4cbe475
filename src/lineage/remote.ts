/**
 * Verifying a remote target (any scheme src/sources opens) without downloading what the store can
 * vouch for. The remote's listing is compared with the manifest by name and size first, then by digest:
 * - the sha256 the store computed (Hub LFS `lfs.oid`, S3 full-object ChecksumSHA256) is compared
 *   without reading a byte: trust `remote-claimed`;
 * - a file the store names no sha256 for (Hub non-LFS files carry only a git blob SHA-1, which no
 *   manifest records and which is SHA-1 anyway) is fetched and hashed here when it is small, as Hub
 *   non-LFS files are by construction: trust `local`;
 * - anything else is DIGEST_UNAVAILABLE (inconclusive) unless `deep`, which hashes every file here.
 */
import { remoteDigests, type DigestTrust, type RemoteDigest } from '../artifact/remote/index.js';
import { mapConcurrent } from '../artifact/read-plan.js';
import type { Artifact, ArtifactFile, RandomAccessReader } from '../artifact/types.js';
import { isRemote, openTarget } from '../sources/index.js';
import { planSet, digestProblem, type SetCheck, type SetOutcome } from './compare.js';
import { newHasher, prepareAlg, type HashAlg } from './hash/algs.js';
import type { HashResult, ShardDigest } from './hash/file.js';
import { isIgnored, joinPosix } from './paths.js';
import type { Problem } from './types.js';

/** a target verify reads through src/sources (or refuses there as an unknown scheme) */
export const isRemoteTarget = isRemote;

/** Hub non-LFS files are at most 10 MB; fetching them costs less than a second request round. */
export const DEFAULT_FETCH_MAX_BYTES = 10 * 1024 * 1024;
const CHUNK = 8 * 1024 * 1024;
const PARALLEL = 4;

export interface RemoteVerifyOptions {
  /** download and hash every file here (trust `local`) instead of using the store's digests */
  deep?: boolean;
  offline?: boolean;
  /** files without a served sha256 up to this size are fetched and hashed (default 10 MiB) */
  fetchMaxBytes?: number;
  env?: NodeJS.ProcessEnv;
}

interface ListedFile {
  path: string;
  size: number;
  file: ArtifactFile;
  claim: RemoteDigest;
}

export interface RemoteTarget {
  artifact: Artifact;
  files: ListedFile[];
  deep: boolean;
  fetchMaxBytes: number;
}

export interface FileTrust {
  set?: string;
  path: string;
  trust: DigestTrust;
}

/** a file whose digest could not be checked without a download (inconclusive DIGEST_UNAVAILABLE) */
export interface Unverified {
  path: string;
  size: number;
  message: string;
}

export interface RemoteSetOutcome extends SetOutcome {
  trust: FileTrust[];
  unverified: Unverified[];
}

/** Open the target and list it, with what the store claims for each file (no file body is read). */
export async function openRemote(target: string, o: RemoteVerifyOptions): Promise<RemoteTarget> {
  const artifact = await openTarget(target, {
    ...(o.offline ? { offline: true } : {}),
    ...(o.env ? { env: o.env } : {}),
  });
  try {
    const claims = new Map((await remoteDigests(artifact)).map((d) => [d.path, d]));
    const files: ListedFile[] = [];
    for await (const f of artifact.files())
      files.push({
        path: f.path,
        size: f.size,
        file: f,
        claim: claims.get(f.path) ?? { path: f.path, size: f.size, trust: 'none' },
      });
    return {
      artifact,
      files,
      deep: o.deep === true,
      fetchMaxBytes: o.fetchMaxBytes ?? DEFAULT_FETCH_MAX_BYTES,
    };
  } catch (e) {
    await artifact.close();
    throw e;
  }
}

/** The remote files of one set: under its root, relative to it, ignores applied. */
function listSet(rt: RemoteTarget, root: string, ignore: readonly string[]): ListedFile[] {
  const prefix = root === '.' ? '' : `${root}/`;
  return rt.files
    .filter((f) => f.path.startsWith(prefix))
    .map((f) => ({ ...f, path: f.path.slice(prefix.length) }))
    .filter((f) => !isIgnored(f.path, ignore));
}

export async function checkRemoteSet(
  c: Omit<SetCheck, 'rootAbs' | 'symlinks'>,
  rt: RemoteTarget,
): Promise<RemoteSetOutcome> {
  const plan = planSet(c, listSet(rt, c.rootRel, c.ignore), []);
  const out: RemoteSetOutcome = {
    problems: plan.problems,
    unreadable: [],
    checked: plan.checked,
    verified: 0,
    bytes: 0,
    trust: [],
    unverified: [],
  };
  const at = (p: string): string => joinPosix(c.rootRel, p);
  const record = (path: string, trust: DigestTrust, p: Problem | undefined): void => {
    out.trust.push({ ...(c.set ? { set: c.set } : {}), path: at(path), trust });
    if (p) out.problems.push(p);
    else if (trust !== 'none') out.verified++;
  };
  const fetch: typeof plan.jobs = [];
  for (const job of plan.jobs) {
    const { e, f } = job;
    const claimable =
      !rt.deep &&
      c.alg === 'sha256' &&
      c.shardSize === undefined &&
      !e.shards &&
      f.claim.trust === 'remote-claimed';
    if (claimable)
      record(
        e.path,
        'remote-claimed',
        digestProblem(c, e, f.claim.sha256, undefined, { trust: 'remote-claimed' }),
      );
    else if (rt.deep || f.size <= rt.fetchMaxBytes) fetch.push(job);
    else {
      record(e.path, 'none', undefined);
      const why =
        f.claim.trust === 'remote-claimed'
          ? `the store's sha256 cannot check a ${c.alg}${c.shardSize !== undefined ? ' shard' : ''} manifest`
          : 'the store serves no sha256 for it';
      out.unverified.push({
        path: at(e.path),
        size: f.size,
        message: `${at(e.path)}: ${why} (${f.size} bytes, not downloaded); rerun with --deep to download and hash it`,
      });
    }
  }
  const results = await mapConcurrent(fetch, PARALLEL, ({ f }) => hashRemote(f.file, c.alg, c.shardSize));
  results.forEach((r, i) => {
    const { e } = fetch[i]!;
    if (r.error) return void out.unreadable.push({ path: at(e.path), message: r.error });
    out.bytes += r.size;
    record(e.path, 'local', digestProblem(c, e, r.digest, r.shards, { trust: 'local' }));
  });
  return out;
}

/** One SOURCE_UNPINNED for the target itself when it names a branch/tag or an unversioned object. */
export function targetPinning(target: string, artifact: Artifact): Problem[] {
  const facts = artifact.facts.filter((f) => f.kind === 'source.unpinned');
  if (facts.length === 0) return [];
  const d = facts[0]!.data;
  const pinTo = facts.length === 1 && typeof d.pinTo === 'string' ? d.pinTo : undefined;
  const detail =
    d.scheme === 'hf'
      ? `target ${target}: revision ${String(d.ref)} resolved to commit ${String(d.commit)}; verify ${String(pinTo)} to pin it`
      : `target ${target}: ${facts.length} object(s) read without a versionId${pinTo ? `; pin as ${pinTo}` : ''}`;
  return [
    {
      code: 'SOURCE_UNPINNED',
      source: target,
      reason: 'target-unpinned',
      actual: target,
      ...(pinTo ? { expected: pinTo } : {}),
      detail,
    },
  ];
}

async function hashRemote(file: ArtifactFile, alg: HashAlg, shardSize?: number): Promise<HashResult> {
  let r: RandomAccessReader | undefined;
  try {
    await prepareAlg(alg);
    r = await file.open();
    if (shardSize === undefined) return { size: r.size, digest: await digestRange(r, alg, 0, r.size) };
    const shards: ShardDigest[] = [];
    for (let start = 0; start < r.size; start += shardSize) {
      const end = Math.min(start + shardSize, r.size);
      shards.push({ start, end, digest: await digestRange(r, alg, start, end) });
    }
    return { size: r.size, shards };
  } catch (e) {
    return { size: 0, error: e instanceof Error ? e.message : String(e) };
  } finally {
    await r?.close();
  }
}

async function digestRange(r: RandomAccessReader, alg: HashAlg, start: number, end: number): Promise<string> {
  const h = newHasher(alg);
  for (let off = start; off < end;) {
    const b = await r.read(off, Math.min(CHUNK, end - off));
    // a body shorter than the listed size is never hashed as if complete
    if (b.length === 0) throw new Error(`body ended at byte ${off} of ${r.size}`);
    h.update(b);
    off += b.length;
  }
  return h.digestHex();
}
