/**
 * Finding the objects of an `s3://` target and what S3 says about each: ListObjectsV2 (paginated),
 * HeadObject with `ChecksumMode: ENABLED` for checksums, VersionId and ETag, and the bucket's
 * versioning state. Every call goes through the shared retry and concurrency layer.
 */
import {
  GetBucketVersioningCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { raceAbort, withRetry, type RemoteOptions } from '../../artifact/remote/index.js';
import { sharedLimiter } from '../../artifact/remote/limiter.js';
import { s3Error, statusOf } from './client.js';
import { objectUri } from './uri.js';

export interface S3Object {
  key: string;
  size: number;
  etag?: string;
  versionId?: string;
  checksums: Record<string, string>;
  checksumType?: string;
}

export type Versioning = 'Enabled' | 'Suspended' | 'unversioned' | 'unknown';

/** Run one SDK call with our retries and timeouts; SDK errors become mlvet errors. */
export async function call<T>(name: string, opts: RemoteOptions, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  try {
    return await sharedLimiter(opts.concurrency).run(() => withRetry(name, opts, (signal) => raceAbort(fn(signal), signal)));
  } catch (e) {
    throw s3Error(e, name);
  }
}

export async function headObject(client: S3Client, opts: RemoteOptions, bucket: string, key: string, versionId?: string): Promise<S3Object> {
  const h: HeadObjectCommandOutput = await call(objectUri(bucket, key, versionId), opts, (abortSignal) =>
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, ChecksumMode: 'ENABLED' }), { abortSignal }),
  );
  const checksums: Record<string, string> = {};
  for (const [k, v] of [
    ['sha256', h.ChecksumSHA256],
    ['sha1', h.ChecksumSHA1],
    ['crc32', h.ChecksumCRC32],
    ['crc32c', h.ChecksumCRC32C],
    ['crc64nvme', h.ChecksumCRC64NVME],
  ] as const) {
    if (v) checksums[k] = v;
  }
  return {
    key,
    size: h.ContentLength ?? 0,
    ...(h.ETag ? { etag: h.ETag } : {}),
    ...(h.VersionId ? { versionId: h.VersionId } : {}),
    checksums,
    ...(h.ChecksumType ? { checksumType: h.ChecksumType } : {}),
  };
}

/** HeadObject, or undefined when there is no such key (so the caller lists it as a prefix). */
export async function headIfExists(client: S3Client, opts: RemoteOptions, bucket: string, key: string): Promise<S3Object | undefined> {
  try {
    return await headObject(client, opts, bucket, key);
  } catch (e) {
    if ((e as { code?: string }).code === 'NOT_FOUND') return undefined;
    throw e;
  }
}

export async function listKeys(client: S3Client, opts: RemoteOptions, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await call(`s3://${bucket}/${prefix}`, opts, (abortSignal) =>
      client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 }), { abortSignal }),
    );
    for (const o of page.Contents ?? []) {
      // zero-byte "folder" markers made by consoles are not files
      if (o.Key && !(o.Key.endsWith('/') && (o.Size ?? 0) === 0)) keys.push(o.Key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** The bucket's versioning state; stores that do not implement the call (or deny it) give `unknown`. */
export async function bucketVersioning(client: S3Client, opts: RemoteOptions, bucket: string): Promise<Versioning> {
  try {
    const v = await call(`s3://${bucket}`, opts, (abortSignal) => client.send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal }));
    return v.Status === 'Enabled' || v.Status === 'Suspended' ? v.Status : 'unversioned';
  } catch (e) {
    const st = (e as { details?: { status?: number } }).details?.status ?? statusOf(e);
    if (st === 501 || st === 403 || (e as { code?: string }).code === 'AUTH' || (e as { code?: string }).code === 'REMOTE_ERROR') return 'unknown';
    throw e;
  }
}
