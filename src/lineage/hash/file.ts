/**
 * Hash one file: `readSync` into one reused buffer per thread (measured here to match openssl, while
 * `createReadStream` lost 30–60 %). Whole-file digests, or model_signing shards `[start, end)` of
 * `shardSize` bytes, each hashed on its own; an empty file has no shard.
 *
 * A read shorter than asked that ends where `fstat` said the file ends is taken as the end, so a file
 * smaller than the buffer costs one read, not a read and a second one that returns 0. Only regular
 * files are hashed: the file is opened non-blocking, so a FIFO or device swapped in after the walk is
 * an error result instead of a hang or an endless read.
 *
 * `hashFileAhead` is the same digest for one large file with read-ahead: two buffers, the next read
 * runs on libuv's thread pool (another core) while this thread hashes the previous one, so the hash
 * does not wait for the kernel's copy. It pays only when a core is free for the reads.
 */
import { closeSync, constants, fstatSync, openSync, read, readSync } from 'node:fs';
import { newHasher, type HashAlg } from './algs.js';

export interface HashJob {
  abs: string;
  alg: HashAlg;
  /** model_signing shard mode */
  shardSize?: number;
}

export interface ShardDigest {
  start: number;
  end: number;
  digest: string;
}

export interface HashResult {
  /** bytes actually hashed */
  size: number;
  digest?: string;
  shards?: ShardDigest[];
  /** the file could not be read (inconclusive, not tampering) */
  error?: string;
}

export const CHUNK_BYTES = 2 * 1024 * 1024;
/** each of the two read-ahead buffers: small enough that a chunk is still in this core's cache when hashed */
export const AHEAD_CHUNK_BYTES = 1024 * 1024;
let shared: Buffer | undefined;
const buffer = (): Buffer => (shared ??= Buffer.allocUnsafe(CHUNK_BYTES));

// O_NONBLOCK is POSIX only; on Windows there are no FIFOs to open by path
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

type Opened = { fd: number; size: number } | { error: HashResult };
const failed = (e: unknown): HashResult => ({ size: 0, error: (e as Error).message });

function openRegular(abs: string): Opened {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (e) {
    return { error: failed(e) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isFile()) return { fd, size: st.size };
    closeSync(fd);
    return { error: { size: 0, error: `not a regular file: ${abs}` } };
  } catch (e) {
    closeSync(fd);
    return { error: failed(e) };
  }
}

export function hashFileSync(job: HashJob): HashResult {
  const f = openRegular(job.abs);
  if ('error' in f) return f.error;
  try {
    if (job.shardSize !== undefined) return { size: f.size, shards: hashShards(f.fd, f.size, job) };
    const [digest, n] = hashRange(f.fd, job.alg, 0, Number.MAX_SAFE_INTEGER, f.size);
    return { size: n, digest };
  } catch (e) {
    return failed(e);
  } finally {
    closeSync(f.fd);
  }
}

function hashShards(fd: number, size: number, job: HashJob): ShardDigest[] {
  const step = job.shardSize!;
  const out: ShardDigest[] = [];
  for (let start = 0; start < size; start += step) {
    const end = Math.min(start + step, size);
    const [digest, n] = hashRange(fd, job.alg, start, end - start, size);
    if (n !== end - start) throw new Error(`file shrank while hashing (shard ${start}:${end})`);
    out.push({ start, end, digest });
  }
  return out;
}

/**
 * Digest of up to `len` bytes from `pos`; returns the hex digest and the bytes read. `size` is the
 * file's size from fstat: a short read ending there is the end of the file.
 */
function hashRange(fd: number, alg: HashAlg, pos: number, len: number, size: number): [string, number] {
  const h = newHasher(alg);
  const buf = buffer();
  let done = 0;
  while (done < len) {
    const want = Math.min(buf.length, len - done);
    const n = readSync(fd, buf, 0, want, pos + done);
    if (n === 0) break;
    h.update(n === buf.length ? buf : buf.subarray(0, n));
    done += n;
    if (n < want && pos + done === size) break;
  }
  return [h.digestHex(), done];
}

const readAt = (fd: number, buf: Buffer, pos: number): Promise<number> =>
  new Promise((resolve, reject) => read(fd, buf, 0, buf.length, pos, (e, n) => (e ? reject(e) : resolve(n))));

/** The whole-file digest of `hashFileSync` (no shards), with the next read in flight while a chunk is hashed. */
export async function hashFileAhead(job: HashJob): Promise<HashResult> {
  if (job.shardSize !== undefined) return hashFileSync(job);
  const f = openRegular(job.abs);
  if ('error' in f) return f.error;
  // per call, not shared: two of these may run at once on one thread
  const bufs = [Buffer.allocUnsafe(AHEAD_CHUNK_BYTES), Buffer.allocUnsafe(AHEAD_CHUNK_BYTES)] as const;
  let pending: Promise<number> | undefined = readAt(f.fd, bufs[0], 0);
  try {
    const h = newHasher(job.alg);
    let done = 0;
    for (let k = 0; pending; k ^= 1) {
      const n: number = await pending;
      pending = undefined;
      if (n === 0) break;
      const b = bufs[k]!;
      const end = done + n;
      if (n === b.length || end !== f.size) pending = readAt(f.fd, bufs[k ^ 1]!, end);
      h.update(n === b.length ? b : b.subarray(0, n));
      done = end;
    }
    return { size: done, digest: h.digestHex() };
  } catch (e) {
    return failed(e);
  } finally {
    // never close under a read still in flight
    await pending?.catch(() => 0);
    closeSync(f.fd);
  }
}
