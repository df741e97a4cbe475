/**
 * `verifyManifest()`: an ordered checklist, as sigstore-js verifies: (1) parse the bundle, (2) find a trusted key,
 * (3) check the signature, and only then (4) read and schema-check the Statement, (5) compare files
 * on disk or in a remote listing (remote.ts), (6) check sources and lineage. If (1)–(3) fail,
 * nothing from the payload is returned, and a remote target is not even opened.
 */
import { readRegularFile } from '../files.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { MlvetError } from '../errors.js';
import { parseBundle } from './bundle.js';
import { absUnder, type SetOutcome } from './compare.js';
import type { HashOptions } from './hash/pool.js';
import { parseMsStatement, type MsManifest } from './ms/statement.js';
import { lineageProblems } from './native/graph.js';
import { pinningProblems } from './native/sources.js';
import { parseStatement, type LineageStatement } from './native/statement.js';
import { unsafeReason } from './paths.js';
import { isRemoteTarget, targetPinning, type RemoteVerifyOptions, type Unverified } from './remote.js';
import { checkSignature, type Signer } from './signature.js';
import type { Trust } from './trust.js';
import { localWhere, remoteSummary, remoteWhere, selfUnder, type RemoteSummary, type Where } from './where.js';
import { DEFAULT_IGNORES, MLVET_PREDICATE, MS_PREDICATE_V01, MS_PREDICATE_V1, STATEMENT_TYPE, type ManifestFormat, type Problem } from './types.js';

export interface VerifyOptions extends RemoteVerifyOptions {
  /** directory (or file) to check, or a remote target (hf://org/repo@<commit>, s3://bucket/prefix/, https://…) */
  target: string;
  /** the bundle file */
  manifest: string;
  trust: Trust;
  cwd?: string;
  now?: Date;
  hash?: HashOptions;
  /** extra files are not problems (model_signing's --ignore-unsigned-files) */
  ignoreUnsigned?: boolean;
  /**
   * `signed` (default): re-hash the way the manifest says (files or shards; sha256, blake2b, blake3).
   * `files-sha256`: re-hash every file whole with SHA-256 and compare by resource name, as the
   * reference `model_signing verify` CLI does whatever the signature says.
   */
  hashing?: 'signed' | 'files-sha256';
}

/** `incomplete`: nothing failed, but some files could not be read or (remote) their digest not checked */
export type VerifyStatus = 'verified' | 'failed' | 'incomplete' | 'invalid' | 'untrusted' | 'unsupported';

export interface SetSummary {
  name: string;
  root: string;
  files: number;
  checked: number;
  verified: number;
  bytes: number;
}

export interface VerifyResult {
  manifest: string;
  status: VerifyStatus;
  /** known only once the signature verified */
  format?: ManifestFormat;
  predicateType?: string;
  signer?: Signer;
  problems: Problem[];
  unreadable: Array<{ path: string; message: string }>;
  /** why verification could not be done (keyless bundles) */
  unsupported?: string;
  sets: SetSummary[];
  /** model_signing serialization, when that format */
  serialization?: { method: string; hashType: string; shardSize?: number };
  sources?: number;
  transforms?: number;
  /** remote targets: files whose digest could not be checked without a download (inconclusive) */
  unverified?: Unverified[];
  remote?: RemoteSummary;
}

const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/**
 * Verify a target against a signed manifest (mlvet or model_signing; detected after the signature).
 *
 * @example
 * const trust = loadTrust({ trustedKeys: ['release.pub'] });
 * const r = await verifyManifest({ target: 'model/', manifest: 'model.sigstore.json', trust });
 * if (r.status !== 'verified') console.log(r.problems.map((p) => p.code));
 */
export async function verifyManifest(opts: VerifyOptions): Promise<VerifyResult> {
  const cwd = opts.cwd ?? process.cwd();
  const manifestAbs = resolve(cwd, opts.manifest);
  const result: VerifyResult = { manifest: opts.manifest, status: 'invalid', problems: [], unreadable: [], sets: [] };
  const parsed = parseBundle(readManifest(manifestAbs, opts.manifest));
  if (!parsed.ok) return { ...result, problems: [parsed.problem] };
  const sig = await checkSignature(parsed.bundle, opts.trust, opts.now);
  if (!sig.ok) {
    if ('unsupported' in sig) return { ...result, status: 'unsupported', unsupported: sig.unsupported };
    return { ...result, status: 'untrusted', problems: [sig.problem] };
  }
  result.signer = sig.signer;
  // from here on the payload bytes are authenticated
  let stmt: unknown;
  try {
    stmt = JSON.parse(parsed.bundle.payload.toString('utf8'));
  } catch {
    return { ...result, problems: [{ code: 'STATEMENT_INVALID', reason: 'not-json', detail: 'the signed payload is not JSON' }] };
  }
  const o = (typeof stmt === 'object' && stmt !== null ? stmt : {}) as Record<string, unknown>;
  result.predicateType = typeof o.predicateType === 'string' ? o.predicateType : undefined;
  if (o._type !== STATEMENT_TYPE) return unsupportedPayload(result, `_type ${JSON.stringify(o._type)} is not ${STATEMENT_TYPE}`);
  const isMs = o.predicateType === MS_PREDICATE_V1 || o.predicateType === MS_PREDICATE_V01;
  if (!isMs && o.predicateType !== MLVET_PREDICATE) return unsupportedPayload(result, `predicateType ${JSON.stringify(o.predicateType)} is neither mlvet lineage nor model_signing`);
  const where = isRemoteTarget(opts.target) ? await remoteWhere(opts) : localWhere(resolve(cwd, opts.target), opts);
  try {
    if (isMs) {
      const ms = parseMsStatement(o);
      if (!ms.ok) return { ...result, format: 'model-signing', problems: [ms.problem] };
      return finish(await verifyMs(ms.manifest, where, manifestAbs, opts), { ...result, format: 'model-signing' }, where);
    }
    const st = parseStatement(o);
    if (!st.ok) return { ...result, format: 'mlvet', problems: [st.problem] };
    return finish(await verifyNative(st.statement, where, manifestAbs, opts), { ...result, format: 'mlvet' }, where);
  } finally {
    await where.remote?.artifact.close();
  }
}

