/**
 * Retries with exponential backoff and a per-attempt deadline. Only transient failures are retried
 * (5xx, 429, connection resets, timeouts, short bodies); a 403 or 404 fails at once. After the last
 * attempt the error names the object, so the scan reports it as inconclusive rather than clean.
 */
import { MlvetError, type MlvetErrorCode } from '../../errors.js';
import type { RemoteOptions } from './options.js';

/** A failure worth another attempt. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Walks an error's cause chain looking for a network-level code or an abort. */
export function isTransient(e: unknown): boolean {
  for (let cur = e, i = 0; cur && i < 6; i++) {
    if (cur instanceof TransientError) return true;
    const err = cur as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown };
    if (err.name === 'AbortError' || err.name === 'TimeoutError') return true;
    if (err.code && TRANSIENT_CODES.has(err.code)) return true;
    if (err.$retryable) return true;
    const st = err.$metadata?.httpStatusCode;
    if (st !== undefined && (st >= 500 || st === 429)) return true;
    if (err.name === 'TypeError' && /fetch failed|terminated/i.test(String((cur as Error).message))) return true;
    cur = err.cause;
  }
  return false;
}

function describe(e: unknown): string {
  const parts: string[] = [];
  for (let cur = e, i = 0; cur && i < 4; i++) {
    const err = cur as { message?: string; code?: string; cause?: unknown };
    parts.push(err.code ? `${err.message ?? ''} (${err.code})` : (err.message ?? JSON.stringify(cur)));
    cur = err.cause;
  }
  return parts.filter(Boolean).join(': ');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Run `op` with a fresh timeout signal per attempt. `name` is the object's URI, used in the final error.
 */
export async function withRetry<T>(
  name: string,
  opts: Pick<RemoteOptions, 'retries' | 'backoffMs' | 'timeoutMs'>,
  op: (signal: AbortSignal, attempt: number) => Promise<T>,
  failCode: MlvetErrorCode = 'REMOTE_ERROR',
): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt <= opts.retries; attempt++) {
    if (attempt > 0) await sleep(opts.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(new TransientError(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
    try {
      return await op(ctl.signal, attempt);
    } catch (e) {
      last = ctl.signal.aborted ? ctl.signal.reason : e;
      if (!isTransient(last)) throw last;
    } finally {
      clearTimeout(timer);
    }
  }
  throw new MlvetError(failCode, `${name}: gave up after ${opts.retries + 1} attempts: ${describe(last)}`, { path: name, attempts: opts.retries + 1 }, { cause: last });
}

/** Reject as soon as `signal` aborts, even if `p` never settles (an SDK call that ignores its signal). */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new TransientError(String(signal.reason)));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
