#!/usr/bin/env node
// Start-up (issue 16): whole-process `mlvet scan` of one small pickle, of a 2-byte JSON file and of
// ten small pickles (a pre-commit hook), `mlvet --version`, `mlvet --help`, `mlvet validate` of a
// 40-row CSV and `mlvet sign` of the small pickle (sign's start-up is most of its gap to openssl on
// 1 GiB: target within 1.05×, bench/hash.bench.mjs), as ratios to a bare `node -e 0` measured in the same run (interleaved medians).
// Targets: scan within 0.2 s and about 3× node; --version under 0.1 s. Each mlvet row runs twice:
// tsc's dist/cli/main.js ("mlvet …") and the bundle of scripts/build-bundle.mjs ("bundle …",
// dist/bundle/mlvet.mjs, built here when missing).
// MLVET_BENCH_BASELINE=<another built checkout> adds that checkout's rows; MLVET_BENCH_ROUNDS (default 7).
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, interleaved, load } from './lib/measure.mjs';
import { smallPickle } from './lib/pickle-gen.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.env.MLVET_BENCH_ROUNDS ?? 7);
const baseline = process.env.MLVET_BENCH_BASELINE;
const dir = mkdtempSync(join(tmpdir(), 'mlvet-startup-'));
const pkl = join(dir, 'small.pkl');
const json = join(dir, 'tiny.json');
writeFileSync(pkl, smallPickle(1, false)); // 8.5 KB: a dict of floats, strings and a 3 KB blob
writeFileSync(json, '{}');
// what a pre-commit hook hands over: ten files named on the command line
const ten = Array.from({ length: 10 }, (_, i) => join(dir, `hook-${i}.pkl`));
for (const [i, f] of ten.entries()) writeFileSync(f, smallPickle(i + 2, false));
// an Ed25519 signing key as `mlvet keygen` writes it (PKCS#8 PEM, mode 0600)
const key = join(dir, 'bench.key');
writeFileSync(key, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

const csv = join(root, 'fixtures', 'datasets', 'small.csv');
const suite = join(root, 'fixtures', 'datasets', 'suite-gx1.json');
const cli = (r) => join(r, 'dist', 'cli', 'main.js');
const bundle = (r) => join(r, 'dist', 'bundle', 'mlvet.mjs');
const node = process.execPath;
if (!existsSync(bundle(root))) spawnSync(node, [join(root, 'scripts', 'build-bundle.mjs')], { stdio: 'inherit' });
const rows = (label, entry) => ({
  [`${label} scan <small pickle>`]: { cmd: node, args: [entry, 'scan', pkl] },
  [`${label} scan <2-byte JSON>`]: { cmd: node, args: [entry, 'scan', json] },
  [`${label} scan <10 small pickles>`]: { cmd: node, args: [entry, 'scan', ...ten] },
  [`${label} --version`]: { cmd: node, args: [entry, '--version'] },
  // registers every command (each loads its own work only when it runs)
  [`${label} --help`]: { cmd: node, args: [entry, '--help'] },
  // the validation stack's start-up: a GX suite on a 40-row CSV
  [`${label} validate <small CSV>`]: { cmd: node, args: [entry, 'validate', csv, '--suite', suite, '--no-progress'] },
  [`${label} sign <small pickle>`]: { cmd: node, args: [entry, 'sign', pkl, '--key', key, '--output', join(dir, `${label.replace(/ /g, '-')}.sig.json`), '--no-progress'] },
});
const commands = { 'node -e 0': { cmd: node, args: ['-e', '0'] }, ...rows('mlvet', cli(root)), ...rows('bundle', bundle(root)) };
if (baseline) {
  Object.assign(commands, rows('baseline', cli(baseline)));
  if (existsSync(bundle(baseline))) Object.assign(commands, rows('baseline bundle', bundle(baseline)));
}
try {
  console.log(`load average before ${load()}; medians of ${rounds} interleaved runs`);
  const m = interleaved(commands, rounds);
  const base = m['node -e 0'];
  const ref = { 'mlvet scan <small pickle>': 'issue 16 before: 0.70 s, 85 MiB', 'mlvet scan <2-byte JSON>': 'before: 0.54 s', 'mlvet --version': 'before: 0.19 s' };
  for (const [k, v] of Object.entries(m)) {
    console.log(`${k.padEnd(36)} ${fmt(v)}  ${(v.wall / base.wall).toFixed(2)}× node -e 0 (wall), ${(v.cpu / base.cpu).toFixed(2)}× (CPU)${ref[k] ? `; ${ref[k]}` : ''}`);
  }
  console.log(`load average after ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
