/**
 * Issue 12: a `.csv.zst` of 4 GiB of zeros peaked at 4.4 GB RSS before the 64 MiB record limit fired
 * (a plain CSV costs 390 MB). Decompression now streams one block at a time, so the same budgets fire
 * at the same place. The bombs are generated in a temp dir (bombs.ts) and removed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMlvetError } from '../../src/errors.js';
import { datasetErrorExit } from '../../src/validation/exit.js';
import { profile } from '../../src/validation/profile.js';
import { writeGzipOf, writeZstdRle, zstdRle } from './bombs.js';

const GiB = 1024 ** 3;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlvet-bomb-'));
  writeZstdRle(join(dir, 'zeros-4g.csv.zst'), { frames: 1, blocks: (4 * GiB) / (128 * 1024) });
  writeZstdRle(join(dir, 'header-then-zeros.csv.zst'), { frames: 1, blocks: 8192, head: 'a,b\n' });
  writeZstdRle(join(dir, 'many-frames.csv.zst'), { frames: 4096, blocks: 8, head: 'a,b\n' });
  writeZstdRle(join(dir, 'quote-bomb.csv.zst'), { frames: 1, blocks: 8192, head: 'a,b\n1,"', byte: 0x61 });
  writeZstdRle(join(dir, 'zeros.jsonl.zst'), { frames: 1, blocks: 8192 });
  writeZstdRle(join(dir, 'huge-window.csv.zst'), { frames: 1, blocks: 1, windowLog: 31 });
  const cut = zstdRle({ frames: 1, blocks: 4, head: 'a,b\n' });
  writeFileSync(join(dir, 'cut.csv.zst'), cut.subarray(0, cut.length - 2));
  await writeGzipOf(join(dir, 'zeros-512m.csv.gz'), 'a,b\n', 512 * 1024 ** 2);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decompression bombs hit the reader budgets in bounded memory', () => {
  it.each([
    ['zeros-4g.csv.zst', 'LIMIT_EXCEEDED', 1],
    ['header-then-zeros.csv.zst', 'LIMIT_EXCEEDED', 2],
    ['many-frames.csv.zst', 'LIMIT_EXCEEDED', 2],
    ['quote-bomb.csv.zst', 'LIMIT_EXCEEDED', 2],
    ['zeros.jsonl.zst', 'LIMIT_EXCEEDED', 1],
    ['zeros-512m.csv.gz', 'LIMIT_EXCEEDED', 2],
    ['huge-window.csv.zst', 'LIMIT_EXCEEDED', undefined],
    ['cut.csv.zst', 'TRUNCATED', undefined],
  ])('%s → %s', async (name, code, row) => {
    const dataset = join(dir, name);
    const before = process.memoryUsage().rss;
    let err: unknown;
    try {
      await profile({ dataset });
    } catch (e) {
      err = e;
    }
    expect(isMlvetError(err) && [err.code, err.details.path, err.details.row, datasetErrorExit(err)]).toEqual([code, dataset, row, 2]);
    // the limit is 64 MiB per record; a buffering decompressor needed the whole 4 GiB
    expect(process.memoryUsage().rss - before).toBeLessThan(1024 ** 3);
  }, 120_000);
});
