#!/usr/bin/env node
// Remote scans at the byte floor (issues 5, 11): realistic 2 GB artifacts as sparse files under
// bench/.data/remote/, served by the Hub test server and by s3rver, each behind a counting proxy.
// For every artifact and source (fresh cache) it prints the bytes read against the file size, the
// data requests the server answered (plus the Hub's redirects), round trips, seconds, and whether
// the findings equal a local scan of the same files. Artifacts:
// - torch.save checkpoint, TinyLlama-1.1B layout (201 fp16 tensors, 2.2 GB), and its malicious twin
// - one 2.1 GB safetensors file of 388 tensors
// - 4 safetensors shards + index + tokenizer files
// The test servers are TypeScript, so this re-runs itself under vite-node (no build needed).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (!process.env.MLVET_BENCH_VITE_NODE) {
  const r = spawnSync(join(here, '..', 'node_modules', '.bin', 'vite-node'), [fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, MLVET_BENCH_VITE_NODE: '1' } });
  process.exit(r.status ?? 1);
}

console.log(`uptime: ${execFileSync('uptime').toString().trim()}`);
const ck = await import('../test/sources/checkpoints.ts');
const { startHubServer } = await import('../test/sources/hub-server.ts');
const { startS3 } = await import('../test/sources/helpers.ts');
const { fileBlob } = await import('../test/sources/blobs.ts');
const { startCountProxy } = await import('../test/sources/count-proxy.ts');
const { scan } = await import('../src/index.ts');

const dir = join(here, '.data', 'remote');
const SHA = 'be7c4be7c4be7c4be7c4be7c4be7c4be7c4be7c4';
rmSync(dir, { recursive: true, force: true });

/** a tokenizer.json of Llama's shape: 32,000 vocabulary entries and merges (about 1.5 MB) */
function tokenizer() {
  const vocab = {};
  const merges = [];
  for (let i = 0; i < 32000; i++) {
    vocab[`▁tok${i.toString(36)}`] = i;
    if (i > 300) merges.push(`▁t ok${i.toString(36)}`);
  }
  return JSON.stringify({ version: '1.0', added_tokens: [], normalizer: null, pre_tokenizer: null, model: { type: 'BPE', vocab, merges } });
}
const textFiles = {
  'config.json': JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 2048, num_hidden_layers: 32, torch_dtype: 'float16' }),
  'generation_config.json': JSON.stringify({ bos_token_id: 1, eos_token_id: 2 }),
  'special_tokens_map.json': JSON.stringify({ bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>' }),
  'tokenizer_config.json': JSON.stringify({ add_bos_token: true, model_max_length: 2048, tokenizer_class: 'LlamaTokenizer' }),
  'tokenizer.json': tokenizer(),
};

/** artifact name → files (path → writer(absPath) returning its size) */
const parts = ck.shards(ck.biasedLlama(), 4);
const artifacts = {
  'torch.save checkpoint, TinyLlama-1.1B layout, 201 fp16 tensors': { 'pytorch_model.bin': (p) => ck.writeTorchCheckpoint(p, ck.tinyLlama()) },
  'the same checkpoint, malicious data.pkl': { 'pytorch_model.bin': (p) => ck.writeTorchCheckpoint(p, ck.tinyLlama(), { evil: true }) },
  'safetensors, 388 tensors': { 'model.safetensors': (p) => ck.writeSafetensors(p, ck.biasedLlama()) },
  '4 safetensors shards + index + tokenizer files': {
    ...Object.fromEntries(parts.map((s) => [s.file, (p) => ck.writeSafetensors(p, s.tensors)])),
    'model.safetensors.index.json': (p) => (writeFileSync(p, ck.shardIndex(parts)), ck.shardIndex(parts).length),
    ...Object.fromEntries(Object.entries(textFiles).map(([n, t]) => [n, (p) => (writeFileSync(p, t), Buffer.byteLength(t))])),
  },
};

const only = process.env.MLVET_BENCH_ONLY;
const names = Object.keys(artifacts).filter((n) => !only || n.includes(only));
const slug = (i) => `a${i}`;
const sizes = names.map(() => 0);
names.forEach((n, i) => {
  mkdirSync(join(dir, slug(i)), { recursive: true });
  for (const [f, write] of Object.entries(artifacts[n])) sizes[i] += write(join(dir, slug(i), f));
});
const TEXT = /\.(json|txt|md)$/;
// LFS files are served from the CDN by sha256 (a stand-in here: hashing 2 GB sparse files takes long), so each needs its own
const hub = await startHubServer({
  repos: names.map((n, i) => ({
    id: `bench/${slug(i)}`,
    refs: { main: SHA },
    commits: { [SHA]: Object.keys(artifacts[n]).map((f) => ({ path: f, blob: fileBlob(join(dir, slug(i), f)), lfs: !TEXT.test(f), sha256: createHash('sha256').update(`${i}/${f}`).digest('hex') })) },
  })),
});
const s3 = await startS3(['bench']);
for (const [i, n] of names.entries()) {
  for (const [f, write] of Object.entries(artifacts[n])) {
    const copy = join(dir, `s3-${slug(i)}-${f}`);
    write(copy);
    await ck.putSparse(s3, 'bench', `${slug(i)}/${f}`, copy);
  }
}
const proxies = { hf: await startCountProxy(hub.url), s3: await startCountProxy(s3.endpoint) };
Object.assign(process.env, s3.env, { AWS_ENDPOINT_URL_S3: proxies.s3.url, HF_ENDPOINT: proxies.hf.url, MLVET_CACHE_DIR: '' });

const verdict = (r) => {
  const rules = [...new Set(r.findings.filter((f) => !f.ruleId.startsWith('pinning/')).map((f) => f.ruleId))];
  return `${rules.join(', ') || 'no findings'}${r.inconclusive.length ? `, ${r.inconclusive.length} inconclusive` : ''}`;
};
const mb = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1024).toFixed(0)} KiB`);
const rows = [];
try {
  for (const [i, n] of names.entries()) {
    const local = await scan({ targets: [join(dir, slug(i))] });
    for (const src of ['hf', 's3']) {
      const p = proxies[src];
      p.reset();
      const t = performance.now();
      const r = await scan({ targets: [src === 'hf' ? `hf://bench/${slug(i)}@${SHA}` : `s3://bench/${slug(i)}/`] });
      const s = (performance.now() - t) / 1000;
      const c = p.counts();
      const read = r.targets.reduce((a, x) => a + x.bytesRead, 0);
      const same = verdict(r) === verdict(local);
      rows.push(`| ${n} | ${src === 'hf' ? 'Hub' : 's3rver'} | ${mb(sizes[i])} | ${mb(read)} | ${((100 * read) / sizes[i]).toFixed(3)} % | ${c.ranged}${c.redirects ? ` (+${c.redirects} redirects)` : ''} | ${c.rounds} | ${c.peak} | ${s.toFixed(2)} | ${verdict(r)}${same ? '' : ` (local: ${verdict(local)})`} |`);
      console.log(rows[rows.length - 1]);
      for (const x of same ? [] : r.inconclusive) console.log(`  inconclusive: ${x.path} ${x.member ?? ''} ${x.code}: ${x.message}`);
    }
  }
} finally {
  await Promise.all([proxies.hf.close(), proxies.s3.close(), hub.close(), s3.close()]);
  if (process.env.MLVET_BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
}
console.log('\n| artifact (fresh cache) | server | size | bytes read | % | data requests | round trips | most at once | seconds | verdict |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
console.log(`uptime: ${execFileSync('uptime').toString().trim()}`);
