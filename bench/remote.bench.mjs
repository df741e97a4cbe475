#!/usr/bin/env node
// Remote scans (issue 5): a 2 GiB PyTorch zip and a 2 GiB safetensors file, sparse under bench/.data/,
// served over HTTP with Range by a server started here. Prints bytes fetched / file size, requests and
// wall time for the remote scan, against the local scan of the same files measured in the same run,
// and the block cache's effect (default 256 KiB blocks vs 4 KiB blocks, i.e. one request per small read).
import { closeSync, fstatSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, '.data', 'remote');
const BIG = (process.env.MLVET_BENCH_SMALL === '1' ? 256 : 2048) * 1024 * 1024;
const u16 = (n) => { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; };
const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };

function zeroCrc(n) {
  const chunk = Buffer.alloc(64 << 20);
  let c = 0;
  for (let left = n; left > 0; left -= chunk.length) c = crc32(chunk.subarray(0, Math.min(left, chunk.length)), c);
  return c;
}

// stored zip: archive/data.pkl (a small benign pickle), archive/data/0 (BIG zero bytes, a hole), archive/version
function writeZip(path) {
  const pkl = Buffer.from('\x80\x02}q\x00X\x01\x00\x00\x00wq\x01K\x01s.', 'latin1');
  const ms = [
    { name: 'archive/data.pkl', size: pkl.length, crc: crc32(pkl), data: pkl },
    { name: 'archive/data/0', size: BIG, crc: zeroCrc(BIG) },
    { name: 'archive/version', size: 2, crc: crc32(Buffer.from('3\n')), data: Buffer.from('3\n') },
  ];
  const fd = openSync(path, 'w');
  let pos = 0;
  const cd = [];
  for (const m of ms) {
    const name = Buffer.from(m.name);
    const fixed = [u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(m.crc), u32(m.size), u32(m.size), u16(name.length), u16(0)];
    const h = Buffer.concat([u32(0x04034b50), ...fixed, name]);
    cd.push(Buffer.concat([u32(0x02014b50), u16(20), ...fixed, u16(0), u16(0), u16(0), u32(0), u32(pos), name]));
    writeSync(fd, h, 0, h.length, pos);
    pos += h.length;
    if (m.data) writeSync(fd, m.data, 0, m.data.length, pos);
    pos += m.size;
  }
  const c = Buffer.concat(cd);
  const tail = Buffer.concat([c, u32(0x06054b50), u16(0), u16(0), u16(ms.length), u16(ms.length), u32(c.length), u32(pos), u16(0)]);
  writeSync(fd, tail, 0, tail.length, pos);
  closeSync(fd);
}

function writeSafetensors(path) {
  let h = JSON.stringify({ weight: { dtype: 'F32', shape: [BIG / 4], data_offsets: [0, BIG] } });
  h += ' '.repeat((8 - (h.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  const fd = openSync(path, 'w');
  writeSync(fd, Buffer.concat([len, Buffer.from(h)]), 0, 8 + h.length, 0);
  writeSync(fd, Buffer.alloc(1), 0, 1, 8 + h.length + BIG - 1);
  closeSync(fd);
}

function serve() {
  let served = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const fd = openSync(join(dir, decodeURIComponent(req.url.slice(1))), 'r');
    const size = fstatSync(fd).size;
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    const buf = Buffer.alloc(end - start + 1);
    readSync(fd, buf, 0, buf.length, start);
    closeSync(fd);
    served += buf.length;
    res.writeHead(m ? 206 : 200, { 'accept-ranges': 'bytes', 'content-length': buf.length, ...(m ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}) }).end(buf);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, url: `http://127.0.0.1:${server.address().port}`, stats: () => ({ served, requests }), reset: () => { served = 0; requests = 0; } })));
}

mkdirSync(dir, { recursive: true });
writeZip(join(dir, 'pytorch_model.bin'));
writeSafetensors(join(dir, 'model.safetensors'));
process.env.MLVET_CACHE_DIR = '';
const { scan } = await import('../dist/index.js');
const srv = await serve();
try {
  for (const f of ['pytorch_model.bin', 'model.safetensors']) {
    let t = performance.now();
    const local = await scan({ targets: [join(dir, f)] });
    const localMs = performance.now() - t;
    const rows = [];
    for (const block of ['262144', '4096']) {
      process.env.MLVET_BLOCK_SIZE = block;
      process.env.MLVET_MAX_READAHEAD = block === '4096' ? '4096' : String(8 << 20);
      srv.reset();
      t = performance.now();
      const remote = await scan({ targets: [`${srv.url}/${f}`] });
      const ms = performance.now() - t;
      const tr = remote.targets[0];
      const same = JSON.stringify(remote.findings.filter((x) => !x.ruleId.startsWith('pinning/')).map((x) => x.ruleId)) === JSON.stringify(local.findings.map((x) => x.ruleId));
      rows.push(`  remote, ${Number(block) / 1024} KiB blocks: bytesRead ${tr.bytesRead} of ${tr.bytesTotal} (${((100 * tr.bytesRead) / tr.bytesTotal).toFixed(4)} %), ${srv.stats().requests} requests, ${ms.toFixed(0)} ms (${(ms / localMs).toFixed(2)}x local), same findings: ${same}`);
    }
    console.log(`${f} (${BIG / 1024 ** 2} MiB payload)\n  local: bytesRead ${local.targets[0].bytesRead}, ${localMs.toFixed(0)} ms\n${rows.join('\n')}`);
  }
} finally {
  srv.server.close();
  if (process.env.MLVET_BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
}
