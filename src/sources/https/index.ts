/**
 * `https://` single files. A one-byte ranged probe tells the size and whether ranges work; with ranges
 * the file is read like any remote object, without them it is downloaded once up to a limit.
 */
import { httpRangeSource, remoteArtifact, remoteOptions, statusError, withRetry, type RemoteOptions } from '../../artifact/remote/index.js';
import type { Artifact } from '../../artifact/types.js';
import { isMlvetError, MlvetError } from '../../errors.js';
import type { Fact } from '../../model/facts.js';
import type { Source, SourceOptions } from '../source.js';
import { boundedDownload } from './download.js';
import { urlProvenance } from './provenance.js';

interface Probe {
  size?: number;
  ranges: boolean;
  etag?: string;
}

async function probe(url: string, opts: RemoteOptions): Promise<Probe> {
  return withRetry(url, opts, async (signal) => {
    const res = await fetch(url, { headers: { Range: 'bytes=0-0' }, signal, redirect: 'follow' });
    await res.body?.cancel().catch(() => undefined);
    if (res.status === 416) return { size: 0, ranges: true };
    if (res.status !== 206 && res.status !== 200) throw statusError(url, res.status);
    const etag = res.headers.get('etag');
    const strong = etag && !etag.startsWith('W/') ? { etag } : {};
    const m = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '');
    if (res.status === 206 && m) return { size: Number(m[1]), ranges: true, ...strong };
    const len = res.headers.get('content-length');
    return { ranges: false, ...(len && res.status === 200 ? { size: Number(len) } : {}), ...strong };
  });
}

/** Plain HTTP to this machine crosses no network, so it is not reported as insecure. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}

function fileName(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).pop();
  return last ? decodeURIComponent(last) : url.hostname;
}

/** Open an `https://` URL as a one-file artifact. */
export async function httpsArtifact(target: string, so: SourceOptions = {}): Promise<Artifact> {
  const opts = remoteOptions(so.env ?? process.env);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new MlvetError('USAGE', `not a valid URL: ${target}`);
  }
  if (url.username || url.password) throw new MlvetError('USAGE', `${url.origin}: credentials in URLs are not accepted; they would end up in reports`);
  let p: Probe;
  try {
    p = await probe(target, opts);
  } catch (e) {
    throw isMlvetError(e) ? e : new MlvetError('REMOTE_ERROR', `${target}: ${(e as Error).message}`, { path: target });
  }
  const path = fileName(url);
  const facts: Fact[] = [{ kind: 'source.unpinned', location: { path }, data: { scheme: 'https', target, key: target } }];
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    facts.push({ kind: 'source.insecure-url', location: { path }, data: { url: target, context: 'target', key: target } });
  }
  const size = p.size ?? 0;
  const spec = p.ranges
    ? { path, size, source: () => httpRangeSource({ url: target, name: target, size, ...(p.etag ? { cacheKey: `url:${target}#${p.etag}`, headers: { 'If-Match': p.etag } } : {}) }) }
    : { path, size, open: () => boundedDownload(target, target, opts, p.size) };
  return remoteArtifact({ uri: target, kind: httpsSource.kind }, facts, [spec], opts);
}

/** Single files over HTTPS (plain HTTP too, reported as insecure unless it is loopback). */
export const httpsSource: Source = { kind: 'https', prefixes: ['https://', 'http://'], open: httpsArtifact, provenance: urlProvenance };
