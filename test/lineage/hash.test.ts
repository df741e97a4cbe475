/**
 * Hashing: the worker-thread path, the sequential path and the read-ahead path give the same digests
 * as a plain node:crypto pass, for many small files, files at and around the read-buffer sizes, and
 * shards; what is not a regular file is an error result, never a hang or an empty digest.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, hashFileSync } from '../../src/lineage/hash/file.js';
import { HashFeed, hashFiles, type SizedJob } from '../../src/lineage/hash/pool.js';
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

  it('threads=2: a file gone between walk and hash is an error result in its place, the rest still hash', async () => {
    const withGap = [...jobs.slice(0, 100), { abs: '/nonexistent/gone', alg: 'sha256' as const, sizeHint: 5000 }, ...jobs.slice(100)];
    const r = await hashFiles(withGap, { threads: 2 });
    expect(r[100]!.error).toMatch(/ENOENT/);
    expect(r.filter((_, i) => i !== 100).map((x) => x.digest)).toEqual(expected);
  });

  it('a missing file is an error result, not a throw', async () => {
    const [r] = await hashFiles([{ abs: '/nonexistent/x', alg: 'sha256', sizeHint: 0 }], { threads: 1 });
    expect(r!.error).toMatch(/ENOENT/);
  });
});

describe('HashFeed (jobs added while a walk lists them)', () => {
  it.each([[1], [2]])('threads=%i: the same results as hashFiles, in the order added', async (threads) => {
    const feed = new HashFeed({ threads });
    for (const j of jobs) feed.add(j);
    const r = await feed.finish();
    expect(r.map((x) => x.digest)).toEqual(expected);
    expect(r.map((x) => x.size)).toEqual(jobs.map((j) => j.sizeHint));
  });

  it('threads=2: progress ends at the total once the walk is over', async () => {
    const seen: Array<[number, number]> = [];
    const feed = new HashFeed({ threads: 2, onProgress: (d, t) => seen.push([d, t]) });
    for (const j of jobs) feed.add(j);
    await feed.finish();
    const total = jobs.reduce((n, j) => n + j.sizeHint, 0);
    expect(seen.at(-1)).toEqual([total, total]);
    expect(seen.every(([d, t]) => t === total && d <= total)).toBe(true);
  });

  it('cancel() after workers started stops them; nothing is returned or thrown', async () => {
    const feed = new HashFeed({ threads: 2 });
    for (const j of jobs) feed.add(j);
    await expect(feed.cancel()).resolves.toBeUndefined();
  });
});

describe('one file: hashFileSync', () => {
  // sizes around the buffer: empty, one byte, one under, exactly one buffer, one over, several plus a tail
  const sizes = [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES + 12345];
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    for (const n of sizes) {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (i * 7 + n) & 0xff;
      writeFileSync(join(dir, `s${n}.bin`), b);
    }
  });

  it.each(sizes)('%i bytes: the node:crypto digest and the size', (n) => {
    const abs = join(dir, `s${n}.bin`);
    const want = { size: n, digest: createHash('sha256').update(readFileSync(abs)).digest('hex') };
    expect(hashFileSync({ abs, alg: 'sha256' })).toEqual(want);
  });

  it('a large file with a second core allowed (no workers for one file) gives the same digest', async () => {
    const abs = join(dir, 'large.bin');
    const b = Buffer.alloc(16 * 1024 * 1024 + 777);
    for (let i = 0; i < b.length; i += 4096) b[i] = i & 0xff;
    writeFileSync(abs, b);
    const want = { size: b.length, digest: createHash('sha256').update(b).digest('hex') };
    const [r] = await hashFiles([{ abs, alg: 'sha256', sizeHint: b.length }], { threads: 2 });
    expect(r).toEqual(want);
    // a walk that lists one large file: no workers either
    const feed = new HashFeed({ threads: 2 });
    feed.add({ abs, alg: 'sha256', sizeHint: b.length });
    expect(await feed.finish()).toEqual([want]);
  });

  it.each([
    ['a directory', (d: string) => d],
    [
      'a FIFO (opened non-blocking: no hang waiting for a writer)',
      (d: string) => {
        execFileSync('mkfifo', [join(d, 'fifo')]);
        return join(d, 'fifo');
      },
    ],
  ])('%s is an error result, not an empty digest', (_what, make) => {
    const abs = make(tempDir());
    expect(hashFileSync({ abs, alg: 'sha256' })).toEqual({ size: 0, error: `not a regular file: ${abs}` });
  });
});
