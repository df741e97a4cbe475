/**
 * Build the sets of a new manifest: walk each target, hash every file with SHA-256 (in parallel),
 * and list it with its size. Signing refuses what verification would flag: symlinks, special files,
 * unreadable files.
 */
import { statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { MlvetError } from '../../errors.js';
import { HashFeed, hashFiles, type HashOptions, type SizedJob } from '../hash/pool.js';
import { compareBytewise, joinPosix } from '../paths.js';
import { DEFAULT_IGNORES } from '../types.js';
import type { HashResult } from '../hash/file.js';
import { walkTree, type WalkEntry, type WalkResult } from '../walk.js';
import type { LineageFile, LineageSet } from './statement.js';

export interface HashedFile {
  path: string;
  size: number;
  sha256: string;
}

/** POSIX path of `abs` under `base`, or undefined when it is outside. */
export function relUnder(base: string, abs: string): string | undefined {
  const r = relative(base, abs);
  if (r === '') return '.';
  if (r.startsWith('..') || r.startsWith(sep) || /^[A-Za-z]:/.test(r)) return undefined;
  return r.split(sep).join('/');
}

/** Walk `rootAbs` (or take the one file `only`) and hash every file; hashing starts while the walk still lists files. */
export async function hashTree(rootAbs: string, ignore: readonly string[], hash: HashOptions, only?: string): Promise<HashedFile[]> {
  const job = (f: WalkEntry): SizedJob => ({ abs: f.abs, alg: 'sha256', sizeHint: f.size });
  if (only) {
    const f = { path: only, abs: join(rootAbs, only), size: statSync(join(rootAbs, only)).size };
    return named([f], await hashFiles([job(f)], hash));
  }
  const feed = new HashFeed(hash);
  let walked: WalkResult;
  try {
    walked = walkTree(rootAbs, { ignore, symlinks: 'reject', onFile: (f) => feed.add(job(f)) });
    const first = walked.problems[0];
    if (first) throw new MlvetError('PATH_UNSAFE', `refusing to sign ${rootAbs}: ${first.detail}`, { path: first.path });
    const u = walked.unreadable[0];
    if (u) throw new MlvetError('IO_ERROR', `cannot read ${u.path}: ${u.message}`, { path: u.path });
  } catch (e) {
    await feed.cancel();
    throw e;
  }
  return named(walked.files, await feed.finish());
}

function named(files: readonly WalkEntry[], results: readonly HashResult[]): HashedFile[] {
  return files.map((f, i) => {
    const r = results[i]!;
    if (r.error || !r.digest) throw new MlvetError('IO_ERROR', `cannot read ${f.path}: ${r.error ?? 'no digest'}`, { path: f.path });
    return { path: f.path, size: r.size, sha256: r.digest };
  });
}

export interface SetTarget {
  abs: string;
  /** name in the manifest */
  name: string;
}

/** Ignores for a set: git files, the manifest itself, and other sets nested inside this one. */
function ignoresFor(rootAbs: string, self: string, manifestAbs: string, others: string[]): string[] {
  const extra = [manifestAbs, ...others.filter((o) => o !== rootAbs && o !== self)].map((p) => relUnder(rootAbs, p)).filter((r): r is string => r !== undefined && r !== '.');
  return [...new Set([...DEFAULT_IGNORES, ...extra])];
}

export async function buildSet(t: SetTarget, base: string, manifestAbs: string, allRoots: string[], hash: HashOptions): Promise<LineageSet> {
  const st = statSync(t.abs);
  const isFile = st.isFile();
  const rootAbs = isFile ? dirname(t.abs) : t.abs;
  const root = relUnder(base, rootAbs);
  if (root === undefined) throw new MlvetError('USAGE', `${t.abs} is outside the manifest base ${base}; pass --base`, { path: t.abs });
  const ignore = ignoresFor(rootAbs, t.abs, manifestAbs, allRoots);
  const hashed = await hashTree(rootAbs, ignore, hash, isFile ? basename(t.abs) : undefined);
  const files: LineageFile[] = hashed.sort((a, b) => compareBytewise(a.path, b.path)).map((f) => ({ path: f.path, size: f.size, digest: { sha256: f.sha256 } }));
  return { name: t.name, root, complete: !isFile, hash: 'sha256', ignore, symlinks: 'reject', files };
}

export function setName(base: string, abs: string): string {
  const r = relUnder(base, abs);
  return r === undefined || r === '.' ? basename(abs) : r;
}

export { joinPosix };