function readManifest(abs: string, label: string): string {
  let size: number;
  try {
    size = statSync(abs).size;
  } catch {
    throw new MlvetError('NOT_FOUND', `manifest not found: ${label}`, { path: label });
  }
  if (size > MAX_MANIFEST_BYTES) throw new MlvetError('MANIFEST_INVALID', `${label}: ${size} bytes is larger than any manifest mlvet reads`, { path: label });
  return readRegularFile(abs, '--manifest', MAX_MANIFEST_BYTES);
}

function unsupportedPayload(r: VerifyResult, detail: string): VerifyResult {
  return { ...r, problems: [{ code: 'PAYLOAD_UNSUPPORTED', reason: 'statement-type', detail }] };
}

type Partial = Pick<VerifyResult, 'problems' | 'unreadable' | 'sets' | 'serialization' | 'sources' | 'transforms'>;

function finish(p: Partial, r: VerifyResult, w: Where): VerifyResult {
  const problems = w.remote ? [...targetPinning(w.remote.artifact.info.uri, w.remote.artifact), ...p.problems] : p.problems;
  // unpinned sources are warnings about provenance, not about the bytes that were signed
  const failed = problems.some((x) => !x.code.startsWith('SOURCE_'));
  const status: VerifyStatus = failed ? 'failed' : p.unreadable.length || w.unverified.length ? 'incomplete' : 'verified';
  return { ...r, ...p, problems, status, ...(w.remote ? { remote: remoteSummary(w.remote, w.trust), unverified: w.unverified } : {}) };
}

async function verifyMs(m: MsManifest, w: Where, manifestAbs: string, opts: VerifyOptions): Promise<Partial> {
  const ignore = [...new Set([...DEFAULT_IGNORES, ...m.ignorePaths, ...selfUnder(w, w.baseAbs, manifestAbs)])];
  const cliLike = opts.hashing === 'files-sha256';
  const out = await w.run(
    {
      rootAbs: w.targetFile ?? w.baseAbs,
      rootRel: '.',
      expected: cliLike ? m.resources.map((r) => ({ path: r.name, digest: m.alg === 'sha256' ? r.digest : `${m.alg}:${r.digest}` })) : m.files,
      alg: cliLike ? 'sha256' : m.alg,
      ...(m.shardSize !== undefined && !cliLike ? { shardSize: m.shardSize } : {}),
      complete: m.complete && !opts.ignoreUnsigned,
      ignore,
      symlinks: m.allowSymlinks ? 'follow-files' : 'reject',
    },
  );
  return {
    problems: out.problems,
    unreadable: out.unreadable,
    sets: [{ name: m.modelName, root: '.', files: m.files.length, checked: out.checked, verified: out.verified, bytes: out.bytes }],
    serialization: { method: m.method, hashType: m.alg, ...(m.shardSize !== undefined ? { shardSize: m.shardSize } : {}) },
  };
}

async function verifyNative(st: LineageStatement, w: Where, manifestAbs: string, opts: VerifyOptions): Promise<Partial> {
  const p = st.predicate;
  const out: Partial = { problems: [], unreadable: [], sets: [], sources: p.sources?.length ?? 0, transforms: p.transforms?.length ?? 0 };
  for (const set of p.sets) {
    const why = set.root === '.' ? undefined : unsafeReason(set.root);
    if (why) {
      out.problems.push({ code: 'PATH_UNSAFE', set: set.name, path: set.root, reason: why, detail: `set ${set.name}: unsafe root ${JSON.stringify(set.root)} (${why}); not opened` });
      continue;
    }
    const rootAbs = w.remote ? '' : absUnder(w.baseAbs, set.root);
    const o: SetOutcome = await w.run(
      {
        set: set.name,
        rootAbs,
        rootRel: set.root,
        expected: set.files.map((f) => ({ path: f.path, size: f.size, digest: f.digest[set.hash]! })),
        alg: set.hash,
        complete: set.complete && !opts.ignoreUnsigned,
        ignore: [...new Set([...(set.ignore ?? DEFAULT_IGNORES), ...selfUnder(w, rootAbs, manifestAbs)])],
        symlinks: set.symlinks ?? 'reject',
      },
    );
    out.problems.push(...o.problems);
    out.unreadable.push(...o.unreadable);
    out.sets.push({ name: set.name, root: set.root, files: set.files.length, checked: o.checked, verified: o.verified, bytes: o.bytes });
  }
  out.problems.push(...(p.sources ?? []).flatMap(pinningProblems), ...lineageProblems(p));
  return out;
}
