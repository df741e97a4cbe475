/**
 * The S3 client as users expect it: the SDK's standard credential chain and region resolution, plus
 * `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` for MinIO, Ceph and other S3-compatible stores (path-style
 * addressing there, since their buckets rarely have DNS names). Retries are ours, not the SDK's, so
 * every remote source behaves the same under faults.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { isMlvetError, MlvetError } from '../../errors.js';

/**
 * The SDK warns on every run under Node < 22 that its future releases will drop it (a
 * `NodeVersionSupportWarning` through `process.emitWarning`, on client construction). That is about
 * the SDK's upgrade path, not the user's scan, so it is silenced through the SDK's own switch, for
 * that one warning only, while our client is built; a value the user set is left as it is.
 */
function quietly<T>(build: () => T): T {
  const KNOB = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  if (process.env[KNOB] !== undefined) return build();
  process.env[KNOB] = 'true';
  try {
    return build();
  } finally {
    delete process.env[KNOB];
  }
}

export function s3Client(env: NodeJS.ProcessEnv): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || (endpoint ? 'us-east-1' : undefined);
  return quietly(() => new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(region ? { region } : {}),
    followRegionRedirects: true,
    maxAttempts: 1,
    // ranged reads cannot be checked against a full-object checksum; we verify digests ourselves
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  }));
}

export function statusOf(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** SDK errors → mlvet errors: no credentials or no region is exit 3, as is access denied. */
export function s3Error(e: unknown, uri: string): MlvetError {
  if (isMlvetError(e)) return e;
  const err = e as { name?: string; message?: string };
  const st = statusOf(e);
  if (err.name === 'CredentialsProviderError' || /Could not load credentials/i.test(err.message ?? '')) {
    return new MlvetError('AUTH', `${uri}: no AWS credentials found (environment, profile, SSO, container or instance role)`, { path: uri });
  }
  if (/Region is missing/i.test(err.message ?? '')) {
    return new MlvetError('USAGE', `${uri}: no AWS region configured (set AWS_REGION or a profile region)`, { path: uri });
  }
  if (st === 401 || st === 403 || err.name === 'AccessDenied' || err.name === 'InvalidAccessKeyId' || err.name === 'SignatureDoesNotMatch') {
    return new MlvetError('AUTH', `${uri}: access denied (${err.name ?? st})`, { path: uri, status: st });
  }
  if (st === 404 || err.name === 'NoSuchBucket' || err.name === 'NoSuchKey' || err.name === 'NotFound' || err.name === 'NoSuchVersion') {
    return new MlvetError('NOT_FOUND', `${uri}: not found (${err.name ?? st})`, { path: uri, status: st });
  }
  return new MlvetError('REMOTE_ERROR', `${uri}: ${err.name ?? 'error'}: ${err.message ?? String(e)}`, { path: uri, status: st }, { cause: e });
}
