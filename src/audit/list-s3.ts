/**
 * The objects under an `s3://` prefix with the identity ListObjectsV2 already gives (key, size, ETag,
 * LastModified, and the checksum algorithms it names): no HeadObject per key, so a run over an
 * unchanged bucket costs the listing alone, and a changed one a GetObject per object read.
 * Keys under `.mlvet/` (where audit states live by default) and the state's own objects are never
 * audited.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { remoteOptions } from '../artifact/remote/index.js';
import { s3Client } from '../sources/s3/index.js';
import { call } from '../sources/s3/objects.js';
import { objectUri, parseS3Target, relativeKey } from '../sources/s3/uri.js';
import type { AuditObject, S3Identity } from './types.js';

/** `.mlvet/` at the bucket root holds audit states; a `--state` elsewhere is excluded by name */
export function excludedKey(key: string, stateKeys: readonly string[]): boolean {
  return key.startsWith('.mlvet/') || stateKeys.some((s) => key === s || key.startsWith(`${s}.`));
}

/** one entry of a listing or an inventory, whichever gave it */
export function s3Object(bucket: string, prefix: string, id: Omit<S3Identity, 'kind'>): AuditObject {
  // a listing quotes ETags, an inventory does not: the same object must compare equal either way
  const etag = id.etag?.replace(/^"|"$/g, '');
  return { path: relativeKey(prefix, id.key), identity: { kind: 's3', ...id, ...(etag ? { etag } : {}) }, size: id.size, scanTarget: objectUri(bucket, id.key) };
}

/** `shared`: the run's client (left open); else one made and closed here */
export async function listS3(target: string, env: NodeJS.ProcessEnv, stateKeys: readonly string[], shared?: S3Client): Promise<AuditObject[]> {
  const t = parseS3Target(target);
  const client = shared ?? s3Client(env);
  const opts = remoteOptions(env);
  const out: AuditObject[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await call(`s3://${t.bucket}/${t.key}`, opts, (abortSignal) =>
        client.send(new ListObjectsV2Command({ Bucket: t.bucket, Prefix: t.key, ContinuationToken: token, MaxKeys: 1000 }), { abortSignal }),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key || (o.Key.endsWith('/') && (o.Size ?? 0) === 0) || excludedKey(o.Key, stateKeys)) continue;
        const listed = s3Object(t.bucket, t.key, {
          key: o.Key,
          size: o.Size ?? 0,
          ...(o.ETag ? { etag: o.ETag } : {}),
          ...(o.LastModified ? { lastModified: o.LastModified.toISOString() } : {}),
        });
        out.push({ ...listed, s3Checksums: (o.ChecksumAlgorithm ?? []).map((c) => c.toLowerCase()) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    if (!shared) client.destroy();
  }
  return out;
}
