#!/usr/bin/env node
// `npm run bench -- validate` (issue 13): on the real flights-3m.parquet from the npm package
// vega-datasets and the same rows as CSV (converted once by DuckDB into bench/.data/), in one run:
//   mlvet `profile` and `validate --baseline` (spawned `node dist/cli/main.js` under /usr/bin/time:
//   wall seconds, rows/s, peak RSS); DuckDB SUMMARIZE + exact duplicate count (its own process);
//   pandas (Debian python3-pandas) read_csv + describe(include='all') + isna + duplicated +
//   value_counts + quantiles; the ratios the issue targets; peak RSS at 1M → 3M → 30M rows; a 7-expectation
//   GX suite (`validate --suite --no-poisoning`) on both files, which runs the JS evaluator over mlvet's readers.
// Then the real-data calibration (scripts/realdata-calibrate.ts): false alarms on clean splits over
// MLVET_BENCH_SEEDS seeds (default 20) and the attack detection table (MLVET_BENCH_ATTACK_SEEDS, 5).
// MLVET_BENCH_PART=perf|calibration runs one half. Build first (npm run build).
// MLVET_BENCH_BEFORE=js runs every mlvet task a second time right after, on the streaming JS loop
// (MLVET_ENGINE=js, decision 0011): before/after interleaved in one run. CPU is user + sys of the process.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DATA, prepare, ROOT } from './lib/data-flights.mjs';

// MLVET_BENCH_CLI: another build's main.js (e.g. a checkout of the previous release) for before/after
// default: the package's bin (the esbuild bundle), else tsc's main.js
const CLI = process.env.MLVET_BENCH_CLI ?? (existsSync(join(ROOT, 'dist', 'bundle', 'mlvet.mjs')) ? join(ROOT, 'dist', 'bundle', 'mlvet.mjs') : join(ROOT, 'dist', 'cli', 'main.js'));
const PART = process.env.MLVET_BENCH_PART ?? 'all';
console.log(`uptime: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);

/** run a command under /usr/bin/time: wall seconds and peak RSS (MB) */
function timed(cmd, args, opts = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', 'MLVET_TIME %e %M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 256 << 20, cwd: ROOT, ...opts });
  const m = /MLVET_TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${(r.stderr ?? '').slice(-2000)}`);
  const cpu = Number(m[3]) + Number(m[4]);
  console.log(`    [${basename(cmd)} ${args.slice(0, 2).map((a) => basename(a)).join(' ')}${opts.env?.MLVET_ENGINE ? ` MLVET_ENGINE=${opts.env.MLVET_ENGINE}` : ''}: ${m[1]} s wall, ${cpu.toFixed(2)} s CPU, ${(Number(m[2]) / 1024).toFixed(0)} MB]`);
  return { seconds: Number(m[1]), cpu, rssMb: Number(m[2]) / 1024, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');
const rate = (rows, s) => `${fmt(rows / s)} rows/s`;
const row = (cells) => `| ${cells.join(' | ')} |`;

const GX_SUITE = {
  name: 'flights',
  expectations: [
    { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'origin' }, meta: {} },
    { type: 'expect_column_values_to_be_between', kwargs: { column: 'distance', min_value: 0, max_value: 6000 }, meta: {} },
    { type: 'expect_column_values_to_be_between', kwargs: { column: 'delay', min_value: -100, max_value: 2000, mostly: 0.99 }, meta: {} },
    { type: 'expect_column_values_to_match_regex', kwargs: { column: 'origin', regex: '^[A-Z]{3}$' }, meta: {} },
    { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'destination', value_set: ['ATL', 'LAX', 'ORD', 'DFW', 'PHX', 'LAS', 'SFO', 'DEN', 'IAH', 'DTW'], mostly: 0.1 }, meta: {} },
    { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1000, max_value: 100000000 }, meta: {} },
    { type: 'expect_column_mean_to_be_between', kwargs: { column: 'distance', min_value: 100, max_value: 2000 }, meta: {} },
  ],
  meta: { great_expectations_version: '1.2.0' },
};

