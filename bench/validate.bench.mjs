#!/usr/bin/env node
// `npm run bench -- validate`: mlvet validate (baseline poisoning checks) on a ROWS-row × 10-column
// Parquet file and the same data as CSV, against pandas (load + the same checks) in the same run.
// Also: csv-parse vs mlvet's Buffer tokenizer, and peak RSS at ROWS/10 vs ROWS (memory must not
// grow with rows). MLVET_BENCH_ROWS overrides the size (default 10,000,000). Data: bench/.data/.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const data = join(here, '.data');
const ROWS = Number(process.env.MLVET_BENCH_ROWS ?? 10_000_000);
const SMALL = Math.max(10_000, Math.round(ROWS / 10));
mkdirSync(data, { recursive: true });
const CLI = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(CLI)) {
  console.log('build first: npm run build');
  process.exit(1);
}
const { ParquetWriter } = await import('hyparquet-writer');
const { fileWriter } = await import(join(root, 'node_modules', 'hyparquet-writer', 'src', 'node.js'));

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const CATS = ['a', 'b', 'c', 'd', 'e'];

/** 10 columns: id, six floats, an int, two categoricals… and the label (id + 6 + age + cat + label = 10) */
function chunk(r, start, n) {
  const id = new Array(n), cat = new Array(n), label = new Array(n);
  const f = Array.from({ length: 6 }, () => new Float64Array(n));
  const age = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = r() < 0.5 ? 1 : 0;
    id[i] = BigInt(start + i);
    for (let k = 0; k < 6; k++) {
      const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
      f[k][i] = Math.round((z + (k === 0 ? y * 0.5 : 0)) * 1e6) / 1e6;
    }
    age[i] = Math.round(40 + 12 * (r() + r() + r() - 1.5) * 2);
    cat[i] = CATS[Math.floor(r() * 5)];
    label[i] = y ? 'pos' : 'neg';
  }
  return { id, f, age, cat, label };
}

