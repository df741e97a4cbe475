/**
 * A state file on a local (or NFS) disk. The journal is one append-only file, each batch written and
 * fsync'd before the objects in it count as done; the state is replaced by write-temp, fsync, rename.
 * The lease is a lock file created with O_EXCL holding the owner's pid, host and expiry.
 */
import { closeSync, constants, fsyncSync, ftruncateSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { MlvetError } from '../errors.js';
import { readRegularBytes } from '../files.js';
import { STATE_MAX_BYTES } from './state.js';
import { isStale, lockMessage, type JournalPart, type Lease, type LeaseOwner, type StateStore } from './store.js';

function ioError(path: string, e: unknown): MlvetError {
  return new MlvetError('USAGE', `audit state ${path}: ${(e as Error).message}`, { path });
}

function refuseLink(path: string): void {
  try {
    const st = lstatSync(path);
    if (!st.isFile()) throw new MlvetError('PATH_UNSAFE', `audit state ${path}: not a regular file; refusing to use it`, { path });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** temp beside it, fsync, rename, fsync the directory: after a crash the old file or the new one */
function atomicWrite(path: string, bytes: Uint8Array): void {
  refuseLink(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      writeAll(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    const dfd = openSync(dirname(path), constants.O_RDONLY);
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // renamed already, or never made
    }
    throw e instanceof MlvetError ? e : ioError(path, e);
  }
}

function readIfExists(path: string, what: string): Buffer | undefined {
  try {
    return readRegularBytes(path, what, STATE_MAX_BYTES);
  } catch (e) {
    if ((e as MlvetError).code === 'NOT_FOUND') return undefined;
    throw e;
  }
}

export function localStore(path: string): StateStore {
  const journal = `${path}.journal`;
  const lock = `${path}.lock`;
  let jfd: number | undefined;
  const openJournal = (): number => {
    if (jfd === undefined) {
      refuseLink(journal);
      try {
        jfd = openSync(journal, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW, 0o644);
      } catch (e) {
        throw ioError(journal, e);
      }
    }
    return jfd;
  };
  return {
    uri: path,
    readState: () => Promise.resolve(readIfExists(path, 'audit state')),
    writeState: (bytes) => Promise.resolve(atomicWrite(path, bytes)),
    readJournal(): Promise<JournalPart[]> {
      const b = readIfExists(journal, 'audit journal');
      return Promise.resolve(b && b.length ? [{ name: journal, text: b.toString('utf8') }] : []);
    },
    appendJournal(text) {
      const fd = openJournal();
      writeAll(fd, Buffer.from(text, 'utf8'));
      fsyncSync(fd);
      return Promise.resolve();
    },
    clearJournal() {
      const fd = openJournal();
      ftruncateSync(fd, 0);
      fsyncSync(fd);
      return Promise.resolve();
    },
    acquire: (owner, ttlMs) => Promise.resolve(lockFile(lock, owner, ttlMs)),
    close() {
      if (jfd !== undefined) closeSync(jfd);
      jfd = undefined;
      return Promise.resolve();
    },
  };
}

function ownerRecord(owner: Omit<LeaseOwner, 'expiresAt' | 'acquiredAt'>, ttlMs: number, acquiredAt = new Date()): LeaseOwner {
  return { ...owner, acquiredAt: acquiredAt.toISOString(), expiresAt: new Date(Date.now() + ttlMs).toISOString() };
}

function readLock(lock: string): Partial<LeaseOwner> {
  try {
    return JSON.parse(readFileSync(lock, 'utf8')) as Partial<LeaseOwner>;
  } catch {
    return {}; // unreadable (cut mid-write): judged by its expiry, which it has none of
  }
}

function lockFile(lock: string, owner: Omit<LeaseOwner, 'expiresAt' | 'acquiredAt'>, ttlMs: number): Lease {
  const rec = ownerRecord(owner, ttlMs);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      writeAll(fd, Buffer.from(JSON.stringify(rec)));
      fsyncSync(fd);
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(lock, e);
      const held = readLock(lock);
      if (attempt > 0 || !isStale(held, owner.host, Date.now())) throw new MlvetError('LOCKED', lockMessage(lock, held), { path: lock });
      // an expired lease, or one whose process is gone: take it over (O_EXCL again, so one taker wins)
      try {
        unlinkSync(lock);
      } catch {
        // another taker removed it first
      }
    }
  }
  const ours = (): boolean => readLock(lock).owner === owner.owner;
  return {
    renew() {
      if (!ours()) return Promise.reject(new MlvetError('LOCKED', `${lock}: this run's lease was taken over by another audit`, { path: lock }));
      atomicWrite(lock, Buffer.from(JSON.stringify({ ...rec, expiresAt: new Date(Date.now() + ttlMs).toISOString() })));
      return Promise.resolve();
    },
    release() {
      if (ours()) unlinkSync(lock);
      return Promise.resolve();
    },
  };
}
