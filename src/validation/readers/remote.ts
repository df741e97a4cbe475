/**
 * Remote datasets (any scheme src/sources opens: `hf://datasets/org/name@rev`, `s3://bucket/prefix/`,
 * `https://…/file.parquet`): the data files are fetched through the same sources and ranged readers as
 * `scan` (retries, timeouts, `--offline`) into a private temporary directory, validated there as one
 * dataset, and removed. Streaming readers need sequential access, and shards are read whole anyway, so
 * this costs no extra bytes over the network.
 */
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MlvetError } from '../../errors.js';
import { isRemote, openTarget } from '../../sources/index.js';

const DATA = /\.(parquet|arrow|feather|ipc|arrows|jsonl|ndjson|json|csv|tsv|txt)(\.(gz|zst))?$/i;
const CHUNK = 8 << 20;

export interface LocalDataset {
  /** local directory (or the original path) to read */
  path: string;
  /** revision the remote resolved to, when it has one */
  resolvedRevision?: string;
  /** bytes fetched */
  bytesRead: number;
  cleanup(): void;
}

/** Fetch a remote dataset's data files into a temp dir; local paths pass through untouched. */
export async function localizeDataset(target: string, opts: { offline?: boolean; maxBytes?: number; env?: NodeJS.ProcessEnv } = {}): Promise<LocalDataset> {
  if (!isRemote(target)) return { path: target, bytesRead: 0, cleanup: () => {} };
  const artifact = await openTarget(target, { offline: opts.offline, ...(opts.env ? { env: opts.env } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 'mlvet-dataset-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const max = opts.maxBytes ?? 64 * 2 ** 30;
    let total = 0;
    let count = 0;
    for await (const f of artifact.files()) {
      if (!DATA.test(f.path) || f.path.split('/').some((p) => p === '..' || p.startsWith('.'))) continue;
      total += f.size;
      if (total > max) throw new MlvetError('LIMIT_EXCEEDED', `${target}: data files exceed ${max} bytes`, { path: target });
      const dst = join(dir, f.path);
      mkdirSync(dirname(dst), { recursive: true });
      const reader = await f.open();
      const fd = openSync(dst, 'wx', 0o600);
      try {
        for (let off = 0; off < f.size; off += CHUNK) {
          const b = await reader.read(off, Math.min(CHUNK, f.size - off));
          if (b.length === 0) throw new MlvetError('REMOTE_ERROR', `${target}/${f.path}: short read at ${off}`, { path: f.path, offset: off });
          writeSync(fd, b);
        }
      } finally {
        closeSync(fd);
        await reader.close();
      }
      count++;
    }
    if (count === 0) throw new MlvetError('NOT_FOUND', `${target}: no data files (parquet, arrow, jsonl, csv, tsv)`, { path: target });
    const bytesRead = artifact.bytesRead();
    return { path: dir, ...(artifact.info.resolvedRevision ? { resolvedRevision: artifact.info.resolvedRevision } : {}), bytesRead, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  } finally {
    await artifact.close();
  }
}
