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
  /** called with each file as it is listed (hashing can start before the walk ends) */
  onFile?: (e: WalkEntry) => void;
}

export interface WalkResult {
  files: WalkEntry[];
  problems: Problem[];
  /** directories or files that could not be read: inconclusive, not tampering */
  unreadable: Array<{ path: string; message: string }>;
}

/** Deeper than this is no real layout (PATH_MAX ends most such trees first); reported unreadable. */
export const MAX_TREE_DEPTH = 2048;

interface Frame {
  abs: string;
  rel: string;
  names: string[];
  next: number;
}

/**
 * An explicit stack of directory frames, not recursion: a deep tree cannot overflow the call stack.
 * Each directory's names are sorted and walked depth-first, the order the recursive walk had.
 */
export function walkTree(root: string, opts: WalkOptions): WalkResult {
  const out: WalkResult = { files: [], problems: [], unreadable: [] };
  const first = readNames(root, '', out);
  if (!first) return out;
  const stack: Frame[] = [{ abs: root, rel: '', names: first, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const name = top.names[top.next++];
    if (name === undefined) {
      stack.pop();
      continue;
    }
    const childRel = top.rel ? `${top.rel}/${name}` : name;
    if (isIgnored(childRel, opts.ignore)) continue;
    const childAbs = join(top.abs, name);
    let st: Stats;
    try {
      st = lstatSync(childAbs);
    } catch (e) {
      out.unreadable.push({ path: childRel, message: (e as Error).message });
      continue;
    }
    if (st.isDirectory()) {
      if (stack.length >= MAX_TREE_DEPTH) {
        out.unreadable.push({ path: childRel, message: `directories nested deeper than ${MAX_TREE_DEPTH}` });
        continue;
      }
      const names = readNames(childAbs, childRel, out);
      if (names) stack.push({ abs: childAbs, rel: childRel, names, next: 0 });
    } else if (st.isFile()) listed(out, opts, { path: childRel, abs: childAbs, size: st.size });
    else if (st.isSymbolicLink()) followLink(childAbs, childRel, opts, out);
    else out.problems.push(unsafe(childRel, 'special-file', opts, 'not a regular file or directory (socket, FIFO or device)'));
  }
  return out;
}

function listed(out: WalkResult, opts: WalkOptions, e: WalkEntry): void {
  out.files.push(e);
  opts.onFile?.(e);
}

function readNames(abs: string, rel: string, out: WalkResult): string[] | undefined {
  try {
    return readdirSync(abs).sort();
  } catch (e) {
    out.unreadable.push({ path: rel || '.', message: (e as Error).message });
    return undefined;
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
  if (st.isFile()) listed(out, opts, { path: rel, abs, size: st.size });
  // links to directories are skipped, as model_signing does with allow_symlinks
}

function unsafe(rel: string, reason: string, opts: WalkOptions, detail: string): Problem {
  const path = joinPosix(opts.problemPrefix ?? '.', rel);
  return { code: 'PATH_UNSAFE', path, reason, detail: `${path}: ${detail}` };
}
