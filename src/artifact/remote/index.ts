/**
 * The shared remote-reading layer: ranged reads through a block cache, bounded concurrency, retries,
 * timeouts and an on-disk cache. Sources (hf, s3, https) supply only a RangeSource per object.
 */
export { remoteOptions, defaultCacheDir, type RemoteOptions } from './options.js';
export { RemoteReader, type RangeSource } from './remote-reader.js';
export { readRangeResponse, headProblem, type RangeResponse, type RangeRequest, type CheckedRange } from './range-check.js';
export { remoteArtifact, type RemoteArtifact, type RemoteFileSpec } from './artifact.js';
export { httpRangeSource, resilientFetch, statusError, readBody } from './http.js';
export { withRetry, raceAbort, TransientError, isTransient } from './retry.js';
export { DiskCache } from './disk-cache.js';
export { remoteDigests, type RemoteDigest, type DigestTrust } from './digests.js';
