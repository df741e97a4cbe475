/**
 * When an object counts as unchanged: the listing's identity matches what was recorded, and the
 * recorded findings came from this rule set and this mlvet. A local file whose stat changed is
 * hashed once more: the same bytes (a `touch`, a copy that kept them) are still unchanged.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Identity } from './types.js';

export function sameIdentity(a: Identity, b: Identity): boolean {
  if (a.kind === 's3' && b.kind === 's3') {
    if (a.versionId && b.versionId && a.versionId !== b.versionId) return false;
    return a.key === b.key && a.size === b.size && a.etag === b.etag && a.lastModified === b.lastModified;
  }
  if (a.kind === 'local' && b.kind === 'local') return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
  if (a.kind === 'hf' && b.kind === 'hf') return a.type === b.type && a.repo === b.repo && a.sha === b.sha;
  return false;
}

export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const c of createReadStream(path) as AsyncIterable<Buffer>) {
    h.update(c);
    bytes += c.length;
  }
  return { sha256: h.digest('hex'), bytes };
}
