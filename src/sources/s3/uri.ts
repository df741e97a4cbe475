/**
 * `s3://<bucket>/<prefix-or-key>[?versionId=…]`. A key with a versionId names one immutable object;
 * anything else is looked up as a key first, then listed as a prefix.
 */
import { MlvetError } from '../../errors.js';

export interface S3Target {
  bucket: string;
  key: string;
  versionId?: string;
}

export function parseS3Target(target: string): S3Target {
  if (!target.startsWith('s3://')) throw new MlvetError('USAGE', `not an s3:// target: ${target}`);
  const [path = '', query = ''] = target.slice('s3://'.length).split('?', 2);
  const slash = path.indexOf('/');
  const bucket = slash < 0 ? path : path.slice(0, slash);
  const key = slash < 0 ? '' : path.slice(slash + 1);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new MlvetError('USAGE', `bad s3:// target ${target}: "${bucket}" is not a valid bucket name`);
  }
  const q = new URLSearchParams(query);
  const versionId = q.get('versionId') ?? undefined;
  for (const k of q.keys()) {
    if (k !== 'versionId') throw new MlvetError('USAGE', `bad s3:// target ${target}: unknown parameter "${k}" (only versionId)`);
  }
  if (versionId !== undefined && (key === '' || key.endsWith('/'))) {
    throw new MlvetError('USAGE', `bad s3:// target ${target}: versionId needs an object key`);
  }
  return { bucket, key, ...(versionId ? { versionId } : {}) };
}

export function objectUri(bucket: string, key: string, versionId?: string): string {
  return `s3://${bucket}/${key}${versionId && versionId !== 'null' ? `?versionId=${encodeURIComponent(versionId)}` : ''}`;
}

/** Path of a key relative to the folder part of the prefix (`models/base` → relative to `models/`). */
export function relativeKey(prefix: string, key: string): string {
  const dir = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  return key.startsWith(dir) ? key.slice(dir.length) : key;
}
