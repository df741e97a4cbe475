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

/**
 * `--shard K/N` (1-based), or `--shard-count N` with `--shard-index I` (0-based, the same split:
 * index 0 of 3 is 1/3). Without `--shard-index`, I is the engine's own: `JOB_COMPLETION_INDEX` (a
 * Kubernetes Indexed Job) or `AWS_BATCH_JOB_ARRAY_INDEX` (an AWS Batch array job).
 */
export function shardFromFlags(f: { shard?: string; shardCount?: string; shardIndex?: string }, env: NodeJS.ProcessEnv): Shard | undefined {
  if (f.shard !== undefined && (f.shardCount !== undefined || f.shardIndex !== undefined)) {
    throw new MlvetError('USAGE', '--shard K/N and --shard-count/--shard-index are two spellings of one split; give one');
  }
  if (f.shard !== undefined) return parseShard(f.shard);
  if (f.shardCount === undefined) {
    if (f.shardIndex !== undefined) throw new MlvetError('USAGE', '--shard-index needs --shard-count');
    return undefined;
  }
  const from = f.shardIndex ?? env.JOB_COMPLETION_INDEX ?? env.AWS_BATCH_JOB_ARRAY_INDEX;
  const whence = f.shardIndex !== undefined ? '--shard-index' : env.JOB_COMPLETION_INDEX !== undefined ? 'JOB_COMPLETION_INDEX' : 'AWS_BATCH_JOB_ARRAY_INDEX';
  if (from === undefined) throw new MlvetError('USAGE', '--shard-count needs --shard-index, or JOB_COMPLETION_INDEX / AWS_BATCH_JOB_ARRAY_INDEX in the environment');
  if (!/^\d+$/.test(f.shardCount.trim()) || !/^\d+$/.test(from.trim())) throw new MlvetError('USAGE', `--shard-count and ${whence} must be whole numbers, got ${f.shardCount} and ${from}`);
  const count = Number(f.shardCount);
  const index = Number(from);
  if (index >= count) throw new MlvetError('USAGE', `${whence} ${index} is not below --shard-count ${count} (it is 0-based)`);
  return parseShard(`${index + 1}/${count}`);
}
