/**
 * Pinning facts for S3 objects: an object read without a VersionId can change under the same name; an
 * object whose only digests are ETag/CRC has no content hash to pin to.
 */
import type { Fact } from '../../model/facts.js';
import type { S3Object, Versioning } from './objects.js';
import { objectUri } from './uri.js';

/** sha256 as lower-case hex when S3 holds a full-object SHA-256, else undefined. */
export function fullObjectSha256(o: S3Object): string | undefined {
  const b64 = o.checksums.sha256;
  if (!b64 || (o.checksumType && o.checksumType !== 'FULL_OBJECT') || b64.includes('-')) return undefined;
  const hex = Buffer.from(b64, 'base64').toString('hex');
  return hex.length === 64 ? hex : undefined;
}

export function s3Facts(bucket: string, o: S3Object, path: string, requestedVersion: string | undefined, versioning: Versioning): Fact[] {
  const facts: Fact[] = [];
  const hasVersion = o.versionId !== undefined && o.versionId !== 'null';
  if (!requestedVersion) {
    const versioned = versioning === 'Enabled' || hasVersion;
    facts.push({
      kind: 'source.unpinned',
      location: { path },
      data: {
        scheme: 's3',
        target: objectUri(bucket, o.key),
        versioning: versioned ? 'Enabled' : versioning,
        ...(hasVersion ? { versionId: o.versionId, pinTo: objectUri(bucket, o.key, o.versionId) } : {}),
        key: path,
      },
    });
  }
  if (!fullObjectSha256(o)) {
    const have = Object.keys(o.checksums).map((k) => (k === 'sha256' ? 'sha256-composite' : k));
    facts.push({
      kind: 'source.weak-digest',
      location: { path },
      data: { scheme: 's3', target: objectUri(bucket, o.key, o.versionId), digests: have.length ? have : ['etag'], key: path },
    });
  }
  return facts;
}
