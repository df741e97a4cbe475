/**
 * Lists the regular files under a root, the way model_signing does: directories are traversed,
 * never listed; symlinks and special files are problems (PATH_UNSAFE) unless `follow-files`, which
 * hashes a file link's target under the link's name and skips directory links.
 */
import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { isIgnored, joinPosix } from './paths.js';
import type { Problem } from './types.js';

export interface WalkEntry {
  /** POSIX path relative to the walk root */
  path: string;
  abs: string;
  size: number;
}

export interface WalkOptions {
  ignore: readonly string[];
  symlinks: 'reject' | 'follow-files';
  /** prefix for problem paths (the set root, relative to the verify target) */
  problemPrefix?: string;
}

export interface WalkResult {
  files: WalkEntry[];
  problems: Problem[];
  /** directories or files that could not be read: inconclusive, not tampering */
  unreadable: Array<{ path: string; message: string }>;
}

export function walkTree(root: string, opts: WalkOptions): WalkResult {
  const out: WalkResult = { files: [], problems: [], unreadable: [] };
  walkDir(root, '', opts, out);
  return out;
}

function walkDir(abs: string, rel: string, opts: WalkOptions, out: WalkResult): void {
  let names: string[];
  try {
    names = readdirSync(abs).sort();
  } catch (e) {
    out.unreadable.push({ path: rel || '.', message: (e as Error).message });
    return;
  }
  for (const name of names) {
    const childRel = rel ? `${rel}/${name}` : name;
    if (isIgnored(childRel, opts.ignore)) continue;
    const childAbs = join(abs, name);
    let st: Stats;
    try {
      st = lstatSync(childAbs);
    } catch (e) {
      out.unreadable.push({ path: childRel, message: (e as Error).message });
      continue;
    }
    if (st.isDirectory()) walkDir(childAbs, childRel, opts, out);
    else if (st.isFile()) out.files.push({ path: childRel, abs: childAbs, size: st.size });
    else if (st.isSymbolicLink()) followLink(childAbs, childRel, opts, out);
    else out.problems.push(unsafe(childRel, 'special-file', opts, 'not a regular file or directory (socket, FIFO or device)'));
  }
}

function followLink(abs: string, rel: string, opts: WalkOptions, out: WalkResult): void {
  if (opts.symlinks === 'reject') {
    out.problems.push(unsafe(rel, 'symlink', opts, 'symbolic link in the target; links are not followed'));
    return;
  }
  let st: Stats;
  try {
    st = statSync(abs);
  } catch {
    out.problems.push(unsafe(rel, 'broken-symlink', opts, 'broken symbolic link'));
    return;
  }
  if (st.isFile()) out.files.push({ path: rel, abs, size: st.size });
  // links to directories are skipped, as model_signing does with allow_symlinks
}

function unsafe(rel: string, reason: string, opts: WalkOptions, detail: string): Problem {
  const path = joinPosix(opts.problemPrefix ?? '.', rel);
  return { code: 'PATH_UNSAFE', path, reason, detail: `${path}: ${detail}` };
}
