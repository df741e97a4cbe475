/**
 * One remote source: the URI prefixes it claims, the `TargetInfo.kind` of the artifacts it opens,
 * `open`, and how lineage records and judges a `--source` URI that names the same store. The
 * registry (index.ts) is the list of these records; nothing else lists schemes.
 */
import type { Artifact } from '../artifact/types.js';

export interface SourceOptions {
  cwd?: string;
  offline?: boolean;
  /** extra settings a remote resolver may read (revision, credentials source names, cache dir) */
  env?: NodeJS.ProcessEnv;
}

/** The fields of an in-toto ResourceDescriptor that pinning reads (lineage's `Source` has them). */
export interface RecordedSource {
  uri?: string;
  digest?: Record<string, string>;
  annotations?: Record<string, unknown>;
}

/** Why a recorded source is not pinned: a mutable pointer, or (`weak`) no strong content digest. */
export interface PinProblem {
  weak: boolean;
  reason: string;
  detail: string;
}

export interface Provenance {
  /** `annotations.mlvetKind` of a recorded source from this store, as signed statements spell it */
  readonly kind: string;
  /** annotations and digests a `--source` URI carries itself; undefined when it is not in this store's form */
  describe(uri: string): { annotations: Record<string, unknown>; digest: Record<string, string> } | undefined;
  /**
   * The store's own pinning rule (`strong`: a strong content digest is recorded); undefined when the
   * store has none, and the general rule (a strong digest pins anything) applies.
   */
  readonly pinning?: (s: RecordedSource, strong: boolean) => PinProblem | undefined;
}

export interface Source {
  /** `TargetInfo.kind` of what it opens; also the folder name under src/sources/ */
  readonly kind: string;
  /** `scheme://` prefixes it opens, as written (schemes are matched case-sensitively, as before) */
  readonly prefixes: readonly string[];
  readonly open: (target: string, opts: SourceOptions) => Promise<Artifact>;
  readonly provenance: Provenance;
}
