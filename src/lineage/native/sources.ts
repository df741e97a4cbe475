/**
 * Sources: where an artifact came from, as in-toto ResourceDescriptors. `--source name=uri` is parsed
 * here, and each source is judged pinned or not: pinned means an immutable pointer plus a strong
 * digest, so the statement names exactly one thing. A store's own annotations and pinning rule (Hub
 * revision, S3 versionId) come from its source record in src/sources; git refs and everything else
 * are judged here. A `#sha256=<hex>` fragment (pip's convention) carries the digest of a URL or S3 object.
 */
import { MlvetError } from '../../errors.js';
import { provenanceOf, sourceFor, type PinProblem, type RecordedSource } from '../../sources/index.js';
import type { Problem } from '../types.js';
import type { Source } from './statement.js';

const HEX40 = /^[0-9a-f]{40}$/;
const STRONG = new Set(['sha256', 'sha384', 'sha512', 'blake2b', 'blake3', 'dirHash']);
const WEAK = new Set(['md5', 'sha1', 'etag', 'crc32', 'crc32c', 'crc64nvme', 'gitBlob']);
const GIT = /^git\+[a-z]+:\/\/[^@]+@([^#]+)/;

/** annotations and digests for a URI no source record describes: a git ref, or `other` */
function describeOther(uri: string): { annotations: Record<string, unknown>; digest: Record<string, string> } {
  const git = GIT.exec(uri);
  if (!git) return { annotations: { mlvetKind: 'other' }, digest: {} };
  return { annotations: { mlvetKind: 'git' }, digest: HEX40.test(git[1]!) ? { gitCommit: git[1]! } : {} };
}

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
  const described = sourceFor(uri)?.provenance.describe(uri) ?? describeOther(uri);
  Object.assign(digest, described.digest);
  return { name, uri, ...(Object.keys(digest).length ? { digest } : {}), annotations: described.annotations };
}

function kindOf(s: Source): string {
  const k = s.annotations?.mlvetKind;
  if (typeof k === 'string') return k;
  const fromUri = s.uri === undefined ? undefined : sourceFor(s.uri)?.provenance.kind;
  return fromUri ?? (s.uri?.startsWith('git+') ? 'git' : 'other');
}

function gitPinning(s: RecordedSource): PinProblem | undefined {
  const commit = s.digest?.gitCommit;
  return commit && HEX40.test(commit) ? undefined : { weak: false, reason: 'mutable-ref', detail: 'git ref is not a full commit sha' };
}

/** anything without a rule of its own: a strong digest pins it, a weak one does not */
function digestPinning(s: RecordedSource, strong: boolean): PinProblem | undefined {
  if (strong) return undefined;
  const algs = Object.keys(s.digest ?? {});
  return algs.some((a) => WEAK.has(a))
    ? { weak: true, reason: 'weak-digest', detail: `only ${algs.join(', ')} recorded; MD5/SHA-1/ETag do not prove integrity` }
    : { weak: false, reason: 'no-digest', detail: 'no content digest recorded' };
}

/** SOURCE_UNPINNED / SOURCE_WEAK_DIGEST for one source, or nothing when it is pinned. */
export function pinningProblems(s: Source): Problem[] {
  const algs = Object.keys(s.digest ?? {});
  const strong = algs.some((a) => STRONG.has(a));
  const kind = kindOf(s);
  const rule = kind === 'git' ? gitPinning : (provenanceOf(kind)?.pinning ?? digestPinning);
  const p = rule(s, strong);
  if (!p) return [];
  const detail = `source ${s.name}: ${p.detail}`;
  return p.weak
    ? [{ code: 'SOURCE_WEAK_DIGEST', source: s.name, reason: p.reason, detail, actual: algs }]
    : [{ code: 'SOURCE_UNPINNED', source: s.name, reason: p.reason, detail, actual: s.uri }];
}
