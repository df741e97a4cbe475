/**
 * Step 5: what is on disk against what was signed, for one set of files. Paths are checked before
 * the filesystem is touched; sizes are compared before hashing (a cheap early fail); only then are
 * the remaining files hashed, in parallel.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { HashAlg } from './hash/algs.js';
import type { ShardDigest } from './hash/file.js';
import { hashFiles, type HashOptions, type SizedJob } from './hash/pool.js';
import { joinPosix, unsafeReason } from './paths.js';
import type { Problem } from './types.js';
import { walkTree, type WalkEntry } from './walk.js';

export interface ExpectedFile {
  path: string;
  size?: number;
  digest?: string;
  shards?: ShardDigest[];
}

export interface SetCheck {
  /** set name (mlvet format) */
  set?: string;
  rootAbs: string;
  /** the set root relative to the verify target, for problem paths */
  rootRel: string;
  expected: ExpectedFile[];
  alg: HashAlg;
  shardSize?: number;
  /** extra files are problems */
  complete: boolean;
  ignore: readonly string[];
  symlinks: 'reject' | 'follow-files';
}

export interface SetOutcome {
  problems: Problem[];
  unreadable: Array<{ path: string; message: string }>;
  checked: number;
  verified: number;
  /** bytes hashed */
  bytes: number;
}

export async function checkSet(c: SetCheck, hashOpts: HashOptions = {}): Promise<SetOutcome> {
  const out: SetOutcome = { problems: [], unreadable: [], checked: 0, verified: 0, bytes: 0 };
  const at = (p: string): string => joinPosix(c.rootRel, p);
  const base = (p: Omit<Problem, 'detail'>, detail: string): Problem => ({ ...(c.set ? { set: c.set } : {}), ...p, detail });
  const expected = new Map<string, ExpectedFile>();
  for (const e of c.expected) {
    const why = e.path === '.' ? undefined : unsafeReason(e.path);
    if (why) out.problems.push(base({ code: 'PATH_UNSAFE', path: e.path, reason: why }, `manifest lists an unsafe path ${JSON.stringify(e.path)} (${why}); it was not opened`));
    else expected.set(e.path, e);
  }
  const { files, problems, unreadable } = listActual(c);
  out.problems.push(...problems.map((p) => ({ ...(c.set ? { set: c.set } : {}), ...p })));
  out.unreadable.push(...unreadable.map((u) => ({ ...u, path: at(u.path) })));
  const unsafeSeen = new Set(problems.map((p) => p.path));
  const actual = new Map(files.map((f) => [f.path, f]));
  for (const [p] of expected) {
    if (!actual.has(p) && !unsafeSeen.has(at(p))) out.problems.push(base({ code: 'FILE_MISSING', path: at(p) }, `${at(p)} is listed in the manifest but absent`));
  }
  for (const [p, f] of actual) {
    // shard manifests cannot list empty files, so an empty file is not "extra" there
    if (expected.has(p) || !c.complete || (c.shardSize !== undefined && f.size === 0)) continue;
    out.problems.push(base({ code: 'FILE_EXTRA', path: at(p), actual: { size: f.size } }, `${at(p)} is present but not in the manifest`));
  }
  const jobs: Array<{ e: ExpectedFile; f: WalkEntry }> = [];
  for (const [p, e] of expected) {
    const f = actual.get(p);
    if (!f) continue;
    out.checked++;
    const want = e.size ?? (e.shards?.length ? e.shards[e.shards.length - 1]!.end : undefined);
    if (want !== undefined && want !== f.size && (e.size !== undefined || e.shards?.length)) {
      out.problems.push(base({ code: 'SIZE_MISMATCH', path: at(p), expected: want, actual: f.size }, `${at(p)} is ${f.size} bytes, the manifest says ${want}`));
    } else jobs.push({ e, f });
  }
  const results = await hashFiles(
    jobs.map(({ f }): SizedJob => ({ abs: f.abs, alg: c.alg, sizeHint: f.size, ...(c.shardSize !== undefined ? { shardSize: c.shardSize } : {}) })),
    hashOpts,
  );
  results.forEach((r, i) => {
    const { e } = jobs[i]!;
    const path = at(e.path);
    if (r.error) return void out.unreadable.push({ path, message: r.error });
    out.bytes += r.size;
    const mismatch = compareDigests(e, r.digest, r.shards);
    if (mismatch) out.problems.push(base({ code: 'DIGEST_MISMATCH', path, expected: mismatch.expected, actual: mismatch.actual }, `${path}: ${c.alg} ${mismatch.where}differs from the manifest`));
    else out.verified++;
  });
  return out;
}

function listActual(c: SetCheck): { files: WalkEntry[]; problems: Problem[]; unreadable: Array<{ path: string; message: string }> } {
  let st;
  try {
    st = statSync(c.rootAbs);
  } catch {
    return { files: [], problems: [], unreadable: [] };
  }
  if (st.isFile()) return { files: [{ path: '.', abs: c.rootAbs, size: st.size }], problems: [], unreadable: [] };
  return walkTree(c.rootAbs, { ignore: c.ignore, symlinks: c.symlinks, problemPrefix: c.rootRel });
}

function compareDigests(e: ExpectedFile, digest?: string, shards?: ShardDigest[]): { expected: string; actual: string; where: string } | undefined {
  if (e.shards) {
    const got = shards ?? [];
    for (let i = 0; i < Math.max(got.length, e.shards.length); i++) {
      const a = got[i];
      const x = e.shards[i];
      if (!a || !x || a.start !== x.start || a.end !== x.end || a.digest !== x.digest.toLowerCase()) {
        const r = x ?? a!;
        return { expected: x?.digest ?? '', actual: a?.digest ?? '', where: `of bytes ${r.start}:${r.end} ` };
      }
    }
    return undefined;
  }
  if (digest !== e.digest?.toLowerCase()) return { expected: e.digest ?? '', actual: digest ?? '', where: '' };
  return undefined;
}

export const absUnder = (target: string, rel: string): string => (rel === '.' ? target : join(target, ...rel.split('/')));
