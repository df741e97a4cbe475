/**
 * Hashing: the worker-thread path and the sequential path give the same digests as a plain
 * node:crypto pass, for many small files and a file larger than one read buffer; shards too.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES } from '../../src/lineage/hash/file.js';
import { hashFiles, type SizedJob } from '../../src/lineage/hash/pool.js';
import { tempDir } from './helpers.js';

let jobs: SizedJob[];
let expected: string[];

beforeAll(() => {
  const dir = tempDir();
  mkdirSync(join(dir, 'many'));
  const paths: string[] = [];
  for (let i = 0; i < 260; i++) {
    const p = join(dir, 'many', `f${i}.bin`);
    writeFileSync(p, Buffer.alloc(i * 13, i & 0xff));
    paths.push(p);
  }
  const big = join(dir, 'big.bin');
  const buf = Buffer.alloc(CHUNK_BYTES * 2 + 12345);
  for (let i = 0; i < buf.length; i++) buf[i] = (i * 31) & 0xff;
  writeFileSync(big, buf);
  paths.push(big);
  jobs = paths.map((abs) => ({ abs, alg: 'sha256', sizeHint: readFileSync(abs).length }));
  expected = paths.map((p) => createHash('sha256').update(readFileSync(p)).digest('hex'));
});

describe('hashFiles', () => {
  it.each([[1], [2]])('threads=%i gives node:crypto digests, in job order', async (threads) => {
    const r = await hashFiles(jobs, { threads });
    expect(r.map((x) => x.digest)).toEqual(expected);
    expect(r.map((x) => x.size)).toEqual(jobs.map((j) => j.sizeHint));
  });

  it('shards: [start, end) ranges of shardSize, last one shorter', async () => {
    const big = jobs[jobs.length - 1]!;
    const [r] = await hashFiles([{ ...big, shardSize: CHUNK_BYTES }], { threads: 1 });
    const bytes = readFileSync(big.abs);
    expect(r!.shards!.map((s) => [s.start, s.end])).toEqual([
      [0, CHUNK_BYTES],
      [CHUNK_BYTES, 2 * CHUNK_BYTES],
      [2 * CHUNK_BYTES, bytes.length],
    ]);
    expect(r!.shards![2]!.digest).toBe(createHash('sha256').update(bytes.subarray(2 * CHUNK_BYTES)).digest('hex'));
  });

  it('a missing file is an error result, not a throw', async () => {
    const [r] = await hashFiles([{ abs: '/nonexistent/x', alg: 'sha256', sizeHint: 0 }], { threads: 1 });
    expect(r!.error).toMatch(/ENOENT/);
  });
});
