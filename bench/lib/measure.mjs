// Whole-process measurement for the benches: wall seconds, CPU seconds (user + system) and peak RSS of
// one command, through GNU time; medians over interleaved rounds, so every row and its baseline see
// the same machine load. On a shared machine CPU seconds are the steadier figure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
const BASH = '/bin/bash';

// GNU time prints CPU seconds to 10 ms, too coarse for a 0.1 s start-up; bash's `times` gives the
// children's user and system time to the millisecond (GNU time's own share, 1-2 ms, is in
// every row alike), and GNU time still gives the peak RSS.
const TIMED = '"$@"; s=$?; times > "$MLVET_TIMES_OUT"; exit $s';
const secs = (t) => {
  const m = /^(\d+)m([\d.]+)s$/.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/** Run `cmd args` once (stdout discarded); `ok` lists the exit codes that are not failures. */
export function timeProcess(cmd, args, { cwd, ok = [0], stdin, env } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mlvet-bench-'));
  const out = join(dir, 'time');
  const times = join(dir, 'times');
  try {
    const timed = existsSync(GNU_TIME) ? [GNU_TIME, '-o', out, '-f', '%U %S %M', cmd, ...args] : [cmd, ...args];
    const viaBash = existsSync(BASH);
    const t0 = process.hrtime.bigint();
    const r = viaBash
      ? spawnSync(BASH, ['-c', TIMED, 'mlvet-bench', ...timed], { cwd, env: { ...(env ?? process.env), MLVET_TIMES_OUT: times }, stdio: [stdin ?? 'ignore', 'ignore', 'pipe'] })
      : spawnSync(timed[0], timed.slice(1), { cwd, env, stdio: [stdin ?? 'ignore', 'ignore', 'pipe'] });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    if (!ok.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    const [u, s, m] = existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
    // second line of `times`: the children's user and system time
    const child = existsSync(times) ? readFileSync(times, 'utf8').trim().split('\n')[1]?.split(' ').map(secs) : undefined;
    const cpu = child && child.every(Number.isFinite) ? child[0] + child[1] : u + s;
    return { wall, cpu, rssMiB: m / 1024 };
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
