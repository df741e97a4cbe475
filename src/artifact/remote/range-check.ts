/**
 * The one check every ranged response passes before its bytes reach a parser. A source only describes
 * what the server said (`RangeResponse`); the reader turns that into bytes here, so no source can hand
 * a parser bytes from the wrong place. A 206 must name exactly the range asked for and the object's
 * size, and carry exactly that many bytes; anything else is transient (retried, then inconclusive). A
 * 200 to a partial range is the whole object from byte 0: it is cancelled unread, never buffered.
 */
import { TransientError } from './retry.js';

/** What a server answered to `Range: bytes=a-b`, as a source saw it; neutral over HTTP libraries. */
export interface RangeResponse {
  status: number;
  /** the `Content-Range` header, as sent */
  contentRange?: string | null | undefined;
  /** the declared body length (`Content-Length`), when the server sent one */
  contentLength?: number | undefined;
  body: AsyncIterable<Uint8Array> | null | undefined;
  /** stop the transfer: destroy the socket's stream, cancel the web stream */
  cancel(): void;
}

export interface RangeRequest {
  /** the object's URI, for messages */
  name: string;
  offset: number;
  length: number;
  /** the object's size as listed */
  size: number;
}

declare const checked: unique symbol;
/** Bytes that passed `readRangeResponse`: exactly `[offset, offset + length)` of the object. */
export type CheckedRange = Uint8Array & { readonly [checked]: true };

const RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/** Why the head of a response does not answer the request, or undefined when it does. */
export function headProblem(req: RangeRequest, r: Pick<RangeResponse, 'status' | 'contentRange' | 'contentLength'>): string | undefined {
  const want = `bytes=${req.offset}-${req.offset + req.length - 1}`;
  const said = `server answered ${r.status}${r.contentRange ? ` with Content-Range ${r.contentRange}` : ''} for ${want}`;
  const whole = req.offset === 0 && req.length === req.size;
  if (r.status === 200 && !whole) return `${said}: the whole object instead of the range`;
  if (r.status !== 200 && r.status !== 206) return said;
  if (r.contentLength !== undefined && r.contentLength !== req.length) return `${said}: Content-Length ${r.contentLength}, expected ${req.length}`;
  if (r.status === 200) return undefined;
  const m = RANGE.exec((r.contentRange ?? '').trim());
  if (!m) return `${said}: ${r.contentRange ? 'unparsable' : 'missing'} Content-Range`;
  const [a, b, total] = [Number(m[1]), Number(m[2]), m[3]!];
  if (a !== req.offset || b !== req.offset + req.length - 1) return `${said}: wrong range, expected bytes ${req.offset}-${req.offset + req.length - 1}/${req.size}`;
  if (total !== '*' && Number(total) !== req.size) return `${said}: object size ${total}, expected ${req.size}`;
  return undefined;
}

export interface ReadOptions {
  /** the per-attempt deadline; aborting it cancels a body that stalls */
  signal?: AbortSignal;
  /** bytes received, failed attempts included (the report's `bytesRead` is what crossed the network) */
  onBytes?: (n: number) => void;
}

/**
 * Validate a response to `req` and read its body: at most `req.length` bytes are kept, a longer body
 * is cut off, a shorter one fails. `signal` aborting (the per-attempt timeout) cancels a stalled body.
 */
export async function readRangeResponse(req: RangeRequest, r: RangeResponse, opts: ReadOptions = {}): Promise<CheckedRange> {
  const { signal, onBytes } = opts;
  const problem = headProblem(req, r);
  if (problem) {
    r.cancel();
    throw new TransientError(`${req.name}: ${problem}`);
  }
  const out = new Uint8Array(req.length);
  let n = 0;
  const onAbort = (): void => r.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const c of r.body ?? []) {
      if (n + c.length > req.length) {
        r.cancel();
        throw new TransientError(`${req.name}: long body: more than ${req.length} bytes for bytes=${req.offset}-${req.offset + req.length - 1}`);
      }
      out.set(c, n);
      n += c.length;
      onBytes?.(c.length);
    }
  } catch (e) {
    r.cancel();
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new TransientError(String(signal.reason));
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (n !== req.length) throw new TransientError(`${req.name}: short body: got ${n} of ${req.length} bytes for bytes=${req.offset}-${req.offset + req.length - 1}`);
  return out as CheckedRange;
}
