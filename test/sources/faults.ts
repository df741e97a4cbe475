/**
 * Fault injection shared by the Hub server and the S3 proxy: answer 500, reset the connection
 * mid-body, stall forever, or serve a body shorter than the range asked for.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FaultKind = '500' | 'reset' | 'stall' | 'short';

export interface Fault {
  kind: FaultKind;
  /** matched against `METHOD path?query` */
  match: RegExp;
  /** how many matching requests fail; default: all */
  times?: number;
}

export class Faults {
  readonly hits: Array<{ kind: FaultKind; url: string }> = [];
  private readonly list: Array<Fault & { left: number }> = [];

  set(faults: Fault[]): void {
    this.list.length = 0;
    for (const f of faults) this.list.push({ ...f, left: f.times ?? Infinity });
  }

  /** The fault to apply to this request, if any (counts it). */
  take(req: IncomingMessage): FaultKind | undefined {
    const line = `${req.method} ${req.url}`;
    const f = this.list.find((x) => x.left > 0 && x.match.test(line));
    if (!f) return undefined;
    f.left--;
    this.hits.push({ kind: f.kind, url: line });
    return f.kind;
  }
}

/**
 * Apply a fault to a response whose body would be `body` with `headers`. Returns true when it
 * handled the response.
 */
export function applyFault(kind: FaultKind, res: ServerResponse, status: number, headers: Record<string, string>, body: Uint8Array): void {
  if (kind === '500') {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('injected failure');
    return;
  }
  if (kind === 'stall') {
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    res.flushHeaders();
    return; // never ends; the client's timeout must fire
  }
  if (kind === 'reset') {
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    setTimeout(() => res.socket?.destroy(), 5);
    return;
  }
  // short: a well-formed response whose body is shorter than the range asked for
  const half = body.subarray(0, Math.floor(body.length / 2));
  res.writeHead(status, { ...headers, 'content-length': String(half.length) }).end(half);
}