const PANDAS = `
import json, sys, time
import pandas as pd
t = time.time()
df = pd.read_csv(sys.argv[1])
d = df.describe(include='all')
na = df.isna().sum()
dup = int(df.duplicated().sum())
vc = {c: df[c].value_counts().head(20).to_dict() for c in df.columns if df[c].dtype == object}
q = df.select_dtypes('number').quantile([.001, .01, .25, .5, .75, .99, .999])
print(json.dumps({'seconds': time.time() - t, 'rows': len(df), 'duplicates': dup}))
`;

/** mlvet in a child process; exit 2/3 (inconclusive, error) is not a measurement, so it stops the bench */
function mlvet(args) {
  const r = timed(process.execPath, [CLI, ...args]);
  if (process.env.MLVET_BENCH_BEFORE === 'js') timed(process.execPath, [CLI, ...args], { env: { ...process.env, MLVET_ENGINE: 'js' } });
  if (r.code !== 0 && r.code !== 1) throw new Error(`mlvet ${args.join(' ')}: exit ${r.code}\n${r.stderr.slice(-1500)}`);
  return r;
}

function validateRun(file, baseline, tag) {
  const out = join(DATA, `report-${tag}.json`);
  const r = mlvet(['validate', file, '--baseline', baseline, '--format', 'json', '--output', out]);
  let findings = '?';
  try {
    findings = JSON.parse(readFileSync(out, 'utf8')).findings.map((f) => f.ruleId.replace('validation/', '')).join(', ') || 'none';
  } catch {
    findings = `no report (exit ${r.code}): ${r.stderr.slice(-300)}`;
  }
  return { ...r, findings };
}

