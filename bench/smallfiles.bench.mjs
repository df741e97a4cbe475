#!/usr/bin/env node
// Many small files (issue 16): `mlvet scan` of 2,000 small pickles (24 MB, 20 carry os.system), whole
// process, as ratios to the floors measured in the same run (interleaved medians): the bare opcode
// walker (bench/lib/bare-walk.mjs: read + decode opcodes, nothing else), `cat` of the same files, and
// `node -e 0`. picklescan cannot be installed here; its figure from the issue is printed as a reference.
// MLVET_BENCH_BASELINE=<another built checkout> adds that checkout's row; MLVET_BENCH_ROUNDS (default 5).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, interleaved, load } from './lib/measure.mjs';
import { smallPickle } from './lib/pickle-gen.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dir = join(here, '.data', 'smallfiles');
const rounds = Number(process.env.MLVET_BENCH_ROUNDS ?? 5);
const baseline = process.env.MLVET_BENCH_BASELINE;
const PICKLESCAN = { wall: 0.95, rssMiB: 21 }; // issue 16, picklescan 1.0.5 on Debian's Python, same machine

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
let bytes = 0;
for (let i = 0; i < 2000; i++) {
  const b = smallPickle(i, i % 100 === 0, 6500); // ~12 KB each
  bytes += b.length;
  writeFileSync(join(dir, `p${i}.pkl`), b);
}
const node = process.execPath;
const scanOf = (r) => ({ cmd: node, args: [join(r, 'dist', 'cli', 'main.js'), 'scan', dir, '--format', 'json', '--no-progress'], ok: [1] });
const commands = {
  'node -e 0': { cmd: node, args: ['-e', '0'] },
  cat: { cmd: 'sh', args: ['-c', `cat ${dir}/* > /dev/null`] },
  'bare opcode walk': { cmd: node, args: [join(here, 'lib', 'bare-walk.mjs'), dir] },
  'mlvet scan': scanOf(root),
  ...(baseline ? { 'baseline mlvet scan': scanOf(baseline) } : {}),
};
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
  console.log(`load average after ${load()}`);
} finally {
  if (process.env.MLVET_BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
}
