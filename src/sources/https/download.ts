/**
 * The fallback for servers that ignore `Range`: download the whole file once, up to a size limit, to a
 * temporary file, and read that. `bytesRead` is what crossed the network.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileReader } from '../../artifact/file-reader.js';
import { statusError, withRetry, type RemoteOptions } from '../../artifact/remote/index.js';
import type { RandomAccessReader } from '../../artifact/types.js';
import { MlvetError } from '../../errors.js';
import { TempFileReader } from '../../artifact/temp-file-reader.js';


export async function boundedDownload(url: string, name: string, opts: RemoteOptions, expectSize?: number): Promise<RandomAccessReader & { bytesRead: number }> {
  if (expectSize !== undefined && expectSize > opts.maxDownloadBytes) {
    throw new MlvetError('LIMIT_EXCEEDED', `${name}: the server does not support ranges and the file (${expectSize} bytes) is over the download limit (${opts.maxDownloadBytes}; MLVET_MAX_DOWNLOAD_BYTES)`, { path: name });
  }
  const base = opts.cacheDir ? join(opts.cacheDir, 'downloads') : tmpdir();
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'dl-'));
  const file = join(dir, 'body');
  try {
    const got = await withRetry(name, { ...opts, timeoutMs: Math.max(opts.timeoutMs, 10 * opts.timeoutMs) }, async (signal) => {
      const res = await fetch(url, { signal, redirect: 'follow' });
      if (!res.ok || !res.body) {
        await res.body?.cancel().catch(() => undefined);
        throw statusError(name, res.status);
      }
      let n = 0;
      const limited = Readable.fromWeb(res.body as never).on('data', (c: Buffer) => {
        n += c.length;
        if (n > opts.maxDownloadBytes) limited.destroy(new MlvetError('LIMIT_EXCEEDED', `${name}: download passed the limit of ${opts.maxDownloadBytes} bytes`, { path: name }));
      });
      await pipeline(limited, createWriteStream(file), { signal });
      return n;
    });
    if (expectSize !== undefined && got !== expectSize) throw new MlvetError('TRUNCATED', `${name}: downloaded ${got} of ${expectSize} bytes`, { path: name });
    return new TempFileReader(FileReader.open(file), dir, got);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
