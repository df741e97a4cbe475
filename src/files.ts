/**
 * Reading the files a user names and writing the files mlvet produces, on a machine where the input is
 * hostile. In CI the output path usually sits inside the checked-out repository that is being vetted,
 * so a pull request can plant `mlvet.sarif -> ~/.ssh/authorized_keys`; and a FIFO named as a manifest or
 * suite blocks a plain read forever. Every named input goes through `readRegularFile`, every output
 * through `writeOutputFile`.
 */
import { closeSync, constants, fchmodSync, fstatSync, linkSync, lstatSync, openSync, readSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MlvetError } from './errors.js';

/** Larger named inputs (manifests, suites, baselines, keys, configs) are refused rather than read. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * The bytes of a regular file. Opened non-blocking, so a FIFO is refused at once instead of blocking
 * the run, and checked on the open descriptor, so nothing can swap the file between check and read.
 *
 * @param what what the file is for, as the user named it (`--manifest`), for the message
 * @param check more conditions on the opened file (a key's mode), before anything is read
 */
export function readRegularBytes(path: string, what: string, maxBytes = MAX_INPUT_BYTES, check?: (st: Stats) => void): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MlvetError('NOT_FOUND', `${what} ${path}: no such file`, { path });
    throw new MlvetError('USAGE', `${what} ${path}: cannot open (${code ?? (e as Error).message})`, { path });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new MlvetError('USAGE', `${what} ${path}: ${kindOf(st)}, not a regular file`, { path });
    if (st.size > maxBytes) throw new MlvetError('USAGE', `${what} ${path}: ${st.size} bytes is more than the ${maxBytes} read for it`, { path });
    check?.(st);
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

export function readRegularFile(path: string, what: string, maxBytes = MAX_INPUT_BYTES, check?: (st: Stats) => void): string {
  return readRegularBytes(path, what, maxBytes, check).toString('utf8');
}

export interface WriteOptions {
  /** file mode for a new file (default 0o644; keys use 0o600) */
  mode?: number;
  /** refuse to replace an existing file */
  exclusive?: boolean;
  /** what the file is, for the message (`--output`) */
  what?: string;
}

/**
 * Write a whole file atomically without following a symlink at `path`: a link (or a FIFO, a device, a
 * directory) where the output should go is refused, whatever `--force` says. The bytes go to a fresh
 * temp file beside it (created exclusively), then take its place by rename, or by link when the file
 * must not exist yet, so a reader sees the old file or the new one, never half of one.
 */
export function writeOutputFile(path: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
  const what = opts.what ?? 'output';
  let st: Stats | undefined;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(what, path, e);
  }
  if (st && !st.isFile()) throw new MlvetError('PATH_UNSAFE', `${what} ${path}: ${kindOf(st)}; refusing to write through it`, { path });
  if (st && opts.exclusive) throw new MlvetError('USAGE', `${what} ${path} exists; pass --force to overwrite`, { path });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, opts.mode ?? 0o644);
  } catch (e) {
    throw ioError(what, path, e);
  }
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    if (opts.mode !== undefined) fchmodSync(fd, opts.mode); // the umask narrowed it at create
    closeSync(fd);
    if (opts.exclusive) {
      linkSync(tmp, path); // fails if the name appeared meanwhile: never replaces
      unlinkSync(tmp);
    } else renameSync(tmp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(tmp);
    } catch {
      // never created or already moved
    }
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new MlvetError('USAGE', `${what} ${path} exists; pass --force to overwrite`, { path });
    throw ioError(what, path, e);
  }
}

// an output that cannot be written is the environment's fault (exit 3), not the input's
function ioError(what: string, path: string, e: unknown): MlvetError {
  return new MlvetError('USAGE', `cannot write ${what} ${path}: ${(e as Error).message}`, { path });
}
