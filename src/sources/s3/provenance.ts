/**
 * `--source name=s3://…?versionId=…` in a lineage statement: the versionId as an annotation. An
 * object without a versionId can be overwritten under the same key; a versioned one is pinned as a
 * pointer, but its ETag/CRC prove nothing about content, so it also wants a strong digest.
 */
import type { PinProblem, Provenance, RecordedSource } from '../source.js';

function describe(uri: string): ReturnType<Provenance['describe']> {
  if (!uri.startsWith('s3://')) return undefined;
  const v = new URL(uri).searchParams.get('versionId');
  return { annotations: { mlvetKind: 's3', ...(v ? { versionId: v } : {}) }, digest: {} };
}

function pinning(s: RecordedSource, strong: boolean): PinProblem | undefined {
  const v = s.annotations?.versionId;
  if (typeof v !== 'string' || v === '' || v === 'null') {
    return { weak: false, reason: 'no-version', detail: 'S3 object without a versionId can be overwritten' };
  }
  if (strong) return undefined;
  return { weak: true, reason: 'weak-digest', detail: 'S3 version pinned, but only an ETag/CRC or no content digest recorded' };
}

export const s3Provenance: Provenance = { kind: 's3', describe, pinning };
