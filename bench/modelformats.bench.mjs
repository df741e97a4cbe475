#!/usr/bin/env node
// Large ONNX, GGUF, frozen GraphDef and Keras .h5 files (issue 3, part 2): each parser should cost the
// file's structure, not its weights. Prints mlvet's time against `cat` of the whole file (same run,
// page cache warm) and bytes read against file size. Data lives under bench/.data/modelformats and
// is deleted at the end (MLVET_BENCH_KEEP=1 keeps it); MLVET_BENCH_SMALL=1 makes 128 MiB files.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, '.data', 'modelformats');
const small = process.env.MLVET_BENCH_SMALL === '1';
const BLOBS = small ? 4 : 32;
const BLOB = 32 * 1024 * 1024;
const chunk = Buffer.alloc(8 * 1024 * 1024);
for (let i = 0; i < chunk.length; i += 4) chunk.writeFloatLE(Math.sin(i), i);

const varint = (n) => { const out = []; let v = BigInt(n); do { let b = Number(v & 0x7fn); v >>= 7n; if (v) b |= 0x80; out.push(b); } while (v); return Buffer.from(out); };
const len = (no, body) => Buffer.concat([varint((no << 3) | 2), varint(body.length), body]);
const lenHead = (no, n) => Buffer.concat([varint((no << 3) | 2), varint(n)]);
const vint = (no, n) => Buffer.concat([varint(no << 3), varint(n)]);
const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
const u64 = (n) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };
const gstr = (s) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);

function writer(file) {
  const fd = openSync(file, 'w');
  return { put: (b) => writeSync(fd, b), blob: () => { for (let o = 0; o < BLOB; o += chunk.length) writeSync(fd, chunk); }, close: () => closeSync(fd) };
}

/** ModelProto { ir_version, producer, graph { nodes, initializers with 32 MiB raw_data }, opset } */
function onnx(file) {
  const w = writer(file);
  const tensor = (i) => Buffer.concat([vint(1, BLOB / 4), vint(2, 1), len(8, Buffer.from(`w${i}`)), lenHead(9, BLOB)]);
  const nodes = Buffer.concat(Array.from({ length: 2000 }, (_, i) => len(1, Buffer.concat([len(1, Buffer.from(`x${i}`)), len(2, Buffer.from(`y${i}`)), len(4, Buffer.from('Relu'))]))));
  let graphLen = nodes.length;
  for (let i = 0; i < BLOBS; i++) graphLen += lenHead(5, tensor(i).length + BLOB).length + tensor(i).length + BLOB;
  w.put(Buffer.concat([vint(1, 8), len(2, Buffer.from('bench')), lenHead(7, graphLen), nodes]));
  for (let i = 0; i < BLOBS; i++) {
    const t = tensor(i);
    w.put(Buffer.concat([lenHead(5, t.length + BLOB), t]));
    w.blob();
  }
  w.put(len(8, Buffer.concat([len(1, Buffer.from('')), vint(2, 17)])));
  w.close();
}

/** GGUF v3: a 150k-token vocabulary (strings + scores) and a chat template, then 32 MiB F32 tensors */
function gguf(file) {
  const w = writer(file);
  const tokens = Array.from({ length: 150_000 }, (_, i) => gstr(`tok${i}`));
  const kvs = [
    Buffer.concat([gstr('general.architecture'), u32(8), gstr('llama')]),
    Buffer.concat([gstr('tokenizer.ggml.tokens'), u32(9), u32(8), u64(tokens.length), ...tokens]),
    Buffer.concat([gstr('tokenizer.ggml.scores'), u32(9), u32(6), u64(tokens.length), Buffer.alloc(4 * tokens.length)]),
    Buffer.concat([gstr('tokenizer.chat_template'), u32(8), gstr("{% for m in messages %}{{ m['content'] }}{% endfor %}")]),
  ];
  const infos = Array.from({ length: BLOBS }, (_, i) => Buffer.concat([gstr(`blk.${i}.w`), u32(1), u64(BLOB / 4), u32(0), u64(i * BLOB)]));
  const head = Buffer.concat([Buffer.from('GGUF'), u32(3), u64(BLOBS), u64(kvs.length), ...kvs, ...infos]);
  w.put(Buffer.concat([head, Buffer.alloc((32 - (head.length % 32)) % 32)]));
  for (let i = 0; i < BLOBS; i++) w.blob();
  w.close();
}

