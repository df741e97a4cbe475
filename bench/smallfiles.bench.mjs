#!/usr/bin/env node
// Many small files (issue 16): `mlvet scan` of 2,000 small pickles (24 MB, 20 carry os.system), whole
// process, as ratios to the floors measured in the same run (interleaved medians): the bare opcode
// walker (bench/lib/bare-walk.mjs: read + decode opcodes, nothing else), `cat` of the same files, and
// `node -e 0`. picklescan cannot be installed here; its figure from the issue is printed as a reference.
// Then the same scan in-process (the library's scan() and the JSON renderer, after the modules are
// loaded): the first scan of a process, as the CLI runs it (code not yet optimised), and later scans.
//
// MLVET_BENCH_BASELINE=<another built checkout> adds that checkout's rows; MLVET_BENCH_BASE_DIST=<a copy
// of a dist/ directory> does the same for a saved build (laid out beside this checkout's rules, schemas
// and node_modules under bench/.data, so only the code differs). MLVET_BENCH_ROUNDS (default 5).
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, interleaved, load, median } from './lib/measure.mjs';
import { smallPickle } from './lib/pickle-gen.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

/** `--in-process <root> <dir> <warm>`: one child process, prints the scans' seconds as JSON. */
async function inProcess(r, dir, warm) {
  const { scan } = await import(pathToFileURL(join(r, 'dist', 'scan.js')).href);
  const { renderJson } = await import(pathToFileURL(join(r, 'dist', 'reporters', 'json.js')).href);
  const once = async () => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const text = renderJson(await scan({ targets: [dir] }));
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) / 1e6, findings: (JSON.parse(text).findings ?? []).length };
  };
  const first = await once();
  const later = [];
  for (let i = 0; i < warm; i++) later.push(await once());
  console.log(JSON.stringify({ first, later: { wall: median(later.map((x) => x.wall)), cpu: median(later.map((x) => x.cpu)) } }));
}

if (process.argv[2] === '--in-process') {
  await inProcess(process.argv[3], process.argv[4], Number(process.argv[5]));
  process.exit(0);
}

const dir = join(here, '.data', 'smallfiles');
// the same pickles, each after 8 imports of the kinds real sklearn/torch/numpy pickles carry (one in 5 unknown):
// a fact per import, so the rules and the report have work per file
const globalsDir = join(here, '.data', 'smallfiles-globals');
const GLOBALS = [['collections', 'OrderedDict'], ['torch._utils', '_rebuild_tensor_v2'], ['numpy.core.multiarray', '_reconstruct'], ['numpy', 'dtype'], ['numpy', 'ndarray'], ['sklearn.linear_model._base', 'LinearRegression'], ['sklearn.preprocessing._data', 'StandardScaler'], ['builtins', 'set'], ['pandas.core.frame', 'DataFrame'], ['mylib.models', 'Net']];
const withGlobals = (i, b) => Buffer.concat([...Array.from({ length: 8 }, (_, k) => Buffer.from(`c${GLOBALS[(i + k) % GLOBALS.length].join('\n')}\n0`, 'latin1')), b]);
const rounds = Number(process.env.MLVET_BENCH_ROUNDS ?? 5);
const PICKLESCAN = { wall: 0.95, rssMiB: 21 }; // issue 16, picklescan 1.0.5 on Debian's Python, same machine

/** A saved dist/ laid out as a checkout: its own code, this checkout's rules, schemas, docs, package.json. */
function distRoot(dist) {
  const r = join(here, '.data', 'base-dist');
  rmSync(r, { recursive: true, force: true });
  mkdirSync(r, { recursive: true });
  cpSync(resolve(dist), join(r, 'dist'), { recursive: true });
  for (const p of ['package.json', 'rules', 'schemas', 'docs']) symlinkSync(join(root, p), join(r, p));
  return r;
}

// MLVET_BENCH_ROOT=<a built checkout, or a dist/ laid out as one> measures that build as `mlvet` instead of this checkout's dist/
const builds = { mlvet: process.env.MLVET_BENCH_ROOT ? resolve(process.env.MLVET_BENCH_ROOT) : root };
if (process.env.MLVET_BENCH_BASELINE) builds.baseline = resolve(process.env.MLVET_BENCH_BASELINE);
if (process.env.MLVET_BENCH_BASE_DIST) builds['base dist'] = distRoot(process.env.MLVET_BENCH_BASE_DIST);

