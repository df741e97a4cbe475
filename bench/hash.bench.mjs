#!/usr/bin/env node
// Hashing throughput: one 1 GiB file and 10,000 small files, as ratios to `openssl dgst -sha256`
// measured in the same run on the same (page-cached) data. mlvet is measured through its library
// (dist/lineage/hash/pool.js: readSync into one reused 128 KiB buffer per thread, worker threads
// across cores for many files) and as a whole process (`mlvet sign`).
// Data is generated under bench/.data/; the big file and the small-file tree are deleted at the end.
// Issue 16 rows: whole-process `mlvet sign` of the 1 GiB file against whole-process `openssl dgst -sha256`
// (target within 1.05×), and 10,000 files on every core against one openssl process (target ≥ 1.6×).
// Every row is a median over interleaved rounds (openssl, mlvet, baseline, openssl, …) with wall and
// CPU seconds (user + system, all threads); the load average is printed beside each block.
// Env: BENCH_BIG_MIB (default 1024), BENCH_SMALL_FILES (default 10000), BENCH_REPEAT (default 3),
// BENCH_BASE_DIST: the dist/ of an earlier build, run beside this one as "base" (its parent directory
// must hold package.json, schemas/ and node_modules/, as a checkout does).
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { interleaved, load, median, timeProcess } from './lib/measure.mjs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const data = join(here, '.data', 'hash');
const BIG_MIB = Number(process.env.BENCH_BIG_MIB ?? 1024);
const SMALL = Number(process.env.BENCH_SMALL_FILES ?? 10000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const dists = { mlvet: join(here, '..', 'dist') };
if (process.env.BENCH_BASE_DIST) {
  const base = resolve(process.env.BENCH_BASE_DIST);
  for (const need of ['package.json', 'schemas', 'node_modules'])
    if (!existsSync(join(base, '..', need))) throw new Error(`BENCH_BASE_DIST=${base}: ${join(base, '..', need)} is missing (the dist/ must sit in a package root)`);
  dists.base = base;
}
const libs = {};
for (const [name, dist] of Object.entries(dists)) libs[name] = await import(join(dist, 'lineage', 'hash', 'pool.js'));

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

const cpuSecs = (u) => (u.user + u.system) / 1e6;

/** One library call: wall and CPU seconds (this process, every thread). */
async function libRun(lib, jobs, threads) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await lib.hashFiles(jobs, { threads });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.some((x) => x.error)) throw new Error(r.find((x) => x.error).error);
  return { wall, cpu: cpuSecs(process.cpuUsage(c0)) };
}

/** `openssl` (a shell command line) and every dist's library call, interleaved; name → medians. */
async function libRows(opensslCmd, cwd, jobs, threads) {
  const runs = { openssl: [] };
  const openssl = () => timeProcess('sh', ['-c', `${opensslCmd} > /dev/null`], { cwd });
  openssl();
  for (const lib of Object.values(libs)) await libRun(lib, jobs, threads); // warm-up
  for (let i = 0; i < REPEAT; i++) {
    runs.openssl.push(openssl());
    for (const [name, lib] of Object.entries(libs)) (runs[name] ??= []).push(await libRun(lib, jobs, threads));
  }
  return Object.fromEntries(Object.entries(runs).map(([k, rs]) => [k, { wall: median(rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)), best: Math.min(...rs.map((r) => r.wall)) }]));
}

const mbps = (bytes, s) => bytes / 1e6 / s;
const row = (label, bytes, m, base) =>
  console.log(`  ${label.padEnd(40)} ${mbps(bytes, m.wall).toFixed(0).padStart(6)} MB/s  ${m.wall.toFixed(3)} s wall (best ${(m.best ?? m.wall).toFixed(3)}), ${m.cpu.toFixed(3)} s CPU  ${(base.wall / m.wall).toFixed(2)}× openssl (wall)`);
const rows = (label, bytes, ms) => {
  for (const [name, m] of Object.entries(ms)) row(name === 'openssl' ? 'openssl dgst -sha256 (one process)' : `${name} ${label}`, bytes, m, ms.openssl);
};

/** the CLI a user runs: the package's bin (the esbuild bundle) when that dist has one, else tsc's main.js */
const cliOf = (dist) => (existsSync(join(dist, 'bundle', 'mlvet.mjs')) ? join(dist, 'bundle', 'mlvet.mjs') : join(dist, 'cli', 'main.js'));

