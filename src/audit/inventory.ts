/**
 * `--inventory`: an S3 Inventory report as the object list, for buckets too big to list. Reads the
 * real layout: `manifest.json` (sourceBucket, destinationBucket ARN, fileFormat, fileSchema, files[]
 * with key and MD5checksum) and its data files, CSV (gzip, no header, keys URL-encoded, columns in
 * fileSchema order) or Parquet (snake_case columns). Each data file is checked against its MD5;
 * non-current versions and delete markers are skipped; a VersionId pins the read.
 */
import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { remoteOptions } from '../artifact/remote/index.js';
import { MlvetError } from '../errors.js';
import { readRegularBytes } from '../files.js';
import { s3Client } from '../sources/s3/index.js';
import { call } from '../sources/s3/objects.js';
import { objectUri, parseS3Target } from '../sources/s3/uri.js';
import { excludedKey, s3Object } from './list-s3.js';
import type { AuditObject } from './types.js';

const MAX_DATA_BYTES = 512 * 1024 * 1024;

interface Manifest {
  sourceBucket: string;
  destinationBucket: string;
  fileFormat: string;
  fileSchema: string;
  files: Array<{ key: string; size?: number; MD5checksum?: string }>;
}

interface Row {
  bucket?: string;
  key?: string;
  versionId?: string;
  isLatest?: boolean;
  isDeleteMarker?: boolean;
  size?: number;
  lastModified?: string;
  etag?: string;
  checksumAlgorithm?: string;
}

const bad = (where: string, why: string, details: Record<string, unknown> = {}): MlvetError => new MlvetError('PARSE_ERROR', `inventory ${where}: ${why}`, { path: where, ...details });

function checkManifest(v: unknown, where: string): Manifest {
  const m = v as Partial<Manifest>;
  if (typeof m !== 'object' || m === null || typeof m.sourceBucket !== 'string' || typeof m.fileFormat !== 'string' || !Array.isArray(m.files)) throw bad(where, 'not an S3 Inventory manifest.json (sourceBucket, fileFormat, files)');
  if (!['CSV', 'Parquet'].includes(m.fileFormat)) throw new MlvetError('UNSUPPORTED', `inventory ${where}: fileFormat ${m.fileFormat} (CSV and Parquet are read)`, { path: where });
  for (const f of m.files) if (typeof f?.key !== 'string') throw bad(where, 'a files[] entry has no key');
  return { destinationBucket: '', fileSchema: '', ...m } as Manifest;
}

async function getS3(uri: string, env: NodeJS.ProcessEnv): Promise<Uint8Array> {
  const t = parseS3Target(uri);
  const client = s3Client(env);
  try {
    return await call(uri, remoteOptions(env), async (abortSignal) => {
      const r = await client.send(new GetObjectCommand({ Bucket: t.bucket, Key: t.key }), { abortSignal });
      if ((r.ContentLength ?? 0) > MAX_DATA_BYTES) throw bad(uri, `${r.ContentLength} bytes is more than the ${MAX_DATA_BYTES} read for one inventory file`);
      return r.Body!.transformToByteArray();
    });
  } finally {
    client.destroy();
  }
}

/** where a data file named in the manifest is: beside the manifest's config folder locally, in the destination bucket remotely */
function dataLocation(manifestUri: string, m: Manifest, key: string): string {
  if (manifestUri.startsWith('s3://')) {
    const dest = m.destinationBucket.replace(/^arn:aws:s3:::/, '') || parseS3Target(manifestUri).bucket;
    return objectUri(dest, key);
  }
  // `<prefix>/<source>/<config>/<date>/manifest.json` next to `<prefix>/<source>/<config>/data/<file>`
  const file = basename(key);
  if (!/^[\w.-]+$/.test(file) || file.startsWith('..')) throw bad(manifestUri, `data file name ${JSON.stringify(key)} is not a plain file name`);
  return join(dirname(dirname(manifestUri)), 'data', file);
}

const CSV_FIELDS: Record<string, keyof Row> = {
  Bucket: 'bucket', Key: 'key', VersionId: 'versionId', IsLatest: 'isLatest', IsDeleteMarker: 'isDeleteMarker', Size: 'size', LastModifiedDate: 'lastModified', ETag: 'etag', ChecksumAlgorithm: 'checksumAlgorithm',
};
const PARQUET_FIELDS: Record<string, keyof Row> = {
  bucket: 'bucket', key: 'key', version_id: 'versionId', is_latest: 'isLatest', is_delete_marker: 'isDeleteMarker', size: 'size', last_modified_date: 'lastModified', e_tag: 'etag', checksum_algorithm: 'checksumAlgorithm',
};

