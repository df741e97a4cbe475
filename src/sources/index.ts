/**
 * Target URI → artifact. The registry is the list of source records: each remote store is one folder
 * (`src/sources/<kind>/`) exporting a `Source`, plus one line in SOURCES. Local paths are the default.
 * Lineage and validation ask this module what is remote instead of listing schemes themselves.
 */
import type { Artifact } from '../artifact/types.js';
import { MlvetError } from '../errors.js';
import { hfProvenance } from './hf/provenance.js';
import { urlProvenance } from './https/provenance.js';
import { localArtifact } from './local.js';
import { s3Provenance } from './s3/provenance.js';
import type { Provenance, Source, SourceOptions } from './source.js';

// The S3, Hub and HTTPS records load their folders (and the AWS SDK, the Hub client and
// artifact/remote) on first open: a local scan, a sign or a verify of a directory never pays for
// them at start-up (issue 16).
const hfSource: Source = { kind: 'hf', prefixes: ['hf://'], open: async (t, o) => (await import('./hf/index.js')).hfSource.open(t, o), provenance: hfProvenance };
const s3Source: Source = { kind: 's3', prefixes: ['s3://'], open: async (t, o) => (await import('./s3/index.js')).s3Source.open(t, o), provenance: s3Provenance };
const httpsSource: Source = { kind: 'https', prefixes: ['https://', 'http://'], open: async (t, o) => (await import('./https/index.js')).httpsArtifact(t, o), provenance: urlProvenance };

export type { PinProblem, Provenance, RecordedSource, Source, SourceOptions } from './source.js';

export const SOURCES: readonly Source[] = [hfSource, s3Source, httpsSource];

export type Resolver = (target: string, opts: SourceOptions) => Promise<Artifact>;

/**
 * prefix → resolver, derived from SOURCES for the library export. openTarget reads SOURCES, so pushing
 * here would no longer register a scheme; the array is frozen so that is an error, not a silent no-op.
 */
export const RESOLVERS: ReadonlyArray<{ prefix: string; resolve: Resolver }> = Object.freeze(
  SOURCES.flatMap((s) => s.prefixes.map((prefix) => ({ prefix, resolve: s.open }))),
);

/** The source whose prefix the target starts with. */
export function sourceFor(target: string): Source | undefined {
  return SOURCES.find((s) => s.prefixes.some((p) => target.startsWith(p)));
}

/** The source whose recorded sources carry this `mlvetKind`. */
export function provenanceOf(kind: string): Provenance | undefined {
  return SOURCES.find((s) => s.provenance.kind === kind)?.provenance;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The target names a URI scheme, so openTarget treats it as remote: it opens it with a source, or
 * refuses it as an unsupported scheme (USAGE) rather than looking for a local file of that name.
 */
export function isRemote(target: string): boolean {
  return SCHEME.test(target);
}

export async function openTarget(target: string, opts: SourceOptions = {}): Promise<Artifact> {
  const source = sourceFor(target);
  if (source) {
    if (opts.offline) throw new MlvetError('OFFLINE', `--offline: refusing to fetch ${target}`);
    return source.open(target, opts);
  }
  if (isRemote(target)) throw new MlvetError('USAGE', `unsupported target scheme: ${target.split('://')[0]}://`);
  return localArtifact(target, opts.cwd);
}
