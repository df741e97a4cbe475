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
  const { files, problems, unreadable } = listActual(c);
  const plan = planSet(c, files, problems);
  const out: SetOutcome = { problems: plan.problems, unreadable: unreadable.map((u) => ({ ...u, path: joinPosix(c.rootRel, u.path) })), checked: plan.checked, verified: 0, bytes: 0 };
  const results = await hashFiles(
    plan.jobs.map(({ f }): SizedJob => ({ abs: f.abs, alg: c.alg, sizeHint: f.size, ...(c.shardSize !== undefined ? { shardSize: c.shardSize } : {}) })),
    hashOpts,
  );
  results.forEach((r, i) => {
    const { e } = plan.jobs[i]!;
    if (r.error) return void out.unreadable.push({ path: joinPosix(c.rootRel, e.path), message: r.error });
    out.bytes += r.size;
    const p = digestProblem(c, e, r.digest, r.shards);
    if (p) out.problems.push(p);
    else out.verified++;
  });
  return out;
}

/** What the listing of one set (local walk or remote listing) says before any byte is hashed. */
export interface SetPlan<F extends { path: string; size: number }> {
  problems: Problem[];
  /** files present in both, with matching sizes: to be hashed or compared by digest */
  jobs: Array<{ e: ExpectedFile; f: F }>;
  checked: number;
}

/**
 * Steps shared by local and remote targets: unsafe manifest paths, FILE_MISSING, FILE_EXTRA, and
 * SIZE_MISMATCH (a cheap early fail before any hashing or download). `listProblems` are the
 * lister's own (PATH_UNSAFE for links); a file named there is not also reported missing.
 */
export function planSet<F extends { path: string; size: number }>(c: Pick<SetCheck, 'set' | 'rootRel' | 'expected' | 'complete' | 'shardSize'>, files: F[], listProblems: Problem[]): SetPlan<F> {
  const at = (p: string): string => joinPosix(c.rootRel, p);
  const base = (p: Omit<Problem, 'detail'>, detail: string): Problem => ({ ...(c.set ? { set: c.set } : {}), ...p, detail });
  const out: SetPlan<F> = { problems: [], jobs: [], checked: 0 };
  const expected = new Map<string, ExpectedFile>();
  for (const e of c.expected) {
    const why = e.path === '.' ? undefined : unsafeReason(e.path);
    if (why) out.problems.push(base({ code: 'PATH_UNSAFE', path: e.path, reason: why }, `manifest lists an unsafe path ${JSON.stringify(e.path)} (${why}); it was not opened`));
    else expected.set(e.path, e);
  }
  out.problems.push(...listProblems.map((p) => ({ ...(c.set ? { set: c.set } : {}), ...p })));
  const unsafeSeen = new Set(listProblems.map((p) => p.path));
  const actual = new Map(files.map((f) => [f.path, f]));
  for (const [p] of expected) {
    if (!actual.has(p) && !unsafeSeen.has(at(p))) out.problems.push(base({ code: 'FILE_MISSING', path: at(p) }, `${at(p)} is listed in the manifest but absent`));
  }
  for (const [p, f] of actual) {
    // shard manifests cannot list empty files, so an empty file is not "extra" there
    if (expected.has(p) || !c.complete || (c.shardSize !== undefined && f.size === 0)) continue;
    out.problems.push(base({ code: 'FILE_EXTRA', path: at(p), actual: { size: f.size } }, `${at(p)} is present but not in the manifest`));
  }
  for (const [p, e] of expected) {
    const f = actual.get(p);
    if (!f) continue;
    out.checked++;
    const want = e.size ?? (e.shards?.length ? e.shards[e.shards.length - 1]!.end : undefined);
    if (want !== undefined && want !== f.size && (e.size !== undefined || e.shards?.length)) {
      out.problems.push(base({ code: 'SIZE_MISMATCH', path: at(p), expected: want, actual: f.size }, `${at(p)} is ${f.size} bytes, the manifest says ${want}`));
    } else out.jobs.push({ e, f });
  }
  return out;
}

/** DIGEST_MISMATCH for one file, or undefined when it matches; `extra` lands in the problem (trust). */
export function digestProblem(c: Pick<SetCheck, 'set' | 'rootRel' | 'alg'>, e: ExpectedFile, digest?: string, shards?: ShardDigest[], extra: Pick<Problem, 'trust'> = {}): Problem | undefined {
  const m = compareDigests(e, digest, shards);
  if (!m) return undefined;
  const path = joinPosix(c.rootRel, e.path);
  return { ...(c.set ? { set: c.set } : {}), code: 'DIGEST_MISMATCH', path, expected: m.expected, actual: m.actual, ...extra, detail: `${path}: ${c.alg} ${m.where}differs from the manifest` };
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
