/**
 * A dataset is one file or a directory of shards (a Hugging Face dataset layout: `data/train-0000x-of-0000n.parquet`,
 * `<config>/<split>/*.parquet`, …), read in a stable order as one table.
 */
import { closeSync, lstatSync, openSync, readSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { MlvetError } from '../../errors.js';
import type { Batch, DataFile, ReaderOptions } from '../types.js';
import { readArrow } from './arrow.js';
import { readCsv } from './csv.js';
import { readJsonl } from './jsonl.js';
import { readParquet } from './parquet.js';

const EXT: Array<[RegExp, DataFile['format']]> = [
  [/\.parquet$/i, 'parquet'],
  [/\.(arrow|feather|ipc|arrows)$/i, 'arrow'],
  [/\.(jsonl|ndjson|json)$/i, 'jsonl'],
  [/\.tsv$/i, 'tsv'],
  [/\.(csv|txt)$/i, 'csv'],
];
const MAX_FILES = 100_000;
const MAX_DEPTH = 256;

function sniff(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(8);
    const n = readSync(fd, b, 0, 8, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export function classify(path: string, display: string): DataFile | null {
  let name = basename(path);
  let compression: DataFile['compression'] = 'none';
  if (/\.gz$/i.test(name)) {
    compression = 'gzip';
    name = name.slice(0, -3);
  } else if (/\.zst$/i.test(name)) {
    compression = 'zstd';
    name = name.slice(0, -4);
  }
  const head = sniff(path);
  if (compression === 'none' && head[0] === 0x1f && head[1] === 0x8b) compression = 'gzip';
  if (compression === 'none' && head.readUInt32LE(0) === 0xfd2fb528) compression = 'zstd';
  let format = EXT.find(([re]) => re.test(name))?.[1];
  if (compression === 'none' && head.subarray(0, 4).toString('latin1') === 'PAR1') format = 'parquet';
  if (compression === 'none' && head.subarray(0, 6).toString('latin1') === 'ARROW1') format = 'arrow';
  if (!format) return null;
  if ((format === 'parquet' || format === 'arrow') && compression !== 'none') {
    throw new MlvetError('UNSUPPORTED', `${display}: compressed ${format} files are not supported; ${format} compresses its own pages`, { path: display });
  }
  return { path, display, format, compression, size: statSync(path).size };
}

/**
 * An entry's stat, following a symlink only while it stays inside the dataset: a link out of the
 * directory (a planted `train.csv -> ~/secrets.csv`) is refused, not read into a report's examples.
 */
function entryStat(p: string, realRoot: string, target: string): Stats {
  const l = lstatSync(p);
  if (!l.isSymbolicLink()) return l;
  let real: string;
  try {
    real = realpathSync(p);
  } catch {
    throw new MlvetError('NOT_FOUND', `${target}: ${relative(realRoot, p)} is a broken symlink`, { path: p });
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw new MlvetError('PATH_UNSAFE', `${target}: ${basename(p)} links outside the dataset; refusing to follow it`, { path: p });
  }
  return statSync(real);
}

/** Every data file under a path, sorted so shard order (and so row numbers) is stable. */
export function listDataset(target: string, cwd = process.cwd()): DataFile[] {
  const root = resolve(cwd, target);
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new MlvetError('NOT_FOUND', `no such dataset: ${target}`, { path: target });
  }
  if (!st.isFile() && !st.isDirectory()) throw new MlvetError('USAGE', `${target}: not a regular file or a directory`, { path: target });
  if (st.isFile()) {
    const f = classify(root, target);
    if (!f) throw new MlvetError('USAGE', `${target}: not a dataset (a CSV, TSV, JSONL, Parquet or Arrow file, or a directory of them)`, { path: target });
    return [f];
  }
  const out: DataFile[] = [];
  const realRoot = realpathSync(root);
  // an explicit stack of (dir, sorted names): depth-first in name order, as the recursive walk was
  const stack: Array<{ dir: string; names: string[]; next: number }> = [{ dir: root, names: readdirSync(root).sort(), next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const name = top.names[top.next++];
    if (name === undefined) {
      stack.pop();
      continue;
    }
    if (name.startsWith('.')) continue;
    const p = join(top.dir, name);
    const s = entryStat(p, realRoot, target);
    if (s.isDirectory()) {
      if (stack.length >= MAX_DEPTH) throw new MlvetError('LIMIT_EXCEEDED', `${target}: directories nested deeper than ${MAX_DEPTH}`, { path: target });
      stack.push({ dir: p, names: readdirSync(p).sort(), next: 0 });
    } else if (s.isFile() && !/^(README|LICENSE)|\.(md|py|lock|yaml|yml|mlvet\.json)$|dataset_infos?\.json$|^dataset_dict\.json$|^state\.json$/i.test(name)) {
      const f = classify(p, relative(cwd, p) || name);
      if (f) out.push(f);
    }
    if (out.length > MAX_FILES) throw new MlvetError('LIMIT_EXCEEDED', `${target}: more than ${MAX_FILES} data files`, { path: target });
  }
  if (out.length === 0) throw new MlvetError('NOT_FOUND', `${target}: no CSV, TSV, JSONL, Parquet or Arrow files inside`, { path: target });
  const formats = new Set(out.map((f) => (f.format === 'tsv' ? 'csv' : f.format)));
  if (formats.size > 1) {
    // an HF repo may carry both parquet shards and a raw copy; read the columnar one
    const pick = formats.has('parquet') ? 'parquet' : formats.has('arrow') ? 'arrow' : [...formats][0];
    return out.filter((f) => (f.format === 'tsv' ? 'csv' : f.format) === pick);
  }
  return out;
}

export async function* readFile(file: DataFile, rowStart: number, opts: ReaderOptions): AsyncGenerator<Batch> {
  switch (file.format) {
    case 'csv':
    case 'tsv':
      yield* readCsv(file, rowStart, opts);
      break;
    case 'jsonl':
      yield* readJsonl(file, rowStart, opts);
      break;
    case 'parquet':
      yield* readParquet(file, rowStart, opts);
      break;
    case 'arrow':
      yield* readArrow(file, rowStart, opts);
      break;
  }
}

/** All batches of a dataset, shard after shard, with continuous row numbers. */
export async function* readDataset(files: readonly DataFile[], opts: ReaderOptions = {}): AsyncGenerator<Batch> {
  let row = 0;
  for (const f of files) {
    for await (const b of readFile(f, row, opts)) {
      row += b.length;
      yield b;
    }
  }
}
