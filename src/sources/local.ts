/**
 * Local files and directories. Walks without following symlinks out of the root: a link that
 * resolves inside the root is scanned as its target file, one that escapes is reported and skipped.
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { FileReader, readSmallFile } from '../artifact/file-reader.js';
import type { Artifact, ArtifactFile } from '../artifact/types.js';
import { MlvetError } from '../errors.js';
import type { Fact } from '../model/facts.js';
import { inside, symlinkFact, walkLocal } from './local-walk.js';

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
  // bytes of files read whole (readAll): no reader of theirs is kept
  const held = { bytesRead: 0 };
  const mk = (path: string, real: string, size: number): ArtifactFile => ({
    path,
    size,
    localPath: real,
    open: () => {
      const r = FileReader.open(real);
      readers.push(r);
      return Promise.resolve(r);
    },
    readAll: (max) => {
      if (size > max) return Promise.resolve(undefined);
      try {
        const got = readSmallFile(real, size);
        held.bytesRead += got.bytesRead;
        return Promise.resolve(got.bytes);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
  });
  const bytesRead = (): number => readers.reduce((n, r) => n + r.bytesRead, held.bytesRead);
  if (st.isDirectory()) {
    const root = realpathSync(abs);
    return {
      info: { uri: target, kind: 'local' },
      // filled while files() is iterated: a walk's problems are found where its files are
      facts,
      files: () => walked(root, facts, mk),
      bytesRead,
      close: () => closeAll(readers),
    };
  }
  const rootReal = realpathSync(dirname(abs));
  const real = realpathSync(abs);
  if (st.isSymbolicLink() && !inside(rootReal, real)) {
    facts.push(symlinkFact(basename(abs), real));
  } else {
    const s = statSync(real);
    if (!s.isFile()) throw new MlvetError('USAGE', `not a regular file: ${target}`, { path: target });
    files.push(mk(basename(abs), real, s.size));
  }
  return {
    info: { uri: target, kind: 'local' },
    facts,
    files: () => iterate(files),
    bytesRead,
    close: () => closeAll(readers),
  };
}

async function closeAll(readers: FileReader[]): Promise<void> {
  for (const r of readers) await r.close();
}

/** A directory's files, streamed from the walk; a second call walks again and restates the facts. */
async function* walked(root: string, facts: Fact[], mk: (path: string, real: string, size: number) => ArtifactFile): AsyncGenerator<ArtifactFile> {
  facts.length = 0;
  let n = 0;
  for (const f of walkLocal(root, facts)) {
    // a million-file walk is tens of seconds of sync I/O: let timers and I/O run now and then
    if (++n % 4096 === 0) await new Promise((r) => setImmediate(r));
    yield mk(f.rel, f.real, f.size);
  }
}

/** The files as an AsyncIterable (the Artifact interface is async for remote listings). */
async function* iterate(files: ArtifactFile[]): AsyncGenerator<ArtifactFile> {
  for (const f of files) yield await Promise.resolve(f);
}
