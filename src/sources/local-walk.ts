/**
 * The local directory walk, as a generator: an explicit stack of directory frames instead of
 * recursion (a deep tree cannot overflow the call stack), and files handed out one at a time in the
 * final sorted order (a million-file model store is never one array here). Memory is one directory's
 * entry names per level of nesting.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { sep } from 'node:path';
import type { Fact } from '../model/facts.js';

const SKIP_DIRS = new Set(['.git', '.hg', '.svn']);

/** Deeper than this is no real layout; PATH_MAX (4096 bytes) ends most such trees first. */
export const MAX_WALK_DEPTH = 2048;

export interface WalkedFile {
  /** POSIX path relative to the root */
  rel: string;
  /** the path to open (the link target for an in-root symlink) */
  real: string;
  size: number;
}

interface Frame {
  dir: string;
  rel: string;
  entries: Dirent[];
  next: number;
}

export function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

export function symlinkFact(path: string, real: string): Fact {
  return { kind: 'artifact.symlink-escape', location: { path }, data: { target: real, key: path } };
}

/**
 * Sorting a directory's entries by name, with `/` after a directory's name, yields exactly the order
 * of one global sort of the full POSIX paths (what the recursive walk produced after its final sort):
 * `a-c` sorts before `a/b` because `-` < `/`.
 */
function sortKey(d: Dirent): string {
  return d.isDirectory() ? `${d.name}/` : d.name;
}

function readDir(dir: string, rel: string, facts: Fact[]): Dirent[] | undefined {
  try {
    const entries = readdirSync(dir, { withFileTypes: true });
    const keyed = entries.map((d) => ({ d, k: sortKey(d) }));
    keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    return keyed.map((x) => x.d);
  } catch (e) {
    facts.push({ kind: 'artifact.unreadable', location: { path: rel || '.' }, data: { error: (e as Error).message } });
    return undefined;
  }
}

/** Regular files under `root` (already a real path), in sorted POSIX-path order; problems go to `facts`. */
export function* walkLocal(root: string, facts: Fact[]): Generator<WalkedFile> {
  const first = readDir(root, '', facts);
  if (!first) return;
  const stack: Frame[] = [{ dir: root, rel: '', entries: first, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const d = top.entries[top.next++];
    if (!d) {
      stack.pop();
      continue;
    }
    // a real path and an entry name (never a separator in it): nothing for path.join to normalise
    const p = top.dir.endsWith(sep) ? top.dir + d.name : top.dir + sep + d.name;
    const rel = top.rel ? `${top.rel}/${d.name}` : d.name;
    if (d.isDirectory()) {
      if (SKIP_DIRS.has(d.name)) continue;
      if (stack.length >= MAX_WALK_DEPTH) {
        facts.push({ kind: 'artifact.unreadable', location: { path: rel }, data: { error: `directories nested deeper than ${MAX_WALK_DEPTH}` } });
        continue;
      }
      const entries = readDir(p, rel, facts);
      if (entries) stack.push({ dir: p, rel, entries, next: 0 });
    } else if (d.isSymbolicLink()) {
      const f = followLink(root, p, rel, facts);
      if (f) yield f;
    } else if (d.isFile()) {
      const size = sizeOf(p, rel, facts);
      if (size !== undefined) yield { rel, real: p, size };
    } else {
      facts.push({ kind: 'artifact.special-file', location: { path: rel }, data: { key: rel } });
    }
  }
}

function sizeOf(p: string, rel: string, facts: Fact[]): number | undefined {
  try {
    return statSync(p).size;
  } catch (e) {
    // removed or made unreadable between readdir and stat: say so rather than skip it silently
    facts.push({ kind: 'artifact.unreadable', location: { path: rel }, data: { error: (e as Error).message } });
    return undefined;
  }
}

function followLink(root: string, p: string, rel: string, facts: Fact[]): WalkedFile | undefined {
  let real: string;
  try {
    real = realpathSync(p);
  } catch {
    facts.push({ kind: 'artifact.symlink-broken', location: { path: rel }, data: { key: rel } });
    return undefined;
  }
  if (!inside(root, real)) {
    facts.push(symlinkFact(rel, real));
    return undefined;
  }
  const size = statSync(real, { throwIfNoEntry: false });
  // links to directories inside the root are already walked through their real path
  return size?.isFile() ? { rel, real, size: size.size } : undefined;
}
