/**
 * model_signing's in-toto Statement (predicate `https://model_signing/signature/v1.0`, and the legacy
 * `Digests/v0.1`): build one the reference `verify key` accepts, and read one into expected files.
 * Only called on payload bytes whose signature already verified.
 */
import { createHash } from 'node:crypto';
import { HEX_LENGTH, isHashAlg, type HashAlg } from '../hash/algs.js';
import type { ExpectedFile } from '../compare.js';
import { validatorFor } from '../../schemas.js';
import { MS_PREDICATE_V01, MS_PREDICATE_V1, STATEMENT_TYPE, type Problem } from '../types.js';

export interface MsManifest {
  modelName: string;
  method: 'files' | 'shards' | 'digests-v0.1';
  alg: HashAlg;
  shardSize?: number;
  allowSymlinks: boolean;
  ignorePaths: string[];
  files: ExpectedFile[];
  /** resources as listed: name and hex digest (for `hashing: files-sha256`) */
  resources: Array<{ name: string; digest: string }>;
  /** v0.1 payloads carry no completeness guarantee */
  complete: boolean;
}

interface Resource {
  name: string;
  algorithm: string;
  digest: string;
}

type Parse = { ok: true; manifest: MsManifest } | { ok: false; problem: Problem };
const invalid = (reason: string, detail: string): Parse => ({ ok: false, problem: { code: 'STATEMENT_INVALID', reason, detail } });

/** SHA-256 over the raw digest bytes in listed order: the subject digest model_signing signs. */
export function rootDigest(hexDigests: readonly string[]): string {
  const h = createHash('sha256');
  for (const d of hexDigests) h.update(Buffer.from(d, 'hex'));
  return h.digest('hex');
}

export function buildMsStatement(modelName: string, files: Array<{ path: string; digest: string }>, ignorePaths: string[], extra: Record<string, unknown> = {}): object {
  const resources = files.map((f) => ({ name: f.path, algorithm: 'sha256', digest: f.digest }));
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: modelName, digest: { sha256: rootDigest(files.map((f) => f.digest)) } }],
    predicateType: MS_PREDICATE_V1,
    predicate: {
      serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ...(ignorePaths.length ? { ignore_paths: ignorePaths } : {}) },
      resources,
      ...extra,
    },
  };
}

export function parseMsStatement(stmt: Record<string, unknown>): Parse {
  const validate = validatorFor('lineage-model-signing');
  if (!validate(stmt)) return invalid('schema', `model_signing statement does not match its schema: ${validate.errorText}`);
  if (stmt.predicateType === MS_PREDICATE_V01) return parseV01(stmt);
  const subject = (stmt.subject as Array<{ name: string; digest: { sha256: string } }>)[0]!;
  const pred = stmt.predicate as { resources: Resource[]; serialization: Record<string, unknown> };
  const ser = pred.serialization;
  const alg = ser.hash_type;
  if (!isHashAlg(alg)) return invalid('hash-type', `unsupported serialization.hash_type ${JSON.stringify(alg)}`);
  const shards = ser.method === 'shards';
  const shardSize = shards ? Number(ser.shard_size) : undefined;
  if (shards && !(Number.isSafeInteger(shardSize) && shardSize! > 0)) return invalid('shard-size', `serialization.shard_size ${String(ser.shard_size)} is not a positive integer`);
  const wantAlg = shards ? `${alg}-sharded-${shardSize}` : alg;
  for (const r of pred.resources) {
    if (r.algorithm !== wantAlg) return invalid('resource-algorithm', `resource ${JSON.stringify(r.name)} has algorithm ${r.algorithm}, expected ${wantAlg}`);
    if (!new RegExp(`^[0-9a-fA-F]{${HEX_LENGTH[alg]}}$`).test(r.digest)) return invalid('digest-format', `resource ${JSON.stringify(r.name)} digest is not ${HEX_LENGTH[alg]} hex digits`);
  }
  const root = rootDigest(pred.resources.map((r) => r.digest));
  if (root !== subject.digest.sha256.toLowerCase()) {
    return invalid('root-digest', `manifest is inconsistent: subject digest ${subject.digest.sha256} is not the digest of the listed resources (${root})`);
  }
  const files = shards ? groupShards(pred.resources) : pred.resources.map((r) => ({ path: r.name, digest: r.digest.toLowerCase() }));
  if (typeof files === 'string') return invalid('shard-name', files);
  return {
    ok: true,
    manifest: {
      modelName: subject.name,
      method: shards ? 'shards' : 'files',
      alg,
      ...(shards ? { shardSize } : {}),
      allowSymlinks: ser.allow_symlinks === true,
      ignorePaths: ((ser.ignore_paths as string[] | undefined) ?? []).slice(),
      files,
      resources: pred.resources.map((r) => ({ name: r.name, digest: r.digest.toLowerCase() })),
      complete: true,
    },
  };
}

/** `path:start:end`, split on the last two colons so file names may contain colons. */
function groupShards(resources: Resource[]): ExpectedFile[] | string {
  const byPath = new Map<string, ExpectedFile>();
  for (const r of resources) {
    const m = /^(.*):(\d+):(\d+)$/s.exec(r.name);
    if (!m || Number(m[2]) >= Number(m[3])) return `shard name ${JSON.stringify(r.name)} is not path:start:end`;
    const f = byPath.get(m[1]!) ?? { path: m[1]!, shards: [] };
    f.shards!.push({ start: Number(m[2]), end: Number(m[3]), digest: r.digest.toLowerCase() });
    byPath.set(m[1]!, f);
  }
  for (const f of byPath.values()) f.shards!.sort((a, b) => a.start - b.start);
  return [...byPath.values()];
}

function parseV01(stmt: Record<string, unknown>): Parse {
  const subjects = stmt.subject as Array<{ name: string; digest: Record<string, string> }>;
  const files: ExpectedFile[] = [];
  for (const s of subjects) {
    const d = s.digest.sha256;
    if (!d || !/^[0-9a-fA-F]{64}$/.test(d)) return invalid('digest-format', `subject ${JSON.stringify(s.name)} has no sha256 digest`);
    files.push({ path: s.name, digest: d.toLowerCase() });
  }
  return { ok: true, manifest: { modelName: '', method: 'digests-v0.1', alg: 'sha256', allowSymlinks: false, ignorePaths: [], files, resources: files.map((f) => ({ name: f.path, digest: f.digest! })), complete: false } };
}
