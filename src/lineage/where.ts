/**
 * Where a verification's files live: a local directory (walked and hashed on disk) or a remote
 * listing (hf://, s3://, https://; compared by the store's digests, see remote.ts).
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MlvetError } from '../errors.js';
import { checkSet, type SetCheck, type SetOutcome } from './compare.js';
import { relUnder } from './native/build.js';
import { checkRemoteSet, openRemote, type FileTrust, type RemoteTarget, type Unverified } from './remote.js';
import type { VerifyOptions } from './verify.js';

/** What was checked remotely, and on whose word: per file `remote-claimed`, `local` or `none`. */
export interface RemoteSummary {
  uri: string;
  kind: string;
  resolvedRevision?: string;
  deep: boolean;
  /** bytes downloaded (file bodies hashed here) */
  bytesRead: number;
  /** total size of the files listed */
  bytesTotal: number;
  trust: Record<'remote-claimed' | 'local' | 'none', number>;
  files: FileTrust[];
}

/**
 * Where the files are: a local directory (sets under `baseAbs`) or a remote listing. `run` checks one
 * set either way; remote runs also collect per-file trust and the files left unverified.
 */
export interface Where {
  baseAbs: string;
  /** local only: the target is a single file */
  targetFile?: string;
  remote?: RemoteTarget;
  trust: FileTrust[];
  unverified: Unverified[];
  run(c: SetCheck): Promise<SetOutcome>;
}

export function localWhere(targetAbs: string, opts: VerifyOptions): Where {
  let isFile: boolean;
  try {
    isFile = statSync(targetAbs).isFile();
  } catch {
    throw new MlvetError('NOT_FOUND', `no such file or directory: ${opts.target}`, { path: opts.target });
  }
  return { baseAbs: isFile ? dirname(targetAbs) : targetAbs, ...(isFile ? { targetFile: targetAbs } : {}), trust: [], unverified: [], run: (c) => checkSet(c, opts.hash) };
}

export async function remoteWhere(opts: VerifyOptions): Promise<Where> {
  const remote = await openRemote(opts.target, opts);
  const w: Where = {
    baseAbs: '',
    remote,
    trust: [],
    unverified: [],
    run: async (c) => {
      const o = await checkRemoteSet(c, remote);
      w.trust.push(...o.trust);
      w.unverified.push(...o.unverified);
      return o;
    },
  };
  return w;
}

export function remoteSummary(rt: RemoteTarget, files: FileTrust[]): RemoteSummary {
  const trust = { 'remote-claimed': 0, local: 0, none: 0 };
  for (const f of files) trust[f.trust]++;
  const info = rt.artifact.info;
  return {
    uri: info.uri,
    kind: info.kind,
    ...(info.resolvedRevision ? { resolvedRevision: info.resolvedRevision } : {}),
    deep: rt.deep,
    bytesRead: rt.artifact.bytesRead(),
    bytesTotal: rt.files.reduce((n, f) => n + f.size, 0),
    trust,
    files,
  };
}

/** The manifest's own path under a local set root (ignored there); a remote listing never holds it. */
export function selfUnder(w: Where, rootAbs: string, manifestAbs: string): string[] {
  const self = w.remote ? undefined : relUnder(rootAbs, manifestAbs);
  return self && self !== '.' ? [self] : [];
}