/** Whole-process `mlvet sign <dir>` for every dist and `openssl <args>`, interleaved; prints one line per command. */
function signRows(label, dir, opensslArgs, opensslCwd) {
  const key = join(data, 'bench');
  const cmds = { openssl: { cmd: 'sh', args: ['-c', `openssl dgst -sha256 ${opensslArgs} > /dev/null`], cwd: opensslCwd } };
  for (const [name, dist] of Object.entries(dists))
    cmds[name] = { cmd: process.execPath, args: [cliOf(dist), 'sign', dir, '--key', `${key}.key`, '--out', join(data, `m-${name}.json`), '--no-progress'] };
  console.log(`  whole process, ${label} (load ${load()}):`);
  const w = interleaved(cmds, REPEAT);
  for (const [name, m] of Object.entries(w))
    console.log(`    ${(name === 'openssl' ? 'openssl dgst -sha256' : `${name} sign`).padEnd(22)} ${m.wall.toFixed(3)} s wall, ${m.cpu.toFixed(3)} s CPU, ${m.rssMiB.toFixed(0)} MiB` +
      (name === 'openssl' ? '' : `  ${(m.wall / w.openssl.wall).toFixed(3)}× openssl's time (wall), ${(m.cpu / w.openssl.cpu).toFixed(3)}× (CPU)`));
  console.log(`  (load ${load()})`);
}

mkdirSync(data, { recursive: true });
console.log(`cores ${availableParallelism()}, load average ${load()}, ${execFileSync('openssl', ['version']).toString().trim()}; medians of ${REPEAT} interleaved rounds`);
const big = join(data, 'big.bin');
const smallDir = join(data, 'small');
const signDir = join(data, 'sign');
try {
  execFileSync(process.execPath, [join(here, '..', 'dist', 'cli', 'main.js'), 'keygen', '--out', join(data, 'bench'), '--force'], { stdio: 'ignore' });
  writeBig(big, BIG_MIB);
  const bigBytes = BIG_MIB * 1024 * 1024;
  const bigJob = [{ abs: big, alg: 'sha256', sizeHint: bigBytes }];
  console.log(`one ${BIG_MIB} MiB file (sha256), load ${load()}:`);
  // every core allowed: one file is still one thread's reads and hash
  rows('library, one file', bigBytes, await libRows(`openssl dgst -sha256 ${JSON.stringify(big)}`, data, bigJob, availableParallelism()));
  // whole process, as a user runs it: start-up included
  mkdirSync(signDir, { recursive: true });
  rmSync(join(signDir, 'big.bin'), { force: true });
  execFileSync('ln', [big, join(signDir, 'big.bin')]);
  signRows(`one ${BIG_MIB} MiB file (target within 1.05×; issue 16 before: 1.26×)`, signDir, JSON.stringify(big), data);
  rmSync(signDir, { recursive: true, force: true });

  rmSync(smallDir, { recursive: true, force: true });
  const { paths, bytes } = writeSmall(smallDir, SMALL);
  const list = `$(find . -type f -name '*.bin' | sort)`;
  const jobs = paths.map((p) => ({ abs: p.abs, alg: 'sha256', sizeHint: p.size }));
  console.log(`${SMALL} small files, ${(bytes / 1e6).toFixed(0)} MB (sha256), load ${load()}:`);
  rows('sequential', bytes, await libRows(`openssl dgst -sha256 ${list}`, smallDir, jobs, 1));
  rows(`parallel, ${availableParallelism()} threads`, bytes, await libRows(`openssl dgst -sha256 ${list}`, smallDir, jobs, availableParallelism()));
  console.log(`  (target for the parallel rows: at least 1.60× openssl; load ${load()})`);
  signRows(`${SMALL} files, walk and manifest included`, smallDir, list, smallDir);
} finally {
  rmSync(big, { force: true });
  rmSync(signDir, { recursive: true, force: true });
  rmSync(smallDir, { recursive: true, force: true });
  for (const f of ['bench.key', 'bench.pub', ...Object.keys(dists).map((n) => `m-${n}.json`)]) rmSync(join(data, f), { force: true });
}
