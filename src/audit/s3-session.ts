/**
 * One S3 client for a whole audit run, and each listed object opened from what the listing said:
 * the bucket's versioning looked up once per bucket, no HeadObject when the listing's key, size and
 * ETag (plus the checksum algorithms it names) already decide the object's facts. The read is pinned
 * to the listed ETag (If-Match) or VersionId, so an overwrite since the listing fails that object
 * (scanned again next run) instead of mixing two bodies.
 *
 * A HeadObject is still made where only it can give what a direct scan of the object reports: a
 * versioned (or unknown) bucket without a VersionId from an inventory, a full-object SHA-256 whose
 * value the listing does not carry, or an inventory row that does not say which checksums exist.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { remoteOptions, type RemoteOptions } from '../artifact/remote/index.js';
import type { Artifact } from '../artifact/types.js';
import { MlvetError } from '../errors.js';
import { bucketVersioning, headObject, s3Client, s3KnownObject, type S3Object, type Versioning } from '../sources/s3/index.js';
import { s3Error } from '../sources/s3/client.js';
import { missingProfile } from '../sources/s3/profile.js';
import { objectUri, parseS3Target } from '../sources/s3/uri.js';
import type { AuditObject } from './types.js';

export interface S3Session {
  client: S3Client;
  open(o: AuditObject): Promise<Artifact>;
  close(): void;
}

/** HeadObject's order of checksum names, so facts list them as a direct scan does */
const CHECKSUMS = ['sha256', 'sha1', 'crc32', 'crc32c', 'crc64nvme'];

const unquoted = (etag: string | undefined): string | undefined => etag?.replace(/^"|"$/g, '');

export function s3Session(env: NodeJS.ProcessEnv): S3Session {
  const client = s3Client(env);
  const opts: RemoteOptions = remoteOptions(env);
  const versioning = new Map<string, Promise<Versioning>>();
  let noProfile: MlvetError | null | undefined;
  const versioningOf = (bucket: string): Promise<Versioning> => {
    let v = versioning.get(bucket);
    if (!v) {
      v = bucketVersioning(client, opts, bucket);
      versioning.set(bucket, v);
      // a failure is that object's (inconclusive); the next object asks again
      v.catch(() => versioning.delete(bucket));
    }
    return v;
  };
  return {
    client,
    async open(o) {
      const target = o.scanTarget;
      // the shared files are read once a run, not once an object
      if (noProfile === undefined) noProfile = missingProfile(env, target) ?? null;
      if (noProfile) throw noProfile;
      if (o.identity.kind !== 's3') throw new MlvetError('USAGE', `${target}: not an S3 object`);
      const id = o.identity;
      const { bucket } = parseS3Target(target);
      try {
        const v = await versioningOf(bucket);
        const needHead = o.s3Checksums === undefined || o.s3Checksums.includes('sha256') || (!id.versionId && v !== 'unversioned');
        let obj: S3Object;
        if (needHead) {
          obj = await headObject(client, opts, bucket, id.key);
          if (id.etag && unquoted(obj.etag) !== id.etag) {
            throw new MlvetError('REMOTE_ERROR', `${target}: object changed since it was listed (ETag no longer ${id.etag})`, { path: target });
          }
        } else {
          const checksums: Record<string, string> = {};
          for (const c of CHECKSUMS) if (o.s3Checksums!.includes(c)) checksums[c] = '';
          obj = { key: id.key, size: id.size, ...(id.etag ? { etag: `"${id.etag}"` } : {}), ...(id.versionId ? { versionId: id.versionId } : {}), checksums };
        }
        return s3KnownObject(bucket, obj, v, client, env);
      } catch (e) {
        throw s3Error(e, objectUri(bucket, id.key));
      }
    },
    close: () => client.destroy(),
  };
}
