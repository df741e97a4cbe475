#!/usr/bin/env node
// Pickle scan throughput (issue 2), each figure as a ratio to raw read speed (`cat`) measured in the
// same run, plus peak RSS. Data is generated under bench/.data/ and removed afterwards
// (MLVET_BENCH_KEEP=1 keeps it). MLVET_BENCH_SMALL=1 uses 1/8-size inputs.
// MLVET_BENCH_BASELINE=<another built checkout> also runs that checkout's mlvet, interleaved with this
// one (baseline, ours, baseline, ours, …), and prints both medians (wall and CPU) and the load average:
// on a shared machine CPU seconds are the steadier figure. MLVET_BENCH_ROUNDS sets the runs (default 3).
// A baseline root needs dist/, rules/, schemas/, package.json and bench/lib/scan-run.mjs (copy today's
// dist/ there before a change; node_modules may be a symlink). MLVET_BENCH_CANDIDATE=<root> measures
// that root instead of this checkout as "ours". The last lines compare peak RSS of the 12 MB and the
// 100 MB dense rows: flat in the pickle's size is the target (issue 16). Whole-process rows run both
// dist/cli/main.js and the package's bin (package.json "bin": the esbuild bundle), which starts faster.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigBytesPickle, densePickle, smallPickle } from './lib/pickle-gen.mjs';
import { fmt, interleaved } from './lib/measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const data = join(here, '.data', 'pickle');
const small = process.env.MLVET_BENCH_SMALL === '1';
const baseline = process.env.MLVET_BENCH_BASELINE;
const rounds = Number(process.env.MLVET_BENCH_ROUNDS ?? 3);
const ours = process.env.MLVET_BENCH_CANDIDATE ?? join(here, '..');
/** row name → { ours, baseline } peak RSS (MiB): in-process and whole-process */
const rss = {};
mkdirSync(data, { recursive: true });

function timeCmd(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} failed`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
function mlvet(targets, root = ours) {
  const r = spawnSync(process.execPath, [join(root, 'bench', 'lib', 'scan-run.mjs'), ...targets], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}
/** The `mlvet` bin of a root's package.json (the esbuild bundle), as a user's `mlvet` runs it. */
function packageBin(root) {
  const bin = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin;
  return typeof bin === 'string' ? bin : bin.mlvet;
}
function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }
/**
 * Whole process, as a user runs it: `mlvet scan` against the bare opcode walker (bench/lib/bare-walk.mjs,
 * the floor) over the same input, interleaved, with picklescan's figure from issue 16 as a reference.
 */
function wholeProcess(targets, picklescan, name) {
  const cli = (r, main = join('dist', 'cli', 'main.js')) => ({ cmd: process.execPath, args: [join(r, main), 'scan', ...targets, '--format', 'json', '--no-progress'], ok: [0, 1, 2] });
  const m = interleaved({
    walk: { cmd: process.execPath, args: [join(here, 'lib', 'bare-walk.mjs'), ...targets] },
    mlvet: cli(ours),
    bin: cli(ours, packageBin(ours)),
    ...(baseline ? { baseline: cli(baseline), baselineBin: cli(baseline, packageBin(baseline)) } : {}),
  }, rounds);
  const ref = picklescan ? `; picklescan reference ${picklescan.wall} s, ${picklescan.rssMiB} MiB: mlvet ${(picklescan.wall / m.mlvet.wall).toFixed(1)}× faster` : '';
  console.log(`${''.padEnd(34)} whole process: mlvet ${fmt(m.mlvet)}; bare walk ${fmt(m.walk)}; ` +
    `${(m.mlvet.wall / m.walk.wall).toFixed(2)}× the walk (wall), ${(m.mlvet.cpu / m.walk.cpu).toFixed(2)}× (CPU)${ref}`);
  const binRef = picklescan ? `; picklescan ${(picklescan.wall / m.bin.wall).toFixed(1)}× slower` : '';
  console.log(`${''.padEnd(34)} whole process, the package's bin (${packageBin(ours)}): ${fmt(m.bin)}${binRef}`);
  if (m.baseline) console.log(`${''.padEnd(34)} whole process, baseline: ${fmt(m.baseline)}; its bin: ${fmt(m.baselineBin)}`);
  if (rss[name]) Object.assign(rss[name], { wholeOurs: m.mlvet.rssMiB, wholeBaseline: m.baseline?.rssMiB });
}

