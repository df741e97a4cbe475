// Row-level statistics (exact duplicates, conflicting labels, max multiplicity, id duplicates) three ways on
// one file, each in its own process under /usr/bin/time (wall, user, sys, peak RSS):
//   engine    rowsOnEngine (src/validation/engine/rows.ts) on a TEMP table with __row, read by DuckDB first
//   js        the JS RowHasher + IdTracker (src/validation/rows/) over mlvet's own reader, as validate runs today
//   dupquery  the exact duplicate query of data-flights.mjs `summarize` (GROUP BY every column), alone
// `node bench/lib/rows-engine.mjs <engine|engine-view|js|dupquery> <file> [label] [ids,comma,separated]` prints one JSON line;
// `node bench/lib/rows-engine.mjs compare <file> [reps] [label] [ids]` runs them interleaved (A B C A B C …) and
// prints medians with `uptime`. Other benches import { measureRows, compareRows }.
// MLVET_BENCH_DIST: the compiled src tree to load (default dist/; `npm run build` first).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const DIST = process.env.MLVET_BENCH_DIST ?? join(ROOT, 'dist');
const load = (p) => import(pathToFileURL(join(DIST, p)).href);
const q = (s) => `'${s.replace(/'/g, "''")}'`;
const from = (file) => (/\.csv$/.test(file) ? `read_csv(${q(file)})` : `read_parquet(${q(file)})`);
const now = () => performance.now() / 1000;
/** this process's CPU seconds (user + sys, every thread: DuckDB's workers included) */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * `engine`: a TEMP table first (what the collector gives rowsOnEngine); `engine-view` (Parquet): straight from
 * the file, __row from file_row_number, so peak RSS is rowsOnEngine's own. MLVET_BENCH_MEMORY: DuckDB memory_limit.
 */
async function engineRun(file, label, ids, view = false) {
  const { openEngine, ident } = await load('validation/engine/duckdb.js');
  const { rowsOnEngine } = await load('validation/engine/rows.js');
  const e = await openEngine({ files: [file], ...(process.env.MLVET_BENCH_MEMORY ? { memoryLimit: process.env.MLVET_BENCH_MEMORY } : {}) });
  try {
    const t0 = now();
    const c0 = cpu();
    const table = view ? `(SELECT file_row_number + 1 AS __row, * EXCLUDE (file_row_number) FROM read_parquet(${q(file)}, file_row_number = true))` : ident('data');
    if (!view) await e.run(`CREATE TEMP TABLE data AS SELECT row_number() OVER () AS __row, * FROM ${from(file)}`);
    const t1 = now();
    const c1 = cpu();
    const cols = (await e.rows(`DESCRIBE SELECT * FROM ${table}`)).map((r) => String(r.column_name)).filter((c) => c !== '__row');
    const r = await rowsOnEngine({ engine: e, table, features: cols.filter((c) => c !== label && !ids.includes(c)), label, ids, textCols: [], collectSample: label !== undefined, sampleMod: 15 });
    const t2 = now();
    const c2 = cpu();
    const out = { load_s: t1 - t0, rows_s: t2 - t1, load_cpu: c1 - c0, rows_cpu: c2 - c1, ...summary(r.stats, r.ids), sample: r.sample.size };
    if (label === undefined) return out;
    // validate's call: the same rows against the sample just built (every sampled row matches)
    const v = await rowsOnEngine({ engine: e, table, features: cols.filter((c) => c !== label && !ids.includes(c)), label, ids, textCols: [], against: { labels: r.sample, mod: 15 } });
    return { ...out, against_s: now() - t2, against_cpu: cpu() - c2, matched: v.matched, mismatched: v.mismatched };
  } finally {
    e.close();
  }
}

async function jsRun(file, label, ids) {
  const { listDataset, readDataset } = await load('validation/readers/dataset.js');
  const { RowHasher } = await load('validation/rows/rowhash.js');
  const { IdTracker } = await load('validation/rows/ids.js');
  const h = new RowHasher(label, new Set(), 15, undefined, undefined, new Set(ids));
  h.collectSample = label !== undefined;
  const t = new IdTracker(new Set(ids));
  let hashing = 0;
  let hashingCpu = 0;
  let rows = 0;
  const t0 = now();
  for await (const b of readDataset(listDataset(file))) {
    const s = now();
    const c = cpu();
    h.add(b);
    t.add(b);
    hashing += now() - s;
    hashingCpu += cpu() - c;
    rows += b.length;
  }
  const s = now();
  const c = cpu();
  const stats = h.stats(Math.max(10, Math.ceil(1e-4 * rows)));
  const idStats = new Map(ids.map((c) => [c, t.stats(c)]));
  hashing += now() - s;
  hashingCpu += cpu() - c;
  const out = { read_and_rows_s: now() - t0, rows_s: hashing, rows_cpu: hashingCpu, ...summary(stats, idStats), sample: h.sample.size };
  if (label === undefined) return out;
  // validate's pass: a second read, each batch checked against the sample as it streams
  const { keyFromHex } = await load('validation/rows/rowhash.js');
  const v = new RowHasher(label, new Set(), 15, undefined, undefined, new Set(ids));
  v.against = { labels: new Map([...h.sample].map(([k, l]) => [keyFromHex(k), l])), mod: 15 };
  const vt = new IdTracker(new Set(ids));
  let vs = 0;
  let vc = 0;
  for await (const b of readDataset(listDataset(file))) {
    const s1 = now();
    const c1 = cpu();
    v.add(b);
    vt.add(b);
    vs += now() - s1;
    vc += cpu() - c1;
  }
  const s2 = now();
  const c2 = cpu();
  v.stats(Math.max(10, Math.ceil(1e-4 * rows)));
  for (const c of ids) vt.stats(c);
  return { ...out, against_s: vs + now() - s2, against_cpu: vc + cpu() - c2, matched: v.matched, mismatched: v.mismatched };
}

