/**
 * The files of a local directory (an NFS mount of a model store) with size, mtime and inode from
 * stat: the same walk `scan` uses, so a symlink out of the root is reported and never read.
 */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { MlvetError } from '../errors.js';
import type { Fact } from '../model/facts.js';
import { walkLocal } from '../sources/local-walk.js';
import type { AuditObject } from './types.js';

export function listLocal(target: string, cwd: string, exclude: readonly string[]): { objects: AuditObject[]; facts: Fact[] } {
  const abs = resolve(cwd, target);
  let root: string;
  try {
    root = realpathSync(abs);
    if (!statSync(root).isDirectory()) throw new MlvetError('USAGE', `audit target ${target}: not a directory (audit a directory, scan a file)`, { path: target });
  } catch (e) {
    if (e instanceof MlvetError) throw e;
    throw new MlvetError('NOT_FOUND', `no such directory: ${target}`, { path: target });
  }
  const skip = new Set(exclude.map((p) => resolve(cwd, p)));
  const facts: Fact[] = [];
  const objects: AuditObject[] = [];
  for (const f of walkLocal(root, facts)) {
    if (f.rel === '.mlvet' || f.rel.startsWith('.mlvet/') || [...skip].some((s) => f.real === s || f.real.startsWith(`${s}.`))) continue;
    const st = statSync(f.real, { throwIfNoEntry: false, bigint: false });
    if (!st) continue; // removed since the walk saw it: not there now
    objects.push({ path: f.rel, size: st.size, identity: { kind: 'local', size: st.size, mtimeMs: st.mtimeMs, ino: st.ino }, scanTarget: f.real });
  }
  return { objects, facts };
}
