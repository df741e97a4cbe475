/**
 * A counting proxy (stdlib `http`, 127.0.0.1, random port) in front of s3rver or the Hub test server:
 * what a remote scan cost, seen from the server's side. It counts ranged GETs and their body bytes,
 * the most requests in flight at once, and round trips: the times the server went from idle to busy
 * (requests issued concurrently overlap and count once; a read that waits on the last one's answer
 * starts a new round). Redirects are rewritten to come back through the proxy.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Counts {
  /** GETs that carried a Range header and were answered with bytes (a redirect is not counted here) */
  ranged: number;
  /** redirects answered (the Hub sends LFS reads to its CDN) */
  redirects: number;
  /** every request (listing, HEAD, redirects included) */
  all: number;
  /** body bytes answered to ranged GETs */
  bytes: number;
  /** most requests in flight at once */
  peak: number;
  /** idle → busy transitions */
  rounds: number;
}

export interface CountProxy {
  url: string;
  counts(): Counts;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountProxy(upstream: string): Promise<CountProxy> {
  const up = new URL(upstream);
  let c: Counts = { ranged: 0, redirects: 0, all: 0, bytes: 0, peak: 0, rounds: 0 };
  let inflight = 0;
  let url = '';
  const server: Server = createServer((req, res) => {
    const ranged = req.method === 'GET' && req.headers.range !== undefined;
    c.all++;
    if (inflight++ === 0) c.rounds++;
    c.peak = Math.max(c.peak, inflight);
    let done = false;
    const finish = (): void => {
      if (!done) inflight--;
      done = true;
    };
    res.on('close', finish);
    const fwd = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } }, (upRes) => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(upRes.headers)) if (typeof v === 'string') out[k] = v;
      if (out.location) out.location = out.location.replace(up.origin, url);
      const status = upRes.statusCode ?? 502;
      if (status >= 300 && status < 400) c.redirects++;
      else if (ranged) {
        c.ranged++;
        upRes.on('data', (b: Buffer) => (c.bytes += b.length));
      }
      res.writeHead(status, out);
      upRes.pipe(res);
    });
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    counts: () => ({ ...c }),
    reset: () => void (c = { ranged: 0, redirects: 0, all: 0, bytes: 0, peak: 0, rounds: 0 }),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
