/**
 * `hf://` resolver: resolve the revision to a commit, list the files at that commit with `expand`
 * (LFS sha256, size, the Hub's own scan status), and open each file as a ranged reader of `resolve/<commit>`.
 * Scanning a branch or tag scans its current commit and records a `source.unpinned` fact naming it.
 */
import { datasetInfo, listFiles, modelInfo, spaceInfo, type ListFileEntry } from '@huggingface/hub';
import { remoteArtifact, remoteOptions, resilientFetch, httpRangeSource, type RemoteFileSpec, type RemoteOptions } from '../../artifact/remote/index.js';
import type { Artifact } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';
import type { Fact } from '../../model/facts.js';
import type { Source, SourceOptions } from '../source.js';
import { hubOffline, hubToken, hubUrl } from './auth.js';
import { hubError } from './errors.js';
import { hubFacts } from './facts.js';
import { hfProvenance } from './provenance.js';
import { COMMIT_RE, parseHubTarget, pinnedUri, repoUrlPath, type HubTarget } from './uri.js';

export { parseHubTarget, pinnedUri, type HubTarget } from './uri.js';
export { hubToken, hubUrl } from './auth.js';

interface HubCtx {
  t: HubTarget;
  uri: string;
  hub: string;
  token?: string;
  fetch: typeof fetch;
  opts: RemoteOptions;
}

/** The commit a revision points to, via `/api/{type}s/{repo}/revision/{rev}`. */
async function resolveCommit(c: HubCtx): Promise<string> {
  const params = { name: c.t.repo, revision: c.t.revision, hubUrl: c.hub, fetch: c.fetch, additionalFields: ['sha'] as ['sha'], ...(c.token ? { accessToken: c.token } : {}) };
  let info: { sha?: unknown };
  try {
    info = c.t.type === 'dataset' ? await datasetInfo(params) : c.t.type === 'space' ? await spaceInfo(params) : await modelInfo(params);
  } catch (e) {
    throw hubError(e, c.uri, c.token !== undefined);
  }
  const sha = typeof info.sha === 'string' ? info.sha.toLowerCase() : '';
  if (!COMMIT_RE.test(sha)) throw new MlvetError('REMOTE_ERROR', `${c.uri}: the Hub returned no commit for revision ${c.t.revision ?? 'HEAD'}`, { path: c.uri });
  return sha;
}

async function listAt(c: HubCtx, commit: string): Promise<ListFileEntry[]> {
  const out: ListFileEntry[] = [];
  try {
    for await (const e of listFiles({
      repo: { type: c.t.type, name: c.t.repo },
      revision: commit,
      recursive: true,
      expand: true,
      hubUrl: c.hub,
      fetch: c.fetch,
      ...(c.t.path ? { path: c.t.path } : {}),
      ...(c.token ? { accessToken: c.token } : {}),
    })) {
      if (e.type === 'file') out.push(e);
    }
  } catch (e) {
    throw hubError(e, c.uri, c.token !== undefined);
  }
  return out;
}

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

function fileSpec(c: HubCtx, commit: string, e: ListFileEntry): RemoteFileSpec {
  const size = e.lfs?.size ?? e.size;
  const rel = c.t.path && e.path.startsWith(c.t.path + '/') ? e.path.slice(c.t.path.length + 1) : c.t.path === e.path ? e.path.split('/').pop()! : e.path;
  const digests: Record<string, string> = e.lfs ? { sha256: e.lfs.oid.toLowerCase() } : e.oid ? { gitBlob: e.oid.toLowerCase() } : {};
  const name = `${pinnedUri({ ...c.t, path: undefined }, commit)}/${e.path}`;
  const raw = e as ListFileEntry & { security?: unknown };
  return {
    path: rel,
    size,
    digests,
    meta: {
      repoPath: e.path,
      lfs: e.lfs !== undefined,
      ...(e.xetHash ? { xetHash: e.xetHash } : {}),
      ...(e.lastCommit ? { lastCommit: e.lastCommit.id } : {}),
      ...(e.securityFileStatus ?? raw.security ? { hubScan: e.securityFileStatus ?? raw.security } : {}),
    },
    source: () =>
      httpRangeSource({
        url: `${c.hub}/${repoUrlPath(c.t)}/resolve/${commit}/${encodePath(e.path)}`,
        name,
        size,
        headers: c.token ? { Authorization: `Bearer ${c.token}` } : {},
        // LFS content is named by its sha256; other files by commit + path, which is just as immutable
        cacheKey: e.lfs ? `sha256:${e.lfs.oid}` : `hf:${name}`,
      }),
  };
}

/** Open an `hf://` target as an artifact. */
export async function hfArtifact(target: string, so: SourceOptions = {}): Promise<Artifact> {
  const env = so.env ?? process.env;
  const offline = hubOffline(env);
  if (offline) throw new MlvetError('OFFLINE', `HF_HUB_OFFLINE=${offline}: refusing to fetch ${target}`);
  const opts = remoteOptions(env);
  const token = hubToken(env);
  const t = parseHubTarget(target);
  const c: HubCtx = { t, uri: target, hub: hubUrl(env), fetch: resilientFetch(opts), opts, ...(token ? { token } : {}) };
  const commit = await resolveCommit(c);
  const entries = await listAt(c, commit);
  if (entries.length === 0) throw new MlvetError('NOT_FOUND', `${target}: no files at ${commit}${t.path ? ` under ${t.path}` : ''}`, { path: target });
  const specs = entries.map((e) => fileSpec(c, commit, e));
  const facts: Fact[] = hubFacts(t, target, commit, specs);
  return remoteArtifact({ uri: target, kind: hfSource.kind, resolvedRevision: commit }, facts, specs, opts);
}

/** Hugging Face Hub repos: models, datasets and spaces, at a revision resolved to its commit. */
export const hfSource: Source = { kind: 'hf', prefixes: ['hf://'], open: hfArtifact, provenance: hfProvenance };
