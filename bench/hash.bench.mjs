#!/usr/bin/env node
// Hashing throughput: one 1 GiB file and 10,000 small files, as ratios to `openssl dgst -sha256`
// measured in the same run on the same (page-cached) data. mlvet is measured through its library
// (dist/lineage/hash/pool.js: readSync into a reused buffer, worker threads across cores).
// Data is generated under bench/.data/; the big file and the small-file tree are deleted at the end.
// Issue 16 rows: whole-process `mlvet sign` of the 1 GiB file against whole-process `openssl dgst -sha256`
// (target within 1.05×), and 10,000 files on every core against one openssl process (target ≥ 1.6×).
// Env: BENCH_BIG_MIB (default 1024), BENCH_SMALL_FILES (default 10000), BENCH_REPEAT (default 3).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fmt, interleaved } from './lib/measure.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const data = join(here, '.data', 'hash');
const BIG_MIB = Number(process.env.BENCH_BIG_MIB ?? 1024);
const SMALL = Number(process.env.BENCH_SMALL_FILES ?? 10000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const { hashFiles } = await import(join(here, '..', 'dist', 'lineage', 'hash', 'pool.js'));

function writeBig(path, mib) {
  const block = randomFillSync(Buffer.alloc(16 << 20));
  const fd = openSync(path, 'w');
  for (let i = 0; i < mib / 16; i++) {
    block[0] = i & 0xff; // blocks differ, so nothing dedups
    writeSync(fd, block);
  }
  closeSync(fd);
}

function writeSmall(dir, n) {
  const pool = randomFillSync(Buffer.alloc(1 << 20));
  const paths = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const sub = join(dir, String(i % 100).padStart(2, '0'));
    if (i < 100) mkdirSync(sub, { recursive: true });
    const size = 1024 + ((i * 7919) % (96 * 1024)); // 1–97 KiB, deterministic
    const p = join(sub, `f${i}.bin`);
    const fd = openSync(p, 'w');
    writeSync(fd, pool, (i * 131) % (pool.length - size), size);
    closeSync(fd);
    paths.push({ abs: p, size });
    bytes += size;
  }
  return { paths, bytes };
}

const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

function best(fn) {
  let b = Infinity;
  for (let i = 0; i < REPEAT; i++) b = Math.min(b, fn());
  return b;
}

async function bestAsync(fn) {
  let b = Infinity;
  for (let i = 0; i < REPEAT; i++) b = Math.min(b, await fn());
  return b;
}

function opensslSecs(args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', `openssl dgst -sha256 ${args} > /dev/null`], { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('openssl failed');
  return secs(t0);
}

async function mlvetSecs(jobs, threads) {
  const t0 = process.hrtime.bigint();
  const r = await hashFiles(jobs, { threads });
  const s = secs(t0);
  if (r.some((x) => x.error)) throw new Error(r.find((x) => x.error).error);
  return s;
}

const mbps = (bytes, s) => bytes / 1e6 / s;
const row = (label, bytes, s, base) => console.log(`  ${label.padEnd(34)} ${mbps(bytes, s).toFixed(0).padStart(6)} MB/s  ${(base / s).toFixed(2)}× openssl`);

mkdirSync(data, { recursive: true });
console.log(`cores ${availableParallelism()}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}, ${execFileSync('openssl', ['version']).toString().trim()}; best of ${REPEAT}`);
const big = join(data, 'big.bin');
const smallDir = join(data, 'small');
try {
  writeBig(big, BIG_MIB);
  const bigBytes = BIG_MIB * 1024 * 1024;
  opensslSecs(JSON.stringify(big)); // warm the page cache for both
  const o1 = best(() => opensslSecs(JSON.stringify(big)));
  const bigJob = [{ abs: big, alg: 'sha256', sizeHint: bigBytes }];
  const m1 = await bestAsync(() => mlvetSecs(bigJob, 1));
  console.log(`one ${BIG_MIB} MiB file (sha256):`);
  row('openssl dgst -sha256', bigBytes, o1, o1);
  row('mlvet (readSync, 2 MiB buffer)', bigBytes, m1, o1);
  // whole process, as a user runs it: start-up included
  const cli = join(here, '..', 'dist', 'cli', 'main.js');
  const key = join(data, 'bench');
  spawnSync(process.execPath, [cli, 'keygen', '--out', key, '--force'], { stdio: 'ignore' });
  const signDir = join(data, 'sign');
  mkdirSync(signDir, { recursive: true });
  rmSync(join(signDir, 'big.bin'), { force: true });
  execFileSync('ln', [big, join(signDir, 'big.bin')]);
  const w = interleaved({
    openssl: { cmd: 'openssl', args: ['dgst', '-sha256', big] },
    sign: { cmd: process.execPath, args: [cli, 'sign', signDir, '--key', `${key}.key`, '--out', join(data, 'm.json'), '--no-progress'] },
  }, REPEAT);
  console.log(`  whole process: mlvet sign ${fmt(w.sign)}; openssl dgst -sha256 ${fmt(w.openssl)}; ` +
    `${(w.sign.wall / w.openssl.wall).toFixed(3)}× openssl's time (wall), ${(w.sign.cpu / w.openssl.cpu).toFixed(3)}× (CPU); issue 16 before: 1.26×`);
  rmSync(signDir, { recursive: true, force: true });

  rmSync(smallDir, { recursive: true, force: true });
  const { paths, bytes } = writeSmall(smallDir, SMALL);
  const cmd = `$(find . -type f -name '*.bin' | sort)`;
  opensslSecs(cmd, smallDir);
  const o2 = best(() => opensslSecs(cmd, smallDir));
  const jobs = paths.map((p) => ({ abs: p.abs, alg: 'sha256', sizeHint: p.size }));
  const seq = await bestAsync(() => mlvetSecs(jobs, 1));
  const par = await bestAsync(() => mlvetSecs(jobs, availableParallelism()));
  console.log(`${SMALL} small files, ${(bytes / 1e6).toFixed(0)} MB (sha256):`);
  row('openssl dgst -sha256 (one process)', bytes, o2, o2);
  row('mlvet sequential', bytes, seq, o2);
  row(`mlvet parallel, ${availableParallelism()} threads`, bytes, par, o2);
  console.log('  (target for the parallel row: at least 1.60× openssl)');
} finally {
  rmSync(big, { force: true });
  rmSync(smallDir, { recursive: true, force: true });
  rmSync(join(data, 'bench.key'), { force: true });
  rmSync(join(data, 'bench.pub'), { force: true });
  rmSync(join(data, 'm.json'), { force: true });
}
