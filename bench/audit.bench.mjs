#!/usr/bin/env node
// `mlvet audit` over a bucket of 10,000 tiny objects (issue 14; MLVET_BENCH_AUDIT_N for another
// size) in s3rver, started in a child with --openssl-legacy-provider (its continuation token needs
// it past 1,000 keys) and logging every request. Runs the built CLI (`npm run build` first):
//   run 1: everything scanned; run 2: nothing changed (must read no object body, < 5 % of run 1);
//   run 3: 10 changed, 10 added, 10 deleted;
//   resume: a --rescan killed with SIGKILL half-way, then resumed with --rescan.
// Prints, per run: objects scanned, bytes read, seconds, and the server's requests by kind.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearInterval, setInterval } from 'node:timers';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const CLI = join(root, 'dist', 'cli', 'main.js');
const N = Number(process.env.MLVET_BENCH_AUDIT_N ?? 10_000);
console.log(`uptime: ${execFileSync('uptime').toString().trim()}`);

const log = join(mkdtempSync(join(tmpdir(), 'mlvet-bench-audit-')), 'requests.log');
writeFileSync(log, '');
const child = spawn(process.execPath, ['--openssl-legacy-provider', join(root, 'test', 'audit', 's3rver-child.mjs'), log, 'bench'], { stdio: ['pipe', 'pipe', 'inherit'] });
const { endpoint, directory } = await new Promise((resolve) => child.stdout.once('data', (c) => resolve(JSON.parse(c.toString().split('\n')[0]))));
const env = { ...process.env, AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', MLVET_CACHE_DIR: '', MLVET_AUDIT_LOCK_SETTLE_MS: '200', NO_COLOR: '1' };
const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
const EVIL = Buffer.from("cposix\nsystem\n(S'echo pwned'\ntR.", 'latin1');
const BENIGN = Buffer.from([0x80, 2, 0x4e, 0x2e]); // pickle None
const key = (i) => `m/${String(i).padStart(6, '0')}/${i % 1000 === 7 ? 'evil' : 'model'}.pkl`;
const put = (k, body) => client.send(new PutObjectCommand({ Bucket: 'bench', Key: k, Body: body }));

// laid out as s3rver's filesystem store keeps uploads (object, .md5, metadata), which its listing and
// GET read back as uploaded objects: 10,000 PutObjects take minutes on a loaded machine
let t0 = performance.now();
for (let i = 0; i < N; i++) {
  const file = join(directory, 'bench', ...key(i).split('/'));
  const body = key(i).endsWith('evil.pkl') ? EVIL : BENIGN;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}._S3rver_object`, body);
  writeFileSync(`${file}._S3rver_object.md5`, createHash('md5').update(body).digest('hex'));
  writeFileSync(`${file}._S3rver_metadata.json`, JSON.stringify({ 'content-type': 'binary/octet-stream' }));
}
console.log(`seeded ${N} objects in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const lines = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
function kinds(reqs) {
  const k = {};
  for (const r of reqs) {
    const [m, url] = r.split(' ');
    const what = url.includes('.journal') ? 'journal' : url.includes('.lock') ? 'lock' : url.includes('/.mlvet/') ? 'state' : url.includes('list-type=2') ? 'list' : url.includes('versioning') ? 'versioning' : 'object';
    k[`${m} ${what}`] = (k[`${m} ${what}`] ?? 0) + 1;
  }
  return k;
}

function audit(extra = [], killAfterJournalPuts) {
  return new Promise((resolve) => {
    const from = lines().length;
    const start = performance.now();
    const p = spawn(process.execPath, [CLI, 'audit', 's3://bench/m/', '--fail-on', 'high', '--concurrency', '16', '--format', 'json', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', () => undefined);
    const poll = killAfterJournalPuts && setInterval(() => {
      if (lines().slice(from).filter((l) => l.startsWith('PUT') && l.includes('.journal')).length >= killAfterJournalPuts) p.kill('SIGKILL');
    }, 50);
    p.on('exit', (code, signal) => {
      if (poll) clearInterval(poll);
      const secs = (performance.now() - start) / 1000;
      const reqs = lines().slice(from);
      let a = {};
      let bytes = 0;
      try {
        const r = JSON.parse(out);
        a = r.audit;
        bytes = r.targets[0].bytesRead;
      } catch {
        // killed: no report
      }
      resolve({ code, signal, secs, scanned: a.scanned, carriedOver: a.carriedOver, changes: a.changes?.length, bytes, requests: kinds(reqs) });
    });
  });
}

const show = (name, r) => console.log(`${name.padEnd(8)} exit ${r.signal ?? r.code}  scanned ${r.scanned ?? '-'}  carried ${r.carriedOver ?? '-'}  changes ${r.changes ?? '-'}  bytesRead ${r.bytes}  ${r.secs.toFixed(2)} s  requests ${JSON.stringify(r.requests)}${r.scanned ? `  per object scanned: ${((r.requests['GET object'] ?? 0) / r.scanned).toFixed(2)} GET, ${((r.requests['HEAD object'] ?? 0) / r.scanned).toFixed(2)} HEAD` : ''}`);
const r1 = await audit();
show('run 1', r1);
const r2 = await audit();
show('run 2', r2);
console.log(`run 2 / run 1 time: ${((100 * r2.secs) / r1.secs).toFixed(1)} %  (object GETs in run 2: ${r2.requests['GET object'] ?? 0})`);
for (let i = 0; i < 10; i++) {
  await put(key(i * 37 + 1), Buffer.from([0x80, 2, 0x4b, i, 0x2e]));
  await put(`m/added/${i}.pkl`, BENIGN);
  await client.send(new DeleteObjectCommand({ Bucket: 'bench', Key: key(i * 37 + 2) }));
}
show('run 3', await audit());
const killed = await audit(['--rescan'], Math.ceil(N / 16 / 4));
show('killed', killed);
show('resume', await audit(['--rescan']));
client.destroy();
child.kill('SIGTERM');
