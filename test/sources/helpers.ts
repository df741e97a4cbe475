/**
 * Shared pieces for the remote-source tests: fixture directories as Hub repos and S3 prefixes, an
 * s3rver on a random port, env for short timeouts, and a normaliser that compares reports across sources.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { Report } from '../../src/model/report.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch.js';
import { bufferBlob } from './blobs.js';
import type { HubFile } from './hub-server.js';

export function walkFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}

/** MLVET_TEST_FULL=1: the exhaustive sets, e.g. every fixture file through every remote source. */
export const TEST_FULL = process.env.MLVET_TEST_FULL === '1';

/**
 * The files of a fixture directory (paths relative to it) that a remote parity test sends through S3
 * or the Hub: all of them with MLVET_TEST_FULL=1 (or `every` ≤ 1); else a representative set, in
 * path order: the first and the largest file of each folder and extension (each scanner and container
 * layout once, and its biggest file: many blocks, read-ahead, ranges far into the object, a payload
 * after a megabyte), and every `every`-th of the rest. Every fixture is still parsed locally by
 * test/pickle/fixtures.test.ts and test/formats/fixtures.test.ts; what a parity test adds is the
 * remote reader under each read pattern.
 */
export function paritySample(root: string, every: number): string[] {
  const all = walkFiles(root);
  if (TEST_FULL || every <= 1) return all;
  const group = (p: string): string => `${dirname(p)} ${extname(p)}`;
  const first = new Map<string, string>();
  const largest = new Map<string, { path: string; size: number }>();
  for (const p of all) {
    const g = group(p);
    const size = statSync(join(root, p)).size;
    if (!first.has(g)) first.set(g, p);
    if (size > (largest.get(g)?.size ?? -1)) largest.set(g, { path: p, size });
  }
  let rest = 0;
  return all.filter((p) => first.get(group(p)) === p || largest.get(group(p))!.path === p || rest++ % every === 0);
}

/** Copies of `files` (relative to `root`) in a new scratch directory, laid out as in `root`. */
export function stageFiles(root: string, files: string[]): string {
  const dir = scratchDir('mlvet-parity-');
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(root, f), join(dir, f));
  }
  return dir;
}

const TEXT = /\.(json|py|txt|md|toml|yaml|yml)$/;

/** A directory as the files of one Hub commit; binaries go to LFS as on the real Hub. */
export function hubFilesFromDir(root: string): HubFile[] {
  return walkFiles(root).map((p) => ({ path: p, blob: bufferBlob(readFileSync(join(root, p))), lfs: !TEXT.test(p) }));
}

/** Env for a remote scan: short timeouts and retries so fault tests finish fast, and no disk cache. */
export function fastEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { MLVET_HTTP_TIMEOUT_MS: '2500', MLVET_HTTP_RETRIES: '2', MLVET_HTTP_BACKOFF_MS: '20', MLVET_CACHE_DIR: '', ...extra };
}

/**
 * Extra env for a run whose server stalls every read: a shorter per-attempt deadline, so the three
 * attempts cost about 2.5 s instead of 7.5 s. Other requests of that run (listing, HEAD, redirect) still
 * get 800 ms each, ample on 127.0.0.1; the other fault kinds keep fastEnv's 2.5 s.
 */
export function stallEnv(kind: string): Record<string, string> {
  return kind === 'stall' ? { MLVET_HTTP_TIMEOUT_MS: '800' } : {};
}

/** Apply env to this process for library calls; returns a restore function. */
export function withEnv(vars: Record<string, string | undefined>): () => void {
  const old: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    old[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(old)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

export interface S3Server {
  endpoint: string;
  dir: string;
  client: S3Client;
  env: Record<string, string>;
  put(bucket: string, key: string, body: Uint8Array, opts?: { sha256?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** s3rver on 127.0.0.1, a random port, its object store in a scratch directory (tmpfs when there is one). */
export async function startS3(buckets: string[]): Promise<S3Server> {
  const dir = scratchDir('mlvet-s3rver-');
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
  const addr = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const env = { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    dir,
    client,
    env,
    put: async (bucket, key, body) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    close: async () => {
      client.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What must agree between a local scan and a remote one: model findings and inconclusive entries. */
export function comparable(r: Report): { findings: string[]; inconclusive: string[] } {
  return {
    findings: r.findings
      .filter((f) => !f.ruleId.startsWith('pinning/') || !['hf-unpinned-revision', 's3-overwritable-object', 's3-unversioned-read', 'url-unpinned', 'weak-digest', 'hub-scan-verdict'].some((x) => f.ruleId.endsWith(x)))
      // fingerprints name the target (local path vs hf:// URI), so compare what they are made of instead
      .map((f) => [f.ruleId, f.location.path, f.location.member ?? '', f.location.offset ?? '', f.location.line ?? '', f.location.column ?? '', JSON.stringify(f.evidence.key ?? f.evidence.qualname ?? '')].join(' '))
      .sort(),
    inconclusive: r.inconclusive.map((i) => [i.path, i.member ?? '', i.code, i.offset ?? ''].join(' ')).sort(),
  };
}

/**
 * `mlvet <args>` in this process with `env` added to this process's environment (as a child would
 * inherit it), and the JSON report parsed when stdout is one. In-process, so the test servers in the
 * same event loop keep answering while it runs.
 */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult & { report: Record<string, unknown> }> {
  const r = await runCli(args, { env });
  let report: Record<string, unknown> = {};
  try {
    report = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    // not a JSON run
  }
  return { ...r, report };
}