async function dupQuery(file) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' });
  const con = await db.connect();
  const cols = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${from(file)}`)).getRowObjectsJson().map((r) => `"${r.column_name}"`);
  const t0 = now();
  const c0 = cpu();
  const [row] = (await con.runAndReadAll(`SELECT sum(c) AS rows, sum(c - 1) AS duplicates FROM (SELECT count(*) AS c FROM ${from(file)} GROUP BY ${cols.join(', ')})`)).getRowObjectsJson();
  return { query_s: now() - t0, rows_cpu: cpu() - c0, rows: Number(row.rows), duplicateRows: Number(row.duplicates) };
}

function summary(s, ids) {
  return { rows: s.rows, duplicateRows: s.duplicateRows, conflictRows: s.conflictRows, maxMultiplicity: s.maxMultiplicity, spilled: s.spilled, ids: Object.fromEntries([...ids].map(([c, d]) => [c, d.duplicate_rows])) };
}

/** one mode in a child process under /usr/bin/time */
export function measureRows(mode, file, label, ids = []) {
  const r = spawnSync('/usr/bin/time', ['-f', 'MLVET_TIME %e %U %S %M', process.execPath, fileURLToPath(import.meta.url), mode, file, label ?? '', ids.join(',')], { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 << 20 });
  const m = /MLVET_TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (!m || r.status !== 0) throw new Error(`rows-engine ${mode} ${file} failed (${r.status}): ${(r.stderr ?? '').slice(-1500)}`);
  return { mode, wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024, ...JSON.parse(r.stdout.trim().split('\n').at(-1)) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A B C A B C …: medians per mode of wall, CPU (user+sys), the rows part alone, peak RSS */
export function compareRows(file, { reps = 3, label, ids = [], modes = /\.csv$/.test(file) ? ['engine', 'js', 'dupquery'] : ['engine', 'engine-view', 'js', 'dupquery'], log = console.log } = {}) {
  const runs = Object.fromEntries(modes.map((m) => [m, []]));
  log(`uptime: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
  for (let i = 0; i < reps; i++) for (const m of modes) runs[m].push(measureRows(m, file, label, ids));
  log(`uptime: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
  const out = modes.map((m) => {
    const r = runs[m];
    return { mode: m, wall: median(r.map((x) => x.wall)), cpu: median(r.map((x) => x.cpu)), part: median(r.map((x) => x.rows_s ?? x.query_s)), partCpu: median(r.map((x) => x.rows_cpu)), againstCpu: r[0].against_cpu === undefined ? undefined : median(r.map((x) => x.against_cpu)), matched: r[0].matched, rssMb: median(r.map((x) => x.rssMb)), rows: r[0].rows, duplicateRows: r[0].duplicateRows, conflictRows: r[0].conflictRows, maxMultiplicity: r[0].maxMultiplicity, ids: r[0].ids };
  });
  log(`| ${file.replace(ROOT + '/', '')}${label ? ` (label ${label})` : ''}${ids.length ? ` (ids ${ids.join(', ')})` : ''} | wall s | CPU s | rows part: wall s | rows part: CPU s | against (validate): CPU s | peak RSS MB | rows | duplicates | conflicts | max mult. |`);
  log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const o of out) log(`| ${o.mode} | ${o.wall.toFixed(2)} | ${o.cpu.toFixed(2)} | ${o.part.toFixed(2)} | ${o.partCpu.toFixed(2)} | ${o.againstCpu === undefined ? '-' : `${o.againstCpu.toFixed(2)} (${o.matched} matched)`} | ${Math.round(o.rssMb)} | ${o.rows} | ${o.duplicateRows} | ${o.conflictRows ?? '-'} | ${o.maxMultiplicity ?? '-'} |`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, file, a, b, c] = process.argv.slice(2);
  if (mode === 'compare') {
    compareRows(file, { reps: Number(a ?? 3), label: b || undefined, ids: c ? c.split(',') : [] });
  } else {
    const label = a || undefined;
    const ids = b ? b.split(',') : [];
    const run = { engine: engineRun, 'engine-view': (f, l, i) => engineRun(f, l, i, true), js: jsRun, dupquery: dupQuery }[mode];
    if (!run || !file) throw new Error('usage: rows-engine.mjs engine|engine-view|js|dupquery <file> [label] [ids] | compare <file> [reps] [label] [ids]');
    console.log(JSON.stringify(await run(file, label, ids)));
  }
}
