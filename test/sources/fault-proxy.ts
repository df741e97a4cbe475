/**
 * A fault proxy (stdlib `http`, 127.0.0.1, random port) in front of any upstream: s3rver, the Hub test
 * server. Ranged GETs that match a rule get a server's worst answers: a 206 for other bytes that says
 * so (`shift`), the whole object as a 200 (`whole`), a short body, a reset mid-body, a stall after the
 * headers, or a 500. Redirects are rewritten to come back through the proxy. It counts the body bytes
 * it managed to write on faulty answers, so a test can show a 200 was not read to the end.
 */
import { createServer, request, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyFault } from './faults.js';
import { body } from './s3-proxy.js';

export type ProxyFault = 'shift' | 'whole' | 'short' | 'reset' | 'stall' | '500';

export interface ProxyRule {
  kind: ProxyFault;
  /** matched against `METHOD path?query` of a request that carries `Range` */
  match: RegExp;
}

export interface FaultProxy {
  url: string;
  set(rules: ProxyRule[]): void;
  /** faulty answers given, per kind */
  readonly hits: Map<ProxyFault, number>;
  /** body bytes written on `whole` answers (what the client let through before cancelling) */
  wholeBytesSent: number;
  /** the same, per `whole` answer, with the request line it answered */
  readonly wholeAnswers: Array<{ line: string; bytes: number }>;
  close(): Promise<void>;
}

/** how far `shift` moves the range: the bytes a parser then sees are another part of the object */
export const SHIFT = 4096;

function shifted(range: string): string {
  const m = /^bytes=(\d+)-(\d+)$/.exec(range);
  return m ? `bytes=${Number(m[1]) + SHIFT}-${Number(m[2]) + SHIFT}` : range;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const up = new URL(upstream);
  let rules: ProxyRule[] = [];
  const state: FaultProxy = {
    url: '',
    set: (r) => void (rules = r),
    hits: new Map(),
    wholeBytesSent: 0,
    wholeAnswers: [],
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  const server: Server = createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    const rule = req.headers.range ? rules.find((r) => r.match.test(line)) : undefined;
    const kind = rule?.kind;
    if (kind) state.hits.set(kind, (state.hits.get(kind) ?? 0) + 1);
    if (kind === '500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('injected failure');
    const headers: OutgoingHttpHeaders = { ...req.headers, host: up.host };
    if (kind === 'shift') headers.range = shifted(req.headers.range!);
    if (kind === 'whole') delete headers.range;
    const fwd = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers }, (upRes) => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(upRes.headers)) if (typeof v === 'string') out[k] = v;
      if (out.location) out.location = out.location.replace(up.origin, state.url);
      const status = upRes.statusCode ?? 502;
      if (kind === 'whole' && status === 200) {
        const answer = { line, bytes: 0 };
        state.wholeAnswers.push(answer);
        upRes.on('data', (c: Buffer) => {
          state.wholeBytesSent += c.length;
          answer.bytes += c.length;
        });
        res.on('close', () => upRes.destroy());
      }
      if ((kind === 'short' || kind === 'reset' || kind === 'stall') && status === 206) {
        void body(upRes).then((data) => applyFault(kind, res, status, out, data));
        return;
      }
      res.writeHead(status, out);
      upRes.pipe(res);
    });
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