function generate(n, seed) {
  const pq = join(data, `v-${n}.parquet`);
  const csv = join(data, `v-${n}.csv`);
  if (existsSync(pq) && existsSync(csv)) return { pq, csv };
  const t = Date.now();
  const writer = new ParquetWriter({
    writer: fileWriter(pq + '.tmp'),
    schema: [
      { name: 'root', num_children: 10 },
      { name: 'id', type: 'INT64', repetition_type: 'REQUIRED' },
      ...Array.from({ length: 6 }, (_, k) => ({ name: `f${k}`, type: 'DOUBLE', repetition_type: 'REQUIRED' })),
      { name: 'age', type: 'INT32', repetition_type: 'REQUIRED' },
      { name: 'cat', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'label', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    ],
  });
  const fd = openSync(csv + '.tmp', 'w');
  writeSync(fd, 'id,f0,f1,f2,f3,f4,f5,age,cat,label\n');
  const r = rng(seed);
  for (let start = 0; start < n; start += 500_000) {
    const m = Math.min(500_000, n - start);
    const c = chunk(r, start, m);
    writer.write({
      columnData: [
        { name: 'id', data: c.id },
        ...c.f.map((d, k) => ({ name: `f${k}`, data: d })),
        { name: 'age', data: c.age },
        { name: 'cat', data: c.cat },
        { name: 'label', data: c.label },
      ],
      rowGroupSize: 100_000,
    });
    const lines = [];
    for (let i = 0; i < m; i++) lines.push(`${c.id[i]},${c.f[0][i]},${c.f[1][i]},${c.f[2][i]},${c.f[3][i]},${c.f[4][i]},${c.f[5][i]},${c.age[i]},${c.cat[i]},${c.label[i]}`);
    writeSync(fd, lines.join('\n') + '\n');
  }
  writer.finish();
  closeSync(fd);
  renameSync(pq + '.tmp', pq);
  renameSync(csv + '.tmp', csv);
  console.log(`generated ${n.toLocaleString()} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return { pq, csv };
}

/** run a command under /usr/bin/time: wall seconds and peak RSS (MB) */
function timed(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', 'MLVET_TIME %e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 256 << 20, cwd: root });
  const m = /MLVET_TIME ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${(r.stderr ?? '').slice(-2000)}`);
  return { seconds: Number(m[1]), rssMb: Number(m[2]) / 1024, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PANDAS = `
import json, resource, sys, time
import numpy as np, pandas as pd
path, base = sys.argv[1], json.load(open(sys.argv[2]))
t = time.time()
df = pd.read_csv(path)
feats = [c for c in df.columns if c not in ('id', 'label')]
out = {}
out['dup'] = float(df.duplicated(subset=feats + ['label']).mean())
g = df.groupby(feats, sort=False)['label'].transform('nunique')
out['conflict'] = float((g > 1).mean())
out['labels'] = df['label'].value_counts().to_dict()
out['describe'] = df[feats[:-1]].describe(percentiles=[.001, .01, .25, .5, .75, .99, .999]).shape
for c in feats:
    s = base['stats'].get(c, {}).get('numeric')
    if not s: 
        df[c].value_counts(); continue
    x = df[c].to_numpy(dtype=float)
    out[c + '_range'] = float(((x < s['lo']) | (x > s['hi'])).mean())
    if s['mad'] > 0: out[c + '_mz'] = float((np.abs(0.6745 * (x - s['median']) / s['mad']) > 3.5).mean())
    np.histogram(x, bins=s['edges'])
    pd.crosstab(pd.cut(x, s['edges']), df['label'])
print(json.dumps({'seconds': time.time() - t, 'rows': len(df), 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

function pandasAvailable() {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import pandas, numpy'], { encoding: 'utf8' });
  return r.status === 0;
}

function tokenizerRate(csv, parser) {
  const code = `const { listDataset, readDataset } = await import(${JSON.stringify(join(root, 'dist/validation/readers/dataset.js'))});
const t = performance.now(); let n = 0;
for await (const b of readDataset(listDataset(${JSON.stringify(csv)}), { csvParser: '${parser}' })) n += b.length;
console.log(JSON.stringify({ rows: n, seconds: (performance.now() - t) / 1000 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');
const small = generate(SMALL, 1);
const big = generate(ROWS, 2);
const baseline = join(data, `baseline-${SMALL}.json`);
const prof = timed(process.execPath, [CLI, 'profile', small.pq, '--out', baseline, '--label', 'label']);
console.log(`profile ${SMALL.toLocaleString()} rows (Parquet, 2 passes): ${prof.seconds.toFixed(1)} s, ${fmt(prof.rssMb)} MB peak RSS`);

console.log('\nCSV tokenizer, read only (' + SMALL.toLocaleString() + ' rows):');
const tp = tokenizerRate(small.csv, 'csv-parse');
const tm = tokenizerRate(small.csv, 'mlvet');
console.log(`  csv-parse:        ${fmt(tp.rows / tp.seconds)} rows/s`);
console.log(`  mlvet tokenizer:  ${fmt(tm.rows / tm.seconds)} rows/s  (${(tp.seconds / tm.seconds).toFixed(2)}× csv-parse)`);

const results = [];
for (const [label, files] of [['Parquet', big], ['CSV', big]]) {
  const file = label === 'Parquet' ? files.pq : files.csv;
  const r = timed(process.execPath, [CLI, 'validate', file, '--baseline', baseline, '--label', 'label', '--format', 'json', '--output', join(data, `report-${label}.json`), '--quiet']);
  results.push({ label, rows: ROWS, ...r });
  console.log(`mlvet validate ${label} ${ROWS.toLocaleString()} rows: ${r.seconds.toFixed(1)} s = ${fmt(ROWS / r.seconds)} rows/s, peak RSS ${fmt(r.rssMb)} MB (exit ${r.code})`);
}
console.log('\nmemory vs rows (peak RSS):');
for (const [label, kind] of [['Parquet', 'pq'], ['CSV', 'csv']]) {
  const s = timed(process.execPath, [CLI, 'validate', small[kind], '--baseline', baseline, '--label', 'label', '--format', 'json', '--output', join(data, `report-small-${label}.json`), '--quiet']);
  const b = results.find((x) => x.label === label);
  console.log(`  ${label}: ${SMALL.toLocaleString()} rows ${fmt(s.rssMb)} MB; ${ROWS.toLocaleString()} rows ${fmt(b.rssMb)} MB (×${(b.rssMb / s.rssMb).toFixed(2)} for ×${ROWS / SMALL} rows)`);
}

console.log('\npandas baseline (load + the same checks):');
if (!pandasAvailable()) {
  console.log('  skipped: /usr/bin/python3 cannot import pandas (apt-get install python3-pandas)');
} else {
  const p = timed('/usr/bin/python3', ['-c', PANDAS, big.csv, baseline]);
  const j = JSON.parse(p.stdout.trim().split('\n').pop());
  console.log(`  pandas read_csv + checks, ${fmt(j.rows)} rows: ${p.seconds.toFixed(1)} s = ${fmt(j.rows / p.seconds)} rows/s, peak RSS ${fmt(p.rssMb)} MB`);
  for (const r of results) console.log(`  ratio mlvet ${r.label} / pandas CSV: ${(p.seconds / r.seconds).toFixed(2)}× faster, ${(r.rssMb / p.rssMb).toFixed(2)}× the memory`);
  console.log('  pandas Parquet: skipped (read_parquet needs pyarrow or fastparquet; Debian ships neither)');
}
const rep = JSON.parse(readFileSync(join(data, 'report-Parquet.json'), 'utf8'));
console.log(`\nfindings on the clean ${ROWS.toLocaleString()}-row file: ${rep.findings.length} (${rep.findings.map((f) => f.ruleId).join(', ') || 'none'})`);
