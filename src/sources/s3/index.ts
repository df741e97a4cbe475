/**
 * `s3://` resolver: one object (a key, optionally at a versionId) or every object under a prefix, each
 * opened as a ranged reader (GetObject with Range, pinned to the VersionId or ETag seen at listing, so
 * an object overwritten mid-scan fails loudly instead of mixing two versions).
 */
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { raceAbort, remoteArtifact, remoteOptions, TransientError, type RangeSource, type RemoteFileSpec, type RemoteOptions } from '../../artifact/remote/index.js';
import type { Artifact } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';
import type { Fact } from '../../model/facts.js';
import type { Source, SourceOptions } from '../source.js';
import { s3Client, s3Error } from './client.js';
import { fullObjectSha256, s3Facts } from './facts.js';
import { missingProfile } from './profile.js';
import { s3Provenance } from './provenance.js';
import { bucketVersioning, headIfExists, headObject, listKeys, type S3Object, type Versioning } from './objects.js';
import { objectUri, parseS3Target, relativeKey } from './uri.js';

export { parseS3Target, objectUri } from './uri.js';
export { s3Client } from './client.js';
export { bucketVersioning, headObject, type S3Object, type Versioning } from './objects.js';

function rangeSource(client: S3Client, bucket: string, o: S3Object): RangeSource {
  const name = objectUri(bucket, o.key, o.versionId);
  const versioned = o.versionId !== undefined && o.versionId !== 'null';
  return {
    name,
    size: o.size,
    ...(versioned ? { cacheKey: `s3:${name}` } : o.etag ? { cacheKey: `s3:${name}#${o.etag}` } : {}),
    async fetchRange(offset, length, abortSignal) {
      try {
        const r = await raceAbort(
          client.send(
            new GetObjectCommand({
              Bucket: bucket,
              Key: o.key,
              ...(versioned ? { VersionId: o.versionId } : o.etag ? { IfMatch: o.etag } : {}),
              Range: `bytes=${offset}-${offset + length - 1}`,
            }),
            { abortSignal },
          ),
          abortSignal,
        );
        // in Node the SDK's Body is the socket's IncomingMessage; reading it as a stream (never
        // transformToByteArray, which buffers it all) lets the check stop after the bytes asked for
        const body = r.Body as (Readable & AsyncIterable<Uint8Array>) | undefined;
        return {
          status: r.$metadata.httpStatusCode ?? 0,
          contentRange: r.ContentRange,
          contentLength: r.ContentLength,
          body,
          cancel: () => body?.destroy(),
        };
      } catch (e) {
        const st = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (st === 412) throw new MlvetError('REMOTE_ERROR', `${name}: object changed while it was being scanned (ETag no longer ${o.etag})`, { path: name });
        if (st !== undefined && st < 500 && st !== 429) throw s3Error(e, name);
        // the SDK's message for a 5xx is often about parsing its body; the status is what happened
        if (st !== undefined) throw new TransientError(`${name}: HTTP ${st} (${(e as Error).name})`, { cause: e });
        throw e;
      }
    },
  };
}

async function objectsOf(client: S3Client, opts: RemoteOptions, t: ReturnType<typeof parseS3Target>): Promise<{ objects: S3Object[]; single: boolean }> {
  if (t.versionId) return { objects: [await headObject(client, opts, t.bucket, t.key, t.versionId)], single: true };
  if (t.key && !t.key.endsWith('/')) {
    const one = await headIfExists(client, opts, t.bucket, t.key);
    if (one) return { objects: [one], single: true };
  }
  const keys = await listKeys(client, opts, t.bucket, t.key);
  // every head goes through the shared limiter inside call(), so this is bounded
  const objects = await Promise.all(keys.map((k) => headObject(client, opts, t.bucket, k)));
  return { objects, single: false };
}

/** Open an `s3://` target as an artifact. */
export async function s3Artifact(target: string, so: SourceOptions = {}): Promise<Artifact> {
  const env = so.env ?? process.env;
  const opts = remoteOptions(env);
  const t = parseS3Target(target);
  const noProfile = missingProfile(env, target);
  if (noProfile) throw noProfile;
  const client = s3Client(env);
  let found: { objects: S3Object[]; single: boolean };
  let versioning: Versioning;
  try {
    found = await objectsOf(client, opts, t);
    if (found.objects.length === 0) throw new MlvetError('NOT_FOUND', `${target}: no objects under this prefix`, { path: target });
    versioning = t.versionId ? 'Enabled' : await bucketVersioning(client, opts, t.bucket);
  } catch (e) {
    client.destroy();
    throw s3Error(e, target);
  }
  const art = artifactOf(target, t, client, found, versioning, opts);
  return { ...art, close: () => Promise.resolve(client.destroy()) };
}

function artifactOf(target: string, t: ReturnType<typeof parseS3Target>, client: S3Client, found: { objects: S3Object[]; single: boolean }, versioning: Versioning, opts: RemoteOptions): Artifact {
  const facts: Fact[] = [];
  const specs: RemoteFileSpec[] = found.objects.map((o) => {
    const path = found.single ? o.key.slice(o.key.lastIndexOf('/') + 1) : relativeKey(t.key, o.key);
    facts.push(...s3Facts(t.bucket, o, path, t.versionId, versioning));
    const sha = fullObjectSha256(o);
    const digests: Record<string, string> = sha ? { sha256: sha } : {};
    return {
      path,
      size: o.size,
      digests,
      meta: { key: o.key, ...(o.versionId ? { versionId: o.versionId } : {}), ...(o.etag ? { etag: o.etag } : {}), checksums: o.checksums, ...(o.checksumType ? { checksumType: o.checksumType } : {}) },
      source: () => rangeSource(client, t.bucket, o),
    };
  });
  return remoteArtifact({ uri: target, kind: s3Source.kind, ...(t.versionId ? { resolvedRevision: t.versionId } : {}) }, facts, specs, opts);
}

/**
 * One object whose metadata a listing (or an inventory, or a HeadObject the caller made) already
 * gave, read through the caller's client with the bucket's versioning the caller looked up: no
 * HeadObject, no GetBucketVersioning, no client per object. Reads stay pinned to `object.versionId`
 * or, failing that, `object.etag` (If-Match), so an overwrite since the listing fails loudly. The
 * client is the caller's: closing the artifact leaves it open. Facts and findings are those
 * `s3Artifact(objectUri(bucket, key))` gives for the same metadata.
 */
export function s3KnownObject(bucket: string, object: S3Object, versioning: Versioning, client: S3Client, env: NodeJS.ProcessEnv): Artifact {
  const target = objectUri(bucket, object.key);
  return artifactOf(target, parseS3Target(target), client, { objects: [object], single: true }, versioning, remoteOptions(env));
}

/** S3 (or an S3-compatible store): one object, optionally at a versionId, or every object under a prefix. */
export const s3Source: Source = { kind: 's3', prefixes: ['s3://'], open: s3Artifact, provenance: s3Provenance };
