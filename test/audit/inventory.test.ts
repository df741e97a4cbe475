/**
 * `--inventory`: S3 Inventory reports generated here in the real AWS layout
 * (`<dest>/<source-bucket>/<config>/<date>/manifest.json` beside `<config>/data/<uuid>.csv.gz|.parquet`,
 * CSV columns in fileSchema order with URL-encoded keys, Parquet with AWS's snake_case columns) list
 * the objects instead of ListObjectsV2. Old versions and delete markers are skipped, the data files'
 * MD5 is checked, and an inventory's identity agrees with a listing's (no rescan when switching).
 * A versioned bucket goes through the versioning proxy, as the source tests do.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fastEnv, startS3, withEnv, type S3Server } from '../sources/helpers.js';
import { startS3Proxy, type S3Proxy } from '../sources/s3-proxy.js';
import { auditJson, EVIL } from './helpers.js';

const KEYS = ['inv/a.json', 'inv/b c.json', 'inv/evil.pkl', 'inv/sub/d.json'];
let s3: S3Server;
let proxy: S3Proxy;
let restore: () => void;
let dir: string;
let listed: Array<{ Key: string; Size: number; ETag: string; LastModified: Date }>;

const SCHEMA = 'Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, ReplicationStatus, EncryptionStatus, ChecksumAlgorithm';
const quote = (v: string): string => `"${v.replace(/"/g, '""')}"`;
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

function csvInventory(root: string): string {
  const rows = listed.map((o) => ['models', encodeURIComponent(o.Key).replace(/%2F/g, '/').replace(/%20/g, '+'), '', 'true', 'false', String(o.Size), o.LastModified.toISOString(), o.ETag.replace(/"/g, ''), 'STANDARD', 'false', '', 'SSE-S3', 'CRC64NVME']);
  rows.push(['models', 'inv/old.pkl', 'v0', 'false', 'false', '10', '2020-01-01T00:00:00.000Z', 'aa', 'STANDARD', 'false', '', 'SSE-S3', '']); // an old version
  rows.push(['models', 'inv/gone.pkl', 'v9', 'true', 'true', '', '2020-01-01T00:00:00.000Z', '', '', '', '', '', '']); // a delete marker
  rows.push(['models', 'other/x.pkl', '', 'true', 'false', '5', '2020-01-01T00:00:00.000Z', 'bb', 'STANDARD', 'false', '', 'SSE-S3', '']); // outside the prefix
  const data = gzipSync(rows.map((r) => r.map(quote).join(',')).join('\n') + '\n');
  const cfg = join(root, 'models', 'nightly');
  mkdirSync(join(cfg, 'data'), { recursive: true });
  mkdirSync(join(cfg, '2026-12-01T01-00Z'), { recursive: true });
  writeFileSync(join(cfg, 'data', '0b3a2c1e-1111-4c5d-9e8f-000000000001.csv.gz'), data);
  const manifest = { sourceBucket: 'models', destinationBucket: 'arn:aws:s3:::inventory-dest', version: '2016-11-30', creationTimestamp: '1764550800000', fileFormat: 'CSV', fileSchema: SCHEMA, files: [{ key: 'inventory/models/nightly/data/0b3a2c1e-1111-4c5d-9e8f-000000000001.csv.gz', size: data.length, MD5checksum: md5(data) }] };
  writeFileSync(join(cfg, '2026-12-01T01-00Z', 'manifest.json'), JSON.stringify(manifest));
  return join(cfg, '2026-12-01T01-00Z', 'manifest.json');
}

function parquetInventory(root: string): string {
  const buf = new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'bucket', data: listed.map(() => 'models'), type: 'STRING' },
        { name: 'key', data: listed.map((o) => o.Key), type: 'STRING' },
        { name: 'is_latest', data: listed.map(() => true), type: 'BOOLEAN' },
        { name: 'is_delete_marker', data: listed.map(() => false), type: 'BOOLEAN' },
        { name: 'size', data: listed.map((o) => BigInt(o.Size)), type: 'INT64' },
        { name: 'last_modified_date', data: listed.map((o) => o.LastModified), type: 'TIMESTAMP' },
        { name: 'e_tag', data: listed.map((o) => o.ETag.replace(/"/g, '')), type: 'STRING' },
      ],
    }),
  );
  const cfg = join(root, 'models', 'weekly');
  mkdirSync(join(cfg, 'data'), { recursive: true });
  mkdirSync(join(cfg, '2026-12-01T01-00Z'), { recursive: true });
  writeFileSync(join(cfg, 'data', 'part-0.parquet'), buf);
  const manifest = { sourceBucket: 'models', destinationBucket: 'arn:aws:s3:::inventory-dest', version: '2016-11-30', fileFormat: 'Parquet', fileSchema: 'message s3.inventory { required binary bucket (STRING); required binary key (STRING); }', files: [{ key: 'inventory/models/weekly/data/part-0.parquet', size: buf.length, MD5checksum: md5(buf) }] };
  writeFileSync(join(cfg, '2026-12-01T01-00Z', 'manifest.json'), JSON.stringify(manifest));
  return join(cfg, '2026-12-01T01-00Z', 'manifest.json');
}

beforeAll(async () => {
  s3 = await startS3(['models']);
  for (const k of KEYS) await s3.put('models', k, Buffer.from(k.endsWith('.pkl') ? EVIL : '{}', 'latin1'));
  restore = withEnv({ ...fastEnv(), ...s3.env, MLVET_AUDIT_LOCK_SETTLE_MS: '50' });
  const page = await s3.client.send(new ListObjectsV2Command({ Bucket: 'models', Prefix: 'inv/' }));
  listed = (page.Contents ?? []) as typeof listed;
  proxy = await startS3Proxy(s3.endpoint, { versioned: true });
  dir = mkdtempSync(join(tmpdir(), 'mlvet-audit-inv-'));
}, 60_000);
afterAll(async () => {
  restore();
  await proxy.close();
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

const PATHS = KEYS.map((k) => k.slice(4)).sort();

describe('audit --inventory', () => {
  it.each([
    ['CSV (gzip)', csvInventory],
    ['Parquet', parquetInventory],
  ])('%s inventory lists the current objects; a listing afterwards finds them unchanged', async (name, make) => {
    const manifest = make(join(dir, `dest-${name.slice(0, 3)}`));
    const state = `inv-${name.slice(0, 3)}.json`;
    const r = await auditJson(['s3://models/inv/', '--inventory', manifest, '--state', state, '--fail-on', 'high'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.report.audit.changes.map((c) => c.path)).toEqual(PATHS);
    expect(r.report.audit.newlyFailing).toEqual(['evil.pkl']);
    const again = await auditJson(['s3://models/inv/', '--state', state, '--fail-on', 'high'], { cwd: dir });
    expect(again.report.audit).toMatchObject({ scanned: 0, carriedOver: KEYS.length, changes: [] });
  }, 60_000);

  it('a data file that is not the one the manifest names (MD5) is refused', async () => {
    const manifest = csvInventory(join(dir, 'dest-md5'));
    writeFileSync(join(dir, 'dest-md5', 'models', 'nightly', 'data', '0b3a2c1e-1111-4c5d-9e8f-000000000001.csv.gz'), gzipSync('"models","inv/a.json"\n'));
    const r = await runCli(['audit', 's3://models/inv/', '--inventory', manifest, '--state', 'inv-md5.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PARSE_ERROR: inventory .*0b3a2c1e-1111-4c5d-9e8f-000000000001\.csv\.gz: MD5 [0-9a-f]{32} is not the manifest's/);
  }, 30_000);
});

describe('audit of a versioned bucket (through the versioning proxy)', () => {
  it('scans once, then carries over', async () => {
    const env = { AWS_ENDPOINT_URL_S3: proxy.endpoint };
    const r1 = await auditJson(['s3://models/inv/', '--state', 'ver.json', '--fail-on', 'high'], { cwd: dir, env });
    expect(r1.report.audit).toMatchObject({ scanned: KEYS.length, newlyFailing: ['evil.pkl'] });
    const r2 = await auditJson(['s3://models/inv/', '--state', 'ver.json', '--fail-on', 'high'], { cwd: dir, env });
    expect(r2.code).toBe(r1.code);
    expect(r2.report.audit).toMatchObject({ scanned: 0, carriedOver: KEYS.length });
    expect(r2.report.targets[0]!.bytesRead).toBe(0);
  }, 60_000);
});