function csvRows(bytes: Uint8Array, schema: string, where: string): Row[] {
  const cols = schema.split(',').map((s) => s.trim());
  if (!cols.includes('Key')) throw bad(where, 'fileSchema names no Key column');
  const text = gunzipSync(bytes, { maxOutputLength: MAX_DATA_BYTES }).toString('utf8');
  let records: string[][];
  try {
    const parsed: unknown = (parse as (input: string, options: object) => unknown)(text, { skip_empty_lines: true });
    records = parsed as string[][];
  } catch (e) {
    throw bad(where, `CSV does not parse: ${(e as Error).message}`);
  }
  return records.map((rec, i) => {
    if (rec.length !== cols.length) throw bad(where, `row ${i + 1} has ${rec.length} fields, the fileSchema ${cols.length}`, { row: i + 1 });
    const row: Row = {};
    cols.forEach((c, j) => {
      const f = CSV_FIELDS[c];
      const v = rec[j] ?? '';
      if (!f || v === '') return;
      if (f === 'size') row.size = Number(v);
      else if (f === 'isLatest' || f === 'isDeleteMarker') row[f] = v === 'true';
      // CSV inventories URL-encode keys (spaces as +), Parquet ones do not
      else if (f === 'key') row.key = decodeURIComponent(v.replace(/\+/g, ' '));
      else row[f] = v;
    });
    return row;
  });
}

async function parquetRows(bytes: Uint8Array, where: string): Promise<Row[]> {
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let objs: Array<Record<string, unknown>>;
  try {
    objs = (await parquetReadObjects({ file: buf, compressors })) as Array<Record<string, unknown>>;
  } catch (e) {
    throw bad(where, `Parquet does not decode: ${(e as Error).message}`);
  }
  return objs.map((o) => {
    const row: Row = {};
    for (const [c, f] of Object.entries(PARQUET_FIELDS)) {
      const v = o[c];
      if (v === undefined || v === null) continue;
      if (f === 'size') row.size = Number(v);
      else if (f === 'isLatest' || f === 'isDeleteMarker') row[f] = Boolean(v);
      else if (f === 'lastModified') row.lastModified = (v instanceof Date ? v : new Date(Number(v))).toISOString();
      else row[f] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    return row;
  });
}

export async function readInventory(manifestUri: string, o: { target: string; env: NodeJS.ProcessEnv; cwd: string; stateKeys: readonly string[] }): Promise<AuditObject[]> {
  const local = !manifestUri.startsWith('s3://');
  const where = local ? resolve(o.cwd, manifestUri) : manifestUri;
  const read = (u: string): Promise<Uint8Array> => (local ? Promise.resolve(readRegularBytes(u, 'inventory file', MAX_DATA_BYTES)) : getS3(u, o.env));
  let m: Manifest;
  try {
    m = checkManifest(JSON.parse(Buffer.from(await read(where)).toString('utf8')), manifestUri);
  } catch (e) {
    if (e instanceof MlvetError) throw e;
    throw bad(manifestUri, `manifest.json is not JSON (${(e as Error).message})`);
  }
  const t = parseS3Target(o.target);
  if (m.sourceBucket !== t.bucket) throw new MlvetError('USAGE', `inventory ${manifestUri} is of bucket ${m.sourceBucket}, not ${t.bucket}`);
  const out: AuditObject[] = [];
  for (const f of m.files) {
    const loc = dataLocation(where, m, f.key);
    const bytes = await read(loc);
    const md5 = createHash('md5').update(bytes).digest('hex');
    if (f.MD5checksum && f.MD5checksum.toLowerCase() !== md5) throw bad(loc, `MD5 ${md5} is not the manifest's ${f.MD5checksum}: the data file is not the one the manifest lists`);
    const rows = m.fileFormat === 'CSV' ? csvRows(bytes, m.fileSchema, loc) : await parquetRows(bytes, loc);
    for (const r of rows) {
      if (!r.key || r.isLatest === false || r.isDeleteMarker === true || (r.bucket && r.bucket !== t.bucket)) continue;
      if (!r.key.startsWith(t.key) || (r.key.endsWith('/') && !r.size) || excludedKey(r.key, o.stateKeys)) continue;
      const obj = s3Object(t.bucket, t.key, {
        key: r.key,
        size: r.size ?? 0,
        ...(r.etag ? { etag: r.etag } : {}),
        ...(r.lastModified ? { lastModified: new Date(r.lastModified).toISOString() } : {}),
        ...(r.versionId && r.versionId !== 'null' ? { versionId: r.versionId } : {}),
        ...(r.checksumAlgorithm ? { checksum: r.checksumAlgorithm } : {}),
      });
      out.push(r.versionId && r.versionId !== 'null' ? { ...obj, scanTarget: objectUri(t.bucket, r.key, r.versionId) } : obj);
    }
  }
  return out;
}