function run(name, targets, catArgs, bytes, note, picklescan) {
  const cat = [], ours = [], oursCpu = [], base = [], baseCpu = [];
  let last, lastBase;
  for (let i = 0; i < rounds; i++) {
    cat.push(timeCmd('sh', ['-c', `cat ${catArgs} > /dev/null`]));
    if (baseline) {
      const b = (lastBase = mlvet(targets, baseline));
      base.push(b.secs);
      baseCpu.push(b.cpu);
    }
    last = mlvet(targets);
    ours.push(last.secs);
    oursCpu.push(last.cpu);
  }
  const c = median(cat), o = median(ours);
  console.log(`${name.padEnd(34)} mlvet ${o.toFixed(3)} s (in-process), cat ${c.toFixed(3)} s, ratio ${(o / c).toFixed(2)}x cat; ` +
    `${(bytes / 1e6 / o).toFixed(0)} MB/s; peak RSS ${last.maxRssMiB.toFixed(0)} MiB; findings ${last.findings}, inconclusive ${last.inconclusive}. ${note}`);
  if (baseline) {
    const b = median(base), bc = median(baseCpu), oc = median(oursCpu);
    console.log(`${''.padEnd(34)} baseline ${b.toFixed(3)} s / ${bc.toFixed(3)} s CPU, this ${o.toFixed(3)} s / ${oc.toFixed(3)} s CPU ` +
      `(medians of ${rounds}, interleaved); CPU ratio ${(oc / bc).toFixed(3)}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  }
  rss[name] = { ours: last.maxRssMiB, baseline: baseline ? lastBase.maxRssMiB : undefined };
  wholeProcess(targets, picklescan, name);
}

/** Peak RSS of the small and the large dense row: the ratio is 1 when memory is flat in the pickle's size. */
function rssSummary(smallRow, bigRow) {
  const a = rss[smallRow], b = rss[bigRow];
  if (!a || !b) return;
  const line = (who, x, y) => `${who} ${x.toFixed(0)} → ${y.toFixed(0)} MiB (${(y / x).toFixed(2)}×)`;
  console.log(`peak RSS, ${smallRow.split(' ').slice(0, 3).join(' ')} → ${bigRow.split(' ').slice(0, 3).join(' ')}: in-process ${line('mlvet', a.ours, b.ours)}` +
    (a.baseline ? `, ${line('baseline', a.baseline, b.baseline)}` : ''));
  console.log(`${''.padEnd(34)} whole process ${line('mlvet', a.wholeOurs, b.wholeOurs)}` + (a.wholeBaseline ? `, ${line('baseline', a.wholeBaseline, b.wholeBaseline)}` : '') +
    `; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

const big = join(data, 'big-bytes.pkl');
const bigSize = small ? 128 << 20 : 1 << 30;
bigBytesPickle(big, bigSize);
run(`(a) ${bigSize >> 20} MiB BINBYTES8 payload`, [big], big, statSync(big).size, '', small ? undefined : { wall: 0.86, rssMiB: 1045 });
rmSync(big, { force: true });

// the issue 16 case: 12 MB, 280k dicts
const dense12 = join(data, 'dense-12mb.pkl');
const n12 = densePickle(dense12, 12e6);
const row12 = `(b12) 12 MB opcode-dense (${n12} dicts)`;
run(row12, [dense12], dense12, statSync(dense12).size, '', { wall: 6.4, rssMiB: 638 });
rmSync(dense12, { force: true });

const dense = join(data, 'dense.pkl');
const n = densePickle(dense, small ? 12e6 : 100e6);
const rowBig = `(b) ${(statSync(dense).size / 1e6).toFixed(0)} MB opcode-dense (${n} dicts)`;
run(rowBig, [dense], dense, statSync(dense).size, 'reference: picklescan ~270 s / 5 GiB for 110 MB');
rssSummary(row12, rowBig);

const dir = join(data, 'corpus');
mkdirSync(dir, { recursive: true });
let total = 0;
for (let i = 0; i < 2000; i++) { const b = smallPickle(i, i % 100 === 0); total += b.length; writeFileSync(join(dir, `p${i}.pkl`), b); }
run('(c) 2,000 small pickles (9 KB each)', [dir], `${dir}/*`, total, '20 carry os.system; the 24 MB corpus of issue 16 is in smallfiles.bench.mjs');

if (process.env.MLVET_BENCH_KEEP !== '1') rmSync(data, { recursive: true, force: true });