for (const d of [dir, globalsDir]) {
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
}
let bytes = 0;
for (let i = 0; i < 2000; i++) {
  const b = smallPickle(i, i % 100 === 0, 6500); // ~12 KB each
  bytes += b.length;
  writeFileSync(join(dir, `p${i}.pkl`), b);
  writeFileSync(join(globalsDir, `p${i}.pkl`), withGlobals(i, smallPickle(i, false, 6500)));
}
const node = process.execPath;
// the CLI a user runs: the package's bin (the esbuild bundle) where that build has one, else tsc's main.js
const cliOf = (r) => (existsSync(join(r, 'dist', 'bundle', 'mlvet.mjs')) ? join(r, 'dist', 'bundle', 'mlvet.mjs') : join(r, 'dist', 'cli', 'main.js'));
const scanOf = (r) => ({ cmd: node, args: [cliOf(r), 'scan', dir, '--format', 'json', '--no-progress'], ok: [1] });
const commands = {
  'node -e 0': { cmd: node, args: ['-e', '0'] },
  cat: { cmd: 'sh', args: ['-c', `cat ${dir}/* > /dev/null`] },
  'bare opcode walk': { cmd: node, args: [join(here, 'lib', 'bare-walk.mjs'), dir] },
  ...Object.fromEntries(Object.entries(builds).map(([k, r]) => [`${k === 'mlvet' ? '' : `${k} `}mlvet scan`, scanOf(r)])),
};

/** In-process figures of each build, child processes interleaved (a b a b …), medians. */
function inProcessRows(target, warm) {
  const runs = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++)
    for (const [k, r] of Object.entries(builds)) {
      const c = spawnSync(node, [fileURLToPath(import.meta.url), '--in-process', r, target, String(warm)], { encoding: 'utf8' });
      if (c.status !== 0) throw new Error(`in-process scan with ${r} exited ${c.status}: ${c.stderr}`);
      runs[k].push(JSON.parse(c.stdout));
    }
  return Object.entries(runs).map(([k, rs]) => {
    const m = (f) => median(rs.map(f)).toFixed(3);
    const findings = [...new Set(rs.map((x) => x.first.findings))].join('/');
    return `${`${k} scan()`.padEnd(22)} first in a process ${m((x) => x.first.wall)} s wall, ${m((x) => x.first.cpu)} s CPU; ` +
      `later ${m((x) => x.later.wall)} s wall, ${m((x) => x.later.cpu)} s CPU (median of ${warm}); ${findings} findings`;
  });
}

try {
  console.log(`2,000 small pickles, ${(bytes / 1e6).toFixed(1)} MB; load average before ${load()}; medians of ${rounds} interleaved runs`);
  const m = interleaved(commands, rounds);
  const walk = m['bare opcode walk'];
  for (const [k, v] of Object.entries(m)) {
    const ratios = k.includes('mlvet')
      ? `  ${(v.wall / walk.wall).toFixed(2)}× the bare walk (wall), ${(v.cpu / walk.cpu).toFixed(2)}× (CPU); ` +
        `picklescan reference ${PICKLESCAN.wall} s, ${PICKLESCAN.rssMiB} MiB: ${(PICKLESCAN.wall / v.wall).toFixed(2)}× faster (target 4×)`
      : '';
    console.log(`${k.padEnd(22)} ${fmt(v)}${ratios}`);
  }
  console.log(`in-process, load average ${load()}:`);
  for (const row of inProcessRows(dir, 5)) console.log(row);
  console.log(`in-process, the same pickles after 8 imports each (16,000 pickle.global facts), load average ${load()}:`);
  for (const row of inProcessRows(globalsDir, 3)) console.log(row);
  console.log(`load average after ${load()}`);
} finally {
  if (process.env.MLVET_BENCH_KEEP !== '1') for (const d of [dir, globalsDir]) rmSync(d, { recursive: true, force: true });
  if (builds['base dist']) rmSync(builds['base dist'], { recursive: true, force: true });
}
