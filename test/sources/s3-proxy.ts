/**
 * A pass-through proxy in front of s3rver that adds what s3rver lacks for these tests: bucket
 * versioning (answers `?versioning` with Enabled and stamps `x-amz-version-id` on object responses),
 * full-object SHA-256 checksums on HeadObject (`x-amz-checksum-sha256`, as S3 serves them for objects
 * uploaded with one), and fault injection on object reads.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyFault, Faults } from './faults.js';

export interface S3Proxy {
  endpoint: string;
  faults: Faults;
  close(): Promise<void>;
}

/** A whole message body (test servers only: their bodies are small). */
export function body(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

export interface S3ProxyOptions {
  versioned?: boolean;
  /** `/bucket/key` → base64 SHA-256 to serve on HEAD, or undefined for none */
  checksum?: (path: string) => string | undefined;
}

export async function startS3Proxy(upstream: string, opts: S3ProxyOptions = {}): Promise<S3Proxy> {
  const faults = new Faults();
  const up = new URL(upstream);
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (opts.versioned && req.method === 'GET' && /^\/[^/?]+\/?\?versioning/.test(req.url ?? '')) {
        res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>');
        return;
      }
      const reqBody = await body(req);
      const upRes = await new Promise<IncomingMessage>((resolve, reject) => {
        const r = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, resolve);
        r.on('error', reject);
        r.end(reqBody);
      });
      const data = await body(upRes);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(upRes.headers)) if (typeof v === 'string') headers[k] = v;
      if (opts.versioned && upRes.statusCode! < 300 && /^\/[^/?]+\/[^?]+/.test(req.url ?? '')) headers['x-amz-version-id'] = 'v1';
      const sum = req.method === 'HEAD' && upRes.statusCode === 200 ? opts.checksum?.(decodeURIComponent((req.url ?? '').split('?')[0]!)) : undefined;
      if (sum) Object.assign(headers, { 'x-amz-checksum-sha256': sum, 'x-amz-checksum-type': 'FULL_OBJECT' });
      const fault = faults.take(req);
      if (fault) return applyFault(fault, res, upRes.statusCode ?? 200, headers, data);
      res.writeHead(upRes.statusCode ?? 500, headers).end(data);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
