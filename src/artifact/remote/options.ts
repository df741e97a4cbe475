/**
 * Settings every remote reader shares. Defaults suit real networks; tests and slow links override them
 * through the environment (`MLVET_HTTP_TIMEOUT_MS`, …) so a CLI child process can be tuned too.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface RemoteOptions {
  /** bytes per cache block; parser reads are rounded out to whole blocks */
  blockSize: number;
  /** largest span fetched in one request when a parser reads sequentially */
  maxReadahead: number;
  /** blocks kept in memory per open reader */
  memoryBlocks: number;
  /** per-attempt deadline for one request, headers and body (ms) */
  timeoutMs: number;
  /** retries after the first attempt, on 5xx, 429, resets, timeouts and short bodies */
  retries: number;
  /** first backoff delay; doubles per retry, with jitter (ms) */
  backoffMs: number;
  /** requests in flight at once, across every reader in the process */
  concurrency: number;
  /** on-disk cache directory; empty string disables it */
  cacheDir: string;
  /** on-disk cache size limit (bytes); oldest blocks are evicted past it */
  cacheMaxBytes: number;
  /** largest whole-file download when a server cannot serve ranges (bytes) */
  maxDownloadBytes: number;
}

function num(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : dflt;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLVET_CACHE_DIR !== undefined) return env.MLVET_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'mlvet');
}

export function remoteOptions(env: NodeJS.ProcessEnv = process.env, over: Partial<RemoteOptions> = {}): RemoteOptions {
  return {
    blockSize: num(env, 'MLVET_BLOCK_SIZE', 256 * 1024) || 256 * 1024,
    maxReadahead: num(env, 'MLVET_MAX_READAHEAD', 8 * 1024 * 1024),
    memoryBlocks: 128,
    timeoutMs: num(env, 'MLVET_HTTP_TIMEOUT_MS', 30_000),
    retries: num(env, 'MLVET_HTTP_RETRIES', 4),
    backoffMs: num(env, 'MLVET_HTTP_BACKOFF_MS', 250),
    concurrency: Math.max(1, num(env, 'MLVET_HTTP_CONCURRENCY', 8)),
    cacheDir: defaultCacheDir(env),
    cacheMaxBytes: num(env, 'MLVET_CACHE_MAX_BYTES', 2 * 1024 ** 3),
    maxDownloadBytes: num(env, 'MLVET_MAX_DOWNLOAD_BYTES', 1024 ** 3),
    ...over,
  };
}
