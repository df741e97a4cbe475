/**
 * Sources: where an artifact came from, as in-toto ResourceDescriptors. `--source name=uri` is parsed
 * here, and each source is judged pinned or not (§4.8): an immutable pointer plus a strong digest.
 * A `#sha256=<hex>` fragment (pip's convention) carries the digest of a URL or S3 object.
 */
import { MlvetError } from '../../errors.js';
import type { Problem } from '../types.js';
import type { Source } from './statement.js';

const HEX40 = /^[0-9a-f]{40}$/;
const STRONG = new Set(['sha256', 'sha384', 'sha512', 'blake2b', 'blake3', 'dirHash']);
const WEAK = new Set(['md5', 'sha1', 'etag', 'crc32', 'crc32c', 'crc64nvme', 'gitBlob']);

export function parseSourceFlag(flag: string): Source {
  const eq = flag.indexOf('=');
  if (eq <= 0 || eq === flag.length - 1) throw new MlvetError('USAGE', `--source wants name=uri, got ${JSON.stringify(flag)}`);
  const name = flag.slice(0, eq);
  let uri = flag.slice(eq + 1);
  const digest: Record<string, string> = {};
  const frag = /#(sha256|sha512|md5)=([0-9a-fA-F]+)$/.exec(uri);
  if (frag) {
    digest[frag[1]!] = frag[2]!.toLowerCase();
    uri = uri.slice(0, frag.index);
  }
  const annotations: Record<string, unknown> = {};
  const hf = /^hf:\/\/(?:(datasets|spaces)\/)?([^@]+?)(?:@([^/]+))?\/?$/.exec(uri);
  const git = /^git\+[a-z]+:\/\/[^@]+@([^#]+)/.exec(uri);
  if (hf) {
    Object.assign(annotations, { mlvetKind: 'huggingface', repoType: hf[1] === 'datasets' ? 'dataset' : hf[1] === 'spaces' ? 'space' : 'model', revision: hf[3] ?? 'main' });
    if (hf[3] && HEX40.test(hf[3])) digest.gitCommit = hf[3];
  } else if (uri.startsWith('s3://')) {
    const u = new URL(uri);
    const v = u.searchParams.get('versionId');
    Object.assign(annotations, { mlvetKind: 's3', ...(v ? { versionId: v } : {}) });
  } else if (git) {
    annotations.mlvetKind = 'git';
    if (HEX40.test(git[1]!)) digest.gitCommit = git[1]!;
  } else if (/^https?:\/\//.test(uri)) {
    annotations.mlvetKind = 'url';
  } else {
    annotations.mlvetKind = 'other';
  }
  return { name, uri, ...(Object.keys(digest).length ? { digest } : {}), annotations };
}

function kindOf(s: Source): string {
  const k = s.annotations?.mlvetKind;
  if (typeof k === 'string') return k;
  if (s.uri?.startsWith('hf://')) return 'huggingface';
  if (s.uri?.startsWith('s3://')) return 's3';
  if (s.uri?.startsWith('git+')) return 'git';
  return 'other';
}

/** SOURCE_UNPINNED / SOURCE_WEAK_DIGEST for one source, or nothing when it is pinned. */
export function pinningProblems(s: Source): Problem[] {
  const d = s.digest ?? {};
  const algs = Object.keys(d);
  const strong = algs.some((a) => STRONG.has(a));
  const weakOnly = !strong && algs.some((a) => WEAK.has(a));
  const unpinned = (reason: string, detail: string): Problem[] => [{ code: 'SOURCE_UNPINNED', source: s.name, reason, detail: `source ${s.name}: ${detail}`, actual: s.uri }];
  const weak = (detail: string): Problem[] => [{ code: 'SOURCE_WEAK_DIGEST', source: s.name, reason: 'weak-digest', detail: `source ${s.name}: ${detail}`, actual: algs }];
  switch (kindOf(s)) {
    case 'huggingface':
      return d.gitCommit && HEX40.test(d.gitCommit) ? [] : unpinned('mutable-revision', `revision ${typeof s.annotations?.revision === 'string' ? s.annotations.revision : '?'} is a branch or tag, not a 40-hex commit`);
    case 'git':
      return d.gitCommit && HEX40.test(d.gitCommit) ? [] : unpinned('mutable-ref', 'git ref is not a full commit sha');
    case 's3': {
      const v = s.annotations?.versionId;
      if (typeof v !== 'string' || v === '' || v === 'null') return unpinned('no-version', 'S3 object without a versionId can be overwritten');
      return strong ? [] : weak('S3 version pinned, but only an ETag/CRC or no content digest recorded');
    }
    default:
      if (strong) return [];
      return weakOnly ? weak(`only ${algs.join(', ')} recorded; MD5/SHA-1/ETag do not prove integrity`) : unpinned('no-digest', 'no content digest recorded');
  }
}
