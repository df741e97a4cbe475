/**
 * A state object in S3, for pods with no disk that survives. S3 cannot append, so the journal is one
 * small object per batch of completions (`<state>.journal/<run>-<seq>.jsonl`); the state is one
 * PutObject of the whole document, which S3 makes visible atomically. The lease is `<state>.lock`,
 * created with `If-None-Match: *` and then read back: a store that ignores the condition (s3rver,
 * older MinIO) still lets only the last writer of the token win, which the read-back sees.
 */
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { remoteOptions, type RemoteOptions } from '../artifact/remote/index.js';
import { MlvetError } from '../errors.js';
import { s3Client } from '../sources/s3/index.js';
import { call } from '../sources/s3/objects.js';
import { parseS3Target } from '../sources/s3/uri.js';
import { STATE_MAX_BYTES } from './state.js';
import { isStale, lockMessage, type JournalPart, type Lease, type LeaseOwner, type StateStore } from './store.js';

const status = (e: unknown): number | undefined => (e as { details?: { status?: number } }).details?.status;

async function getText(client: S3Client, opts: RemoteOptions, bucket: string, key: string): Promise<Uint8Array | undefined> {
  try {
    return await call(`s3://${bucket}/${key}`, opts, async (abortSignal) => {
      const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
      if ((r.ContentLength ?? 0) > STATE_MAX_BYTES) throw new MlvetError('STATE_INVALID', `s3://${bucket}/${key}: ${r.ContentLength} bytes, more than ${STATE_MAX_BYTES}`, { path: `s3://${bucket}/${key}` });
      return r.Body!.transformToByteArray();
    });
  } catch (e) {
    if ((e as MlvetError).code === 'NOT_FOUND') return undefined;
    throw e;
  }
}

async function put(client: S3Client, opts: RemoteOptions, bucket: string, key: string, body: Uint8Array | string, ifNoneMatch = false): Promise<void> {
  await call(`s3://${bucket}/${key}`, opts, (abortSignal) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json', ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}) }), { abortSignal }),
  );
}

async function del(client: S3Client, opts: RemoteOptions, bucket: string, key: string): Promise<void> {
  await call(`s3://${bucket}/${key}`, opts, (abortSignal) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }));
}

async function listAll(client: S3Client, opts: RemoteOptions, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await call(`s3://${bucket}/${prefix}`, opts, (abortSignal) =>
      client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function s3Store(uri: string, env: NodeJS.ProcessEnv, runId: string): StateStore {
  const t = parseS3Target(uri);
  if (!t.key || t.key.endsWith('/')) throw new MlvetError('USAGE', `--state ${uri}: name an object key, not a prefix`);
  const client = s3Client(env);
  const opts = remoteOptions(env);
  const jprefix = `${t.key}.journal/`;
  const lockKey = `${t.key}.lock`;
  const seen = new Set<string>();
  let seq = 0;
  // the read-back waits this long for a competing writer's PUT to land before judging the token
  const settleMs = Number(env.MLVET_AUDIT_LOCK_SETTLE_MS ?? 1000);
  return {
    uri,
    readState: () => getText(client, opts, t.bucket, t.key),
    writeState: (bytes) => put(client, opts, t.bucket, t.key, bytes),
    async readJournal(): Promise<JournalPart[]> {
      const out: JournalPart[] = [];
      for (const k of await listAll(client, opts, t.bucket, jprefix)) {
        const b = await getText(client, opts, t.bucket, k);
        seen.add(k);
        if (b) out.push({ name: `s3://${t.bucket}/${k}`, text: Buffer.from(b).toString('utf8') });
      }
      return out;
    },
    async appendJournal(text) {
      const k = `${jprefix}${runId}-${String(++seq).padStart(8, '0')}.jsonl`;
      await put(client, opts, t.bucket, k, text);
      seen.add(k);
    },
    async clearJournal() {
      for (const k of [...seen]) {
        await del(client, opts, t.bucket, k);
        seen.delete(k);
      }
    },
    acquire: (owner, ttlMs) => s3Lease(client, opts, t.bucket, lockKey, owner, ttlMs, settleMs),
    close: () => Promise.resolve(client.destroy()),
  };
}

async function readLease(client: S3Client, opts: RemoteOptions, bucket: string, key: string): Promise<Partial<LeaseOwner> | undefined> {
  const b = await getText(client, opts, bucket, key);
  if (!b) return undefined;
  try {
    return JSON.parse(Buffer.from(b).toString('utf8')) as Partial<LeaseOwner>;
  } catch {
    return {};
  }
}

async function s3Lease(client: S3Client, opts: RemoteOptions, bucket: string, key: string, owner: Omit<LeaseOwner, 'expiresAt' | 'acquiredAt'>, ttlMs: number, settleMs: number): Promise<Lease> {
  const uri = `s3://${bucket}/${key}`;
  const record = (): string => JSON.stringify({ ...owner, acquiredAt: new Date().toISOString(), expiresAt: new Date(Date.now() + ttlMs).toISOString() });
  const held = await readLease(client, opts, bucket, key);
  if (held) {
    if (!isStale(held, owner.host, Date.now())) throw new MlvetError('LOCKED', lockMessage(uri, held), { path: uri });
    await del(client, opts, bucket, key);
  }
  try {
    await put(client, opts, bucket, key, record(), true);
  } catch (e) {
    // 412: the lock appeared since we looked (a store that honours If-None-Match); 409: a racing conditional write
    if (status(e) === 412 || status(e) === 409) throw new MlvetError('LOCKED', lockMessage(uri, (await readLease(client, opts, bucket, key)) ?? {}), { path: uri });
    throw e;
  }
  await sleep(settleMs);
  const now = await readLease(client, opts, bucket, key);
  if (now?.owner !== owner.owner) throw new MlvetError('LOCKED', lockMessage(uri, now ?? {}), { path: uri });
  const ours = async (): Promise<boolean> => (await readLease(client, opts, bucket, key))?.owner === owner.owner;
  return {
    async renew() {
      if (!(await ours())) throw new MlvetError('LOCKED', `${uri}: this run's lease was taken over by another audit`, { path: uri });
      await put(client, opts, bucket, key, record());
    },
    async release() {
      if (await ours()) await del(client, opts, bucket, key);
    },
  };
}
