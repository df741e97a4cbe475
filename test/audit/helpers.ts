/**
 * Shared pieces of the audit tests: s3rver in a child process with a request log (so a test can
 * say "run 2 issued no GetObject"), a bucket filled with tiny benign and malicious objects, and the
 * audit CLI in-process with its JSON report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface ChildS3 {
  endpoint: string;
  env: Record<string, string>;
  client: S3Client;
  /** request lines since the last `mark()` */
  requests(): string[];
  mark(): void;
  put(bucket: string, key: string, body: Uint8Array | string): Promise<void>;
  /**
   * Many objects at once, written as s3rver's filesystem store lays them out (`<key>._S3rver_object`
   * beside its `.md5` and `._S3rver_metadata.json`), which its listing, GET and HEAD read back as
   * uploaded objects: a PutObject each costs seconds per thousand on a loaded machine.
   */
  seed(bucket: string, objects: ReadonlyArray<readonly [key: string, body: Uint8Array | string]>): void;
  close(): Promise<void>;
}

/**
 * `pageSize`: listings answer at most that many keys a page (S3 returns "up to" MaxKeys), so a few
 * hundred objects take the continuation-token path that a bucket of more than 1,000 keys takes.
 */
export async function startChildS3(buckets: string[], opts: { pageSize?: number } = {}): Promise<ChildS3> {
  const work = scratchDir('mlvet-audit-s3-');
  const log = join(work, 'requests.log');
  writeFileSync(log, '');
  const store = join(work, 'store');
  mkdirSync(store);
  const argv = [join(HERE, 's3rver-child.mjs'), log, buckets.join(','), store, ...(opts.pageSize ? [String(opts.pageSize)] : [])];
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', ...argv], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { endpoint, directory } = await new Promise<{ endpoint: string; directory: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as { endpoint: string; directory: string });
    });
    child.on('exit', (code) => reject(new Error(`s3rver child exited ${String(code)}`)));
  });
  const env = { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', MLVET_CACHE_DIR: '', MLVET_AUDIT_LOCK_SETTLE_MS: '150' };
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  let from = 0;
  const all = (): string[] => readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return {
    endpoint,
    env,
    client,
    requests: () => all().slice(from),
    mark: () => void (from = all().length),
    put: async (bucket, key, body) => void (await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))),
    seed: (bucket, objects) => {
      for (const [key, body] of objects) {
        const file = join(directory, bucket, ...key.split('/'));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(`${file}._S3rver_object`, body);
        writeFileSync(`${file}._S3rver_object.md5`, createHash('md5').update(body).digest('hex'));
        writeFileSync(`${file}._S3rver_metadata.json`, JSON.stringify({ 'content-type': 'binary/octet-stream' }));
      }
    },
    close: async () => {
      client.destroy();
      await new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** body GETs of audited objects (not listings, not the state's own objects) */
export function bodyGets(requests: string[], bucket: string): string[] {
  return requests.filter((r) => r.startsWith(`GET /${bucket}/`) && !r.includes('/.mlvet/') && !/^GET \/[^/]+\/?\?/.test(r) && !r.includes('.journal') && !r.includes('.lock'));
}

export const EVIL = 'cposix\nsystem\n(S\'echo pwned\'\ntR.';

export interface AuditRun {
  code: number;
  stderr: string;
  report: { audit: Record<string, unknown> & { objects: Record<string, number>; scanned: number; carriedOver: number; changes: Array<{ path: string; change: string; verdict: string }>; newlyFailing: string[]; resolved: string[] }; findings: Array<{ ruleId: string; severity: string; evidence?: unknown; location: { path: string }; carriedOver?: true; fingerprint: string }>; targets: Array<{ bytesRead: number; files: number }> };
}

export async function auditJson(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<AuditRun> {
  const r = await runCli(['audit', ...args, '--format', 'json'], opts);
  let report: AuditRun['report'];
  try {
    report = JSON.parse(r.stdout) as AuditRun['report'];
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout.slice(0, 300)}\n${r.stderr.slice(0, 2000)}`);
  }
  return { code: r.code, stderr: r.stderr, report };
}

/** what must agree between two runs over the same objects */
export function findingKeys(r: AuditRun): string[] {
  return r.report.findings.map((f) => `${f.ruleId} ${f.location.path} ${f.fingerprint}`).sort();
}