function perf(f) {
  const baseline = join(DATA, 'flights-baseline.json');
  // each row printed as soon as it is measured (a slow machine shows progress)
  const lines = { push: (l) => console.log(l) };
  lines.push('| task | rows | time | rate | peak RSS | exit |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  const prof = mlvet(['profile', f.baseline15m, '--out', baseline]);
  lines.push(row(['mlvet `profile`, Parquet', '1,500,000', `${prof.seconds.toFixed(1)} s`, rate(1.5e6, prof.seconds), `${fmt(prof.rssMb)} MB`, prof.code]));
  const profCsv = mlvet(['profile', f.csv3m, '--out', join(DATA, 'flights-baseline-csv.json')]);
  lines.push(row(['mlvet `profile`, CSV', '3,000,000', `${profCsv.seconds.toFixed(1)} s`, rate(3e6, profCsv.seconds), `${fmt(profCsv.rssMb)} MB`, profCsv.code]));
  const vp = validateRun(f.parquet3m, baseline, 'parquet-3m');
  lines.push(row(['mlvet `validate --baseline`, Parquet', '3,000,000', `${vp.seconds.toFixed(1)} s`, rate(3e6, vp.seconds), `${fmt(vp.rssMb)} MB`, vp.code]));
  const vc = validateRun(f.csv3m, baseline, 'csv-3m');
  lines.push(row(['mlvet `validate --baseline`, CSV', '3,000,000', `${vc.seconds.toFixed(1)} s`, rate(3e6, vc.seconds), `${fmt(vc.rssMb)} MB`, vc.code]));
  // a GX suite of the kinds teams write (null, range with mostly, regex, set, row count, mean) through the JS evaluator
  const suite = join(DATA, 'flights-gx-suite.json');
  writeFileSync(suite, JSON.stringify(GX_SUITE));
  const gp = mlvet(['validate', f.parquet3m, '--suite', suite, '--no-poisoning', '--format', 'json', '--output', join(DATA, 'report-gx-parquet.json')]);
  lines.push(row(['mlvet `validate --suite` (GX, 7 expectations), Parquet', '3,000,000', `${gp.seconds.toFixed(1)} s`, rate(3e6, gp.seconds), `${fmt(gp.rssMb)} MB`, gp.code]));
  const gc = mlvet(['validate', f.csv3m, '--suite', suite, '--no-poisoning', '--format', 'json', '--output', join(DATA, 'report-gx-csv.json')]);
  lines.push(row(['mlvet `validate --suite` (GX, 7 expectations), CSV', '3,000,000', `${gc.seconds.toFixed(1)} s`, rate(3e6, gc.seconds), `${fmt(gc.rssMb)} MB`, gc.code]));
  const duckRun = (file) => {
    const r = timed(process.execPath, [join(ROOT, 'bench', 'lib', 'data-flights.mjs'), 'summarize', file]);
    return { ...r, j: JSON.parse(r.stdout.trim().split('\n').pop()) };
  };
  const dp = duckRun(f.parquet3m);
  lines.push(row(['DuckDB SUMMARIZE + exact duplicates, Parquet', fmt(dp.j.rows), `${dp.seconds.toFixed(1)} s`, rate(dp.j.rows, dp.seconds), `${fmt(dp.rssMb)} MB`, `${dp.j.duplicates} dup`]));
  const dc = duckRun(f.csv3m);
  lines.push(row(['DuckDB SUMMARIZE + exact duplicates, CSV', fmt(dc.j.rows), `${dc.seconds.toFixed(1)} s`, rate(dc.j.rows, dc.seconds), `${fmt(dc.rssMb)} MB`, `${dc.j.duplicates} dup`]));
  let pandas;
  if (spawnSync('/usr/bin/python3', ['-c', 'import pandas'], { encoding: 'utf8' }).status !== 0) {
    lines.push(row(['pandas', '–', 'skipped: /usr/bin/python3 cannot import pandas (apt-get install python3-pandas)', '', '', '']));
  } else {
    pandas = timed('/usr/bin/python3', ['-c', PANDAS, f.csv3m]);
    const j = JSON.parse(pandas.stdout.trim().split('\n').pop());
    lines.push(row(['pandas read_csv + describe/isna/duplicated/value_counts/quantiles, CSV', fmt(j.rows), `${pandas.seconds.toFixed(1)} s`, rate(j.rows, pandas.seconds), `${fmt(pandas.rssMb)} MB`, `${j.duplicates} dup`]));
  }
  console.log('\nratios (targets: validate/DuckDB on Parquet ≤ 1.5; pandas/mlvet on CSV ≥ 3):');
  console.log(`  mlvet validate Parquet / DuckDB Parquet: ${(vp.seconds / dp.seconds).toFixed(2)}× wall, ${(vp.cpu / dp.cpu).toFixed(2)}× CPU`);
  if (pandas) console.log(`  pandas CSV / mlvet validate CSV: ${(pandas.seconds / vc.seconds).toFixed(2)}× wall, ${(pandas.cpu / vc.cpu).toFixed(2)}× CPU (mlvet is that many times faster)`);
  console.log(`\nfindings on the 3M file vs the 1.5M baseline: Parquet: ${vp.findings}; CSV: ${vc.findings}`);

  console.log('\npeak RSS vs rows (validate --baseline, Parquet; target: flat):');
  const v1 = validateRun(f.parquet1m, baseline, 'parquet-1m');
  const v30 = validateRun(f.parquet30m, baseline, 'parquet-30m');
  const rssLines = ['| rows | time | rate | peak RSS |', '| ---: | ---: | ---: | ---: |'];
  for (const [n, r] of [[1e6, v1], [3e6, vp], [3e7, v30]]) rssLines.push(row([fmt(n), `${r.seconds.toFixed(1)} s`, rate(n, r.seconds), `${fmt(r.rssMb)} MB`]));
  console.log(rssLines.join('\n'));
  console.log(`  30M / 1M peak RSS: ${(v30.rssMb / v1.rssMb).toFixed(2)}× for 30× the rows`);
}

function calibration() {
  const seeds = process.env.MLVET_BENCH_SEEDS ?? '20';
  const attackSeeds = process.env.MLVET_BENCH_ATTACK_SEEDS ?? '5';
  console.log(`\nreal-data calibration: ${seeds} seeds (clean), ${attackSeeds} seeds (attacks), every batch size`);
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vite-node'), [join(ROOT, 'scripts', 'realdata-calibrate.ts'), '--', '--seeds', seeds, '--attack-seeds', attackSeeds, ...(process.env.MLVET_BENCH_DATASETS ? ['--datasets', process.env.MLVET_BENCH_DATASETS] : [])], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exitCode = 1;
}

if (PART !== 'calibration') {
  if (!existsSync(CLI)) {
    console.log('build first: npm run build');
    process.exit(1);
  }
  perf(await prepare());
}
if (PART !== 'perf') calibration();
console.log(`\nuptime at end: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
