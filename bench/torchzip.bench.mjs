#!/usr/bin/env node
// A 2 GiB PyTorch-style zip checkpoint (issue 3): a small archive/data.pkl plus large stored tensor
// blobs. mlvet should cost about its central directory and pickles, not the file: we print bytes read
// against file size and the scan time against `cat` of the whole file, measured in the same run.
// Data lives under bench/.data/ and is deleted at the end (MLVET_BENCH_KEEP=1 keeps it);
// MLVET_BENCH_SMALL=1 makes a 256 MiB file.
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, '.data', 'torchzip');
const file = join(dir, 'checkpoint.pt');
const small = process.env.MLVET_BENCH_SMALL === '1';
const BLOBS = small ? 8 : 64;
const BLOB = 32 * 1024 * 1024;

// protocol-2 pickle: {'w<i>': persistent_load(('storage', FloatStorage, '<i>', 'cpu', n))} for each blob
function dataPkl() {
  const parts = [Buffer.from([0x80, 0x02, 0x7d, 0x28])]; // PROTO 2, EMPTY_DICT, MARK
  for (let i = 0; i < BLOBS; i++) {
    const key = Buffer.from(`w${i}`);
    const sk = Buffer.from(String(i));
    parts.push(Buffer.from([0x58]), u32(key.length), key); // BINUNICODE key
    parts.push(Buffer.from('(X\x07\x00\x00\x00storagectorch\nFloatStorage\n', 'latin1'));
    parts.push(Buffer.from([0x58]), u32(sk.length), sk, Buffer.from('X\x03\x00\x00\x00cpu', 'latin1'));
    parts.push(Buffer.from([0x4a]), u32(BLOB / 4), Buffer.from('tQ', 'latin1')); // BININT n, TUPLE, BINPERSID
  }
  parts.push(Buffer.from('u.', 'latin1'));
  return Buffer.concat(parts);
}
function u16(n) { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; }
function u32(n) { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; }

function generate() {
  mkdirSync(dir, { recursive: true });
  const fd = openSync(file, 'w');
  let pos = 0;
  const central = [];
  const write = (b) => { writeSync(fd, b); pos += b.length; };
  const member = (name, data, size, crc, fill) => {
    const n = Buffer.from(name);
    const off = pos;
    write(Buffer.concat([u32(0x04034b50), u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(crc), u32(size), u32(size), u16(n.length), u16(0), n]));
    if (data) write(data); else fill();
    central.push(Buffer.concat([u32(0x02014b50), u16(20), u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(crc), u32(size), u32(size),
      u16(n.length), u16(0), u16(0), u16(0), u16(0), u32(0), u32(off), n]));
  };
  const pkl = dataPkl();
  member('archive/data.pkl', pkl, pkl.length, crc32(pkl));
  member('archive/version', Buffer.from('3\n'), 2, crc32(Buffer.from('3\n')));
  const chunk = Buffer.alloc(8 * 1024 * 1024);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeFloatLE(Math.sin(i), i);
  for (let i = 0; i < BLOBS; i++) member(`archive/data/${i}`, null, BLOB, 0, () => { for (let o = 0; o < BLOB; o += chunk.length) write(chunk); });
  const cdOff = pos;
  const cd = Buffer.concat(central);
  write(cd);
  write(Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(central.length), u16(central.length), u32(cd.length), u32(cdOff), u16(0)]));
  closeSync(fd);
}

function timeCat() {
  const t0 = process.hrtime.bigint();
  spawnSync('sh', ['-c', `cat '${file}' > /dev/null`]);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
function timeScan() {
  const code = `import { scan } from ${JSON.stringify(join(here, '..', 'dist', 'index.js'))};
const t0 = process.hrtime.bigint(); const r = await scan({ targets: [${JSON.stringify(file)}] });
console.log(JSON.stringify({ secs: Number(process.hrtime.bigint() - t0) / 1e9, bytesRead: r.targets[0].bytesRead, findings: r.findings.length, inconclusive: r.inconclusive.length, rss: process.resourceUsage().maxRSS / 1024 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  generate();
  const size = statSync(file).size;
  timeCat(); // warm the page cache so both sides read from memory
  const cats = [], scans = [];
  for (let i = 0; i < 3; i++) { cats.push(timeCat()); scans.push(timeScan()); }
  const c = median(cats), s = scans.sort((a, b) => a.secs - b.secs)[1];
  console.log(`torch zip ${(size / 2 ** 30).toFixed(2)} GiB, ${BLOBS} stored blobs: mlvet ${s.secs.toFixed(3)} s, cat ${c.toFixed(3)} s ` +
    `(ratio ${(s.secs / c).toFixed(3)}x cat); bytes read ${s.bytesRead} of ${size} (${((100 * s.bytesRead) / size).toFixed(4)} %); ` +
    `peak RSS ${s.rss.toFixed(0)} MiB; findings ${s.findings}, inconclusive ${s.inconclusive}`);
  if (s.findings !== 0 || s.inconclusive !== 0) process.exitCode = 1;
} finally {
  if (process.env.MLVET_BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
}
