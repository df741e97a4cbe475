/**
 * `--shard K/N`: a deterministic split of a target's files by hash of their path, so any scheduler
 * (Kubernetes Indexed Job, AWS Batch array, CI matrix) can run shard K of N and `report merge` the rest.
 */
import { createHash } from 'node:crypto';
import { MlvetError } from '../errors.js';

export interface Shard {
  index: number; // 1-based
  count: number;
}

export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || count > 100_000) {
    throw new MlvetError('USAGE', `--shard must be K/N with 1 <= K <= N, got "${spec}"`);
  }
  return { index, count };
}

export function inShard(path: string, shard: Shard): boolean {
  const h = createHash('sha256').update(path).digest();
  return h.readUInt32BE(0) % shard.count === shard.index - 1;
}