/** frozen GraphDef: 20k small nodes, then Const nodes whose tensor_content is 32 MiB each */
function graphdef(file) {
  const w = writer(file);
  const nodes = Buffer.concat(Array.from({ length: 20_000 }, (_, i) => len(1, Buffer.concat([len(1, Buffer.from(`n${i}`)), len(2, Buffer.from('Relu')), len(3, Buffer.from(`n${i - 1}`))]))));
  w.put(nodes);
  for (let i = 0; i < BLOBS; i++) {
    const tensorHead = Buffer.concat([vint(1, 1), lenHead(4, BLOB)]);
    const value = Buffer.concat([lenHead(8, tensorHead.length + BLOB), tensorHead]);
    const attr = Buffer.concat([lenHead(2, value.length + BLOB), value]);
    const entry = Buffer.concat([len(1, Buffer.from('value')), attr]);
    const node = Buffer.concat([len(1, Buffer.from(`c${i}`)), len(2, Buffer.from('Const')), lenHead(5, entry.length + BLOB), len(1, Buffer.from('value')), attr]);
    w.put(Buffer.concat([lenHead(1, node.length + BLOB), node]));
    w.blob();
  }
  w.close();
}

/** a Keras .h5 (committed fixture) followed by weights: HDF5 tolerates a file longer than its EOA */
function h5(file) {
  const w = writer(file);
  w.put(readFileSync(join(here, '..', 'fixtures', 'formats', 'malicious', 'e16-h5-lambda-safe-mode-bypass.h5')));
  for (let i = 0; i < BLOBS; i++) w.blob();
  w.close();
}

function timeCat(file) {
  const t0 = process.hrtime.bigint();
  spawnSync('sh', ['-c', `cat '${file}' > /dev/null`]);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
function timeScan(file) {
  const code = `import { scan } from ${JSON.stringify(join(here, '..', 'dist', 'index.js'))};
const t0 = process.hrtime.bigint(); const r = await scan({ targets: [${JSON.stringify(file)}] });
console.log(JSON.stringify({ secs: Number(process.hrtime.bigint() - t0) / 1e9, bytesRead: r.targets[0].bytesRead, findings: r.findings.map((f) => f.ruleId), inconclusive: r.inconclusive.map((i) => i.code), rss: process.resourceUsage().maxRSS / 1024 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const CASES = [['ONNX', 'model.onnx', onnx, []], ['GGUF', 'model.gguf', gguf, []], ['GraphDef', 'frozen.pb', graphdef, []], ['Keras h5', 'model.h5', h5, ['keras/h5-safe-mode-bypass', 'keras/lambda-dangerous-names']]];
try {
  mkdirSync(dir, { recursive: true });
  for (const [name, f, gen, want] of CASES) {
    const file = join(dir, f);
    gen(file);
    const size = statSync(file).size;
    timeCat(file);
    const c = timeCat(file);
    const s = timeScan(file);
    console.log(`${name} ${(size / 2 ** 20).toFixed(0)} MiB: mlvet ${s.secs.toFixed(3)} s, cat ${c.toFixed(3)} s (ratio ${(s.secs / c).toFixed(3)}x cat); ` +
      `bytes read ${s.bytesRead} of ${size} (${((100 * s.bytesRead) / size).toFixed(3)} %); peak RSS ${s.rss.toFixed(0)} MiB; findings [${[...new Set(s.findings)].join(', ')}], inconclusive [${s.inconclusive.join(', ')}]`);
    if (s.inconclusive.length || JSON.stringify([...new Set(s.findings)].sort()) !== JSON.stringify(want)) process.exitCode = 1;
    if (process.env.MLVET_BENCH_KEEP !== '1') rmSync(file);
  }
} finally {
  if (process.env.MLVET_BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
}
