/**
 * Builds an Artifact from a listing of remote objects: every file opens a RemoteReader over its
 * RangeSource, and the artifact sums what they fetched for the report's `bytesRead`.
 */
import type { Artifact, ArtifactFile, RandomAccessReader, TargetInfo } from '../types.js';
import type { Fact } from '../../model/facts.js';
import type { RemoteOptions } from './options.js';
import { RemoteReader, type RangeSource } from './remote-reader.js';

export interface RemoteFileSpec {
  path: string;
  size: number;
  digests?: Record<string, string>;
  meta?: Record<string, unknown>;
  /** a reader other than a RemoteReader (a bounded download), when ranges are not available */
  open?: () => Promise<RandomAccessReader & { bytesRead: number }>;
  source?: () => RangeSource;
}

export interface RemoteArtifact extends Artifact {
  /** requests made and bytes served from the disk cache, for benches and notes */
  stats(): { requests: number; bytesFromCache: number };
}

export function remoteArtifact(info: TargetInfo, facts: Fact[], specs: RemoteFileSpec[], opts: RemoteOptions): RemoteArtifact {
  const readers: Array<{ bytesRead: number; requests?: number; bytesFromCache?: number }> = [];
  const sorted = [...specs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files: ArtifactFile[] = sorted.map((s) => ({
    path: s.path,
    size: s.size,
    ...(s.digests ? { digests: s.digests } : {}),
    ...(s.meta ? { meta: s.meta } : {}),
    open: async () => {
      const r = s.open ? await s.open() : new RemoteReader(s.source!(), opts);
      readers.push(r);
      return r;
    },
  }));
  return {
    info,
    facts,
    files: async function* () {
      yield* await Promise.resolve(files);
    },
    bytesRead: () => readers.reduce((n, r) => n + r.bytesRead, 0),
    stats: () => ({
      requests: readers.reduce((n, r) => n + (r.requests ?? 0), 0),
      bytesFromCache: readers.reduce((n, r) => n + (r.bytesFromCache ?? 0), 0),
    }),
    close: () => Promise.resolve(),
  };
}
