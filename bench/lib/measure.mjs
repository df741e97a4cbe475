// Whole-process measurement for the benches: wall seconds, CPU seconds (user + system) and peak RSS of
// one command, through GNU time; medians over interleaved rounds, so every row and its baseline see
// the same machine load. On a shared machine CPU seconds are the steadier figure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

/** Run `cmd args` once (stdout discarded); `ok` lists the exit codes that are not failures. */
export function timeProcess(cmd, args, { cwd, ok = [0], stdin } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mlvet-bench-'));
  const out = join(dir, 'time');
  try {
    const t0 = process.hrtime.bigint();
    const r = existsSync(GNU_TIME)
      ? spawnSync(GNU_TIME, ['-o', out, '-f', '%U %S %M', cmd, ...args], { cwd, stdio: [stdin ?? 'ignore', 'ignore', 'pipe'] })
      : spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (!ok.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (!existsSync(out)) return { wall, cpu: NaN, rssMiB: NaN };
    const [u, s, m] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    return { wall, cpu: u + s, rssMiB: m / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/**
 * Run each named command `rounds` times, interleaved (a, b, c, a, b, c, …) after one warm-up each;
 * returns name → { wall, cpu, rssMiB } medians.
 */
export function interleaved(commands, rounds) {
  const runs = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (const [, c] of Object.entries(commands)) timeProcess(c.cmd, c.args, c);
  for (let i = 0; i < rounds; i++) for (const [k, c] of Object.entries(commands)) runs[k].push(timeProcess(c.cmd, c.args, c));
  return Object.fromEntries(Object.entries(runs).map(([k, rs]) => [k, { wall: median(rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)), rssMiB: median(rs.map((r) => r.rssMiB)) }]));
}

export const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

export const fmt = (m) => `${m.wall.toFixed(3)} s wall, ${m.cpu.toFixed(3)} s CPU, ${m.rssMiB.toFixed(0)} MiB`;
