/**
 * `--source name=hf://…` in a lineage statement: the repo type and revision as annotations, and the
 * revision as a `gitCommit` digest when it is a full commit. Only a commit pins a Hub repo; a branch
 * or tag can move, whatever content digest is recorded beside it.
 */
import type { PinProblem, Provenance, RecordedSource } from '../source.js';
import { COMMIT_RE } from './uri.js';

// one revision segment and no path: the form `sign --source` documents; anything else is recorded as `other`
const SOURCE_URI = /^hf:\/\/(?:(datasets|spaces)\/)?([^@]+?)(?:@([^/]+))?\/?$/;

function describe(uri: string): ReturnType<Provenance['describe']> {
  const m = SOURCE_URI.exec(uri);
  if (!m) return undefined;
  const repoType = m[1] === 'datasets' ? 'dataset' : m[1] === 'spaces' ? 'space' : 'model';
  const revision = m[3];
  return {
    annotations: { mlvetKind: 'huggingface', repoType, revision: revision ?? 'main' },
    digest: revision && COMMIT_RE.test(revision) ? { gitCommit: revision } : {},
  };
}

function pinning(s: RecordedSource): PinProblem | undefined {
  const commit = s.digest?.gitCommit;
  if (commit && COMMIT_RE.test(commit)) return undefined;
  const rev = typeof s.annotations?.revision === 'string' ? s.annotations.revision : '?';
  return { weak: false, reason: 'mutable-revision', detail: `revision ${rev} is a branch or tag, not a 40-hex commit` };
}

export const hfProvenance: Provenance = { kind: 'huggingface', describe, pinning };
