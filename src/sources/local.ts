/**
 * Local files and directories. Walks without following symlinks out of the root: a link that
 * resolves inside the root is scanned as its target file, one that escapes is reported and skipped.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { FileReader } from '../artifact/file-reader.js';
import type { Artifact, ArtifactFile } from '../artifact/types.js';
import { MlvetError } from '../errors.js';
import type { Fact } from '../model/facts.js';

const SKIP_DIRS = new Set(['.git', '.hg', '.svn']);

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

export function localArtifact(target: string, cwd = process.cwd()): Artifact {
  const abs = resolve(cwd, target);
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    throw new MlvetError('NOT_FOUND', `no such file or directory: ${target}`, { path: target });
  }
  const facts: Fact[] = [];
  const files: ArtifactFile[] = [];
  const readers: FileReader[] = [];
  let rootReal: string;
  const mk = (path: string, real: string, size: number): ArtifactFile => ({
    path,
    size,
    localPath: real,
    open: () => {
      const r = FileReader.open(real);
      readers.push(r);
      return Promise.resolve(r);
    },
  });
  if (st.isDirectory()) {
    rootReal = realpathSync(abs);
    walk(rootReal, rootReal, files, facts, mk);
  } else {
    rootReal = realpathSync(dirname(abs));
    const real = realpathSync(abs);
    if (st.isSymbolicLink() && !inside(rootReal, real)) {
      facts.push(symlinkFact(basename(abs), real));
    } else {
      const s = statSync(real);
      if (!s.isFile()) throw new MlvetError('USAGE', `not a regular file: ${target}`, { path: target });
      files.push(mk(basename(abs), real, s.size));
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    info: { uri: target, kind: 'local' },
    facts,
    files: () => iterate(files),
    bytesRead: () => readers.reduce((n, r) => n + r.bytesRead, 0),
    close: async () => {
      for (const r of readers) await r.close();
    },
  };
}

function symlinkFact(path: string, real: string): Fact {
  return { kind: 'artifact.symlink-escape', location: { path }, data: { target: real, key: path } };
}

function walk(
  root: string,
  dir: string,
  files: ArtifactFile[],
  facts: Fact[],
  mk: (path: string, real: string, size: number) => ArtifactFile,
): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    facts.push({ kind: 'artifact.unreadable', location: { path: relative(root, dir) || '.' }, data: { error: (e as Error).message } });
    return;
  }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    const rel = relative(root, p).split(sep).join('/');
    const st = lstatSync(p);
    if (st.isDirectory()) {
      if (!SKIP_DIRS.has(name)) walk(root, p, files, facts, mk);
    } else if (st.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(p);
      } catch {
        facts.push({ kind: 'artifact.symlink-broken', location: { path: rel }, data: { key: rel } });
        continue;
      }
      if (!inside(root, real)) {
        facts.push(symlinkFact(rel, real));
        continue;
      }
      const rs = statSync(real);
      if (rs.isFile()) files.push(mk(rel, real, rs.size));
      // links to directories inside the root are already walked through their real path
    } else if (st.isFile()) {
      files.push(mk(rel, p, st.size));
    } else {
      facts.push({ kind: 'artifact.special-file', location: { path: rel }, data: { key: rel } });
    }
  }
}

/** The files as an AsyncIterable (the Artifact interface is async for remote listings). */
async function* iterate(files: ArtifactFile[]): AsyncGenerator<ArtifactFile> {
  for (const f of files) yield await Promise.resolve(f);
}
