/**
 * `--from-dvc dvc.lock`: DVC stages become transforms, their outputs become sets, and inputs that
 * no stage produces become sources. DVC's MD5 is kept only as a weak extra digest: mlvet re-hashes
 * every local file with SHA-256 and never accepts MD5 alone as integrity.
 */
import { readRegularFile } from '../../files.js';
import { load } from 'js-yaml';
import { MlvetError } from '../../errors.js';
import { unsafeReason } from '../paths.js';

export interface DvcEntry {
  path: string;
  md5?: string;
  /** DVC 3 writes `hash: md5` (raw bytes); without it the digest is DVC 2's md5-dos2unix */
  hash?: string;
  size?: number;
  etag?: string;
  versionId?: string;
}

export interface DvcStage {
  name: string;
  cmd: string;
  deps: DvcEntry[];
  outs: DvcEntry[];
  params: Record<string, unknown>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readDvcLock(file: string): DvcStage[] {
  let doc: unknown;
  const text = readRegularFile(file, '--from-dvc');
  try {
    doc = load(text, { filename: file, json: true });
  } catch (e) {
    throw new MlvetError('MANIFEST_INVALID', `${file}: not readable YAML: ${(e as Error).message.split('\n')[0]}`, { path: file });
  }
  if (!isObj(doc) || !isObj(doc.stages)) throw new MlvetError('MANIFEST_INVALID', `${file}: no "stages" mapping (is this a dvc.lock?)`, { path: file });
  return Object.entries(doc.stages).map(([name, raw]) => stage(file, name, raw));
}

function stage(file: string, name: string, raw: unknown): DvcStage {
  if (!isObj(raw)) throw new MlvetError('MANIFEST_INVALID', `${file}: stage ${name} is not a mapping`, { path: file });
  const cmd = Array.isArray(raw.cmd) ? raw.cmd.map(String).join(' && ') : typeof raw.cmd === 'string' ? raw.cmd : '';
  return {
    name,
    cmd,
    deps: entries(file, name, raw.deps),
    outs: entries(file, name, raw.outs),
    params: isObj(raw.params) ? raw.params : {},
  };
}

function entries(file: string, stageName: string, raw: unknown): DvcEntry[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new MlvetError('MANIFEST_INVALID', `${file}: stage ${stageName}: deps/outs must be lists`, { path: file });
  return raw.map((e: unknown) => {
    if (!isObj(e) || typeof e.path !== 'string') throw new MlvetError('MANIFEST_INVALID', `${file}: stage ${stageName}: an entry has no path`, { path: file });
    const path = e.path.replace(/\/+$/, '');
    const why = unsafeReason(path);
    if (why) throw new MlvetError('MANIFEST_INVALID', `${file}: stage ${stageName}: unsafe path ${JSON.stringify(e.path)} (${why})`, { path: file });
    return {
      path,
      ...(typeof e.md5 === 'string' ? { md5: e.md5 } : {}),
      ...(typeof e.hash === 'string' ? { hash: e.hash } : {}),
      ...(typeof e.size === 'number' ? { size: e.size } : {}),
      ...(typeof e.etag === 'string' ? { etag: e.etag } : {}),
      ...(typeof e.version_id === 'string' ? { versionId: e.version_id } : {}),
    };
  });
}
