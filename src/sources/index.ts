/**
 * Target URI → artifact. Each scheme is one resolver; local paths are the default.
 */
import type { Artifact } from '../artifact/types.js';
import { MlvetError } from '../errors.js';
import { hfArtifact } from './hf/index.js';
import { httpsArtifact } from './https/index.js';
import { localArtifact } from './local.js';
import { s3Artifact } from './s3/index.js';

export interface SourceOptions {
  cwd?: string;
  offline?: boolean;
  /** extra settings a remote resolver may read (revision, credentials source names, cache dir) */
  env?: NodeJS.ProcessEnv;
}

export type Resolver = (target: string, opts: SourceOptions) => Promise<Artifact>;

/** scheme prefix → resolver; remote schemes register here */
export const RESOLVERS: Array<{ prefix: string; resolve: Resolver }> = [
  { prefix: 'hf://', resolve: hfArtifact },
  { prefix: 's3://', resolve: s3Artifact },
  { prefix: 'https://', resolve: httpsArtifact },
  { prefix: 'http://', resolve: httpsArtifact },
];

export async function openTarget(target: string, opts: SourceOptions = {}): Promise<Artifact> {
  for (const r of RESOLVERS) {
    if (target.startsWith(r.prefix)) {
      if (opts.offline) throw new MlvetError('OFFLINE', `--offline: refusing to fetch ${target}`);
      return r.resolve(target, opts);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    throw new MlvetError('USAGE', `unsupported target scheme: ${target.split('://')[0]}://`);
  }
  return localArtifact(target, opts.cwd);
}
