/**
 * HTTP plumbing shared by the Hub and plain-URL sources: ranged GETs with status classification, and a
 * `fetch` wrapper (timeouts, retries, bounded concurrency) handed to `@huggingface/hub` for its API
 * calls. Tokens travel only in headers and never appear in an error message.
 */
import { MlvetError } from '../../errors.js';
import { sharedLimiter } from './limiter.js';
import type { RemoteOptions } from './options.js';
import type { RangeSource } from './remote-reader.js';
import { TransientError, withRetry } from './retry.js';

/** Map a non-OK HTTP status to an error: transient ones are retried, the rest fail at once. */
export function statusError(name: string, status: number, detail = ''): Error {
  const d = detail ? ` (${detail})` : '';
  if (status >= 500 || status === 429 || status === 408) return new TransientError(`${name}: HTTP ${status}${d}`);
  if (status === 401 || status === 403) {
    return new MlvetError('AUTH', `${name}: HTTP ${status}: access denied${d}; check HF_TOKEN / credentials`, { path: name, status });
  }
  if (status === 404 || status === 410) return new MlvetError('NOT_FOUND', `${name}: HTTP ${status}: not found${d}`, { path: name, status });
  return new MlvetError('REMOTE_ERROR', `${name}: HTTP ${status}${d}`, { path: name, status });
}

/** Read a body fully, stopping (as an error) past `max` bytes. */
export async function readBody(res: Response, max: number, name: string): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let n = 0;
  for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) {
    n += c.length;
    if (n > max) {
      await res.body.cancel().catch(() => undefined);
      throw new MlvetError('LIMIT_EXCEEDED', `${name}: response larger than ${max} bytes`, { path: name });
    }
    chunks.push(c);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export interface HttpRangeInit {
  url: string;
  name: string;
  size: number;
  headers?: Record<string, string>;
  cacheKey?: string;
}

/** Headers that identify the caller; never sent to an origin the caller did not name. */
const CREDENTIALS = new Set(['authorization', 'cookie', 'proxy-authorization']);
const withoutCredentials = (h: Record<string, string> = {}): Record<string, string> => Object.fromEntries(Object.entries(h).filter(([k]) => !CREDENTIALS.has(k.toLowerCase())));

/** the answers that mean a remembered redirect target went stale (a signed CDN URL expired) */
const STALE = new Set([401, 403, 404, 410]);

/**
 * A RangeSource over HTTP `Range` requests; the reader checks each answer (range-check.ts). The Hub
 * answers every LFS read with a redirect to its CDN, so the target of the last redirect is reused for
 * the next range (one request per range, not two), without credentials when it is another origin
 * (as fetch drops them on such a redirect); a target that stops answering is forgotten and the named
 * URL asked again.
 */
export function httpRangeSource(init: HttpRangeInit): RangeSource {
  let target: string | undefined;
  const origin = new URL(init.url).origin;
  const get = (url: string, offset: number, length: number, signal: AbortSignal): Promise<Response> =>
    fetch(url, {
      headers: { ...(url === init.url || new URL(url).origin === origin ? init.headers : withoutCredentials(init.headers)), Range: `bytes=${offset}-${offset + length - 1}` },
      signal,
      redirect: 'follow',
    });
  return {
    name: init.name,
    size: init.size,
    cacheKey: init.cacheKey,
    async fetchRange(offset, length, signal) {
      let res = await get(target ?? init.url, offset, length, signal);
      if (target && STALE.has(res.status)) {
        await res.body?.cancel().catch(() => undefined);
        target = undefined;
        res = await get(init.url, offset, length, signal);
      }
      if (res.redirected && res.url) target = res.url;
      const cancel = (): void => {
        if (res.body && !res.body.locked) res.body.cancel().catch(() => undefined);
      };
      // 401/403/404 mean something about the object, not the answer: fail at once with their own code
      if (res.status >= 300 && res.status !== 416) {
        cancel();
        throw statusError(init.name, res.status);
      }
      // a decoded body's length is not the declared one (fetch undoes Content-Encoding)
      const len = res.headers.get('content-encoding') ? null : res.headers.get('content-length');
      return {
        status: res.status,
        contentRange: res.headers.get('content-range'),
        ...(len !== null && /^\d+$/.test(len) ? { contentLength: Number(len) } : {}),
        body: res.body as unknown as AsyncIterable<Uint8Array> | null,
        cancel,
      };
    },
  };
}

/**
 * A `fetch` for API calls (JSON): per-attempt timeout, retries on transient failures, bounded
 * concurrency. The body is read inside the attempt so a reset mid-body is retried too.
 */
export function resilientFetch(opts: RemoteOptions, maxBody = 64 * 1024 * 1024): typeof fetch {
  const limiter = sharedLimiter(opts.concurrency);
  return (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const name = url.replace(/[?#].*$/, '');
    return limiter.run(() =>
      withRetry(name, opts, async (signal) => {
        const res = await fetch(input, { ...init, signal });
        if (res.status >= 500 || res.status === 429) {
          await res.body?.cancel().catch(() => undefined);
          throw statusError(name, res.status);
        }
        const body = await readBody(res, maxBody, name);
        const out = new Response(res.status === 204 || res.status === 304 ? null : (body as Uint8Array<ArrayBuffer>), { status: res.status, statusText: res.statusText, headers: res.headers });
        Object.defineProperty(out, 'url', { value: res.url });
        return out;
      }),
    );
  });
}
