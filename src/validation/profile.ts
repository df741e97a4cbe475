/**
 * `profile()`: build a baseline from trusted data (two streaming passes) and, optionally, a GX 1.x
 * suite inferred from it.
 */
import { basename, relative, resolve, sep } from 'node:path';
import { MlvetError } from '../errors.js';
import type { Baseline } from './profile/baseline.js';
import { buildBaseline } from './profile/build.js';
import { inferSuite } from './profile/suite.js';
import { listDataset } from './readers/dataset.js';
import { localizeDataset } from './readers/remote.js';
import type { OnProgress } from './progress.js';
import type { ReaderOptions, RowProblem } from './types.js';

export interface ProfileOptions {
  /** a file or shard directory, or a remote dataset (`hf://datasets/org/name@rev`, `s3://…`, `https://…`) */
  dataset: string;
  offline?: boolean;
  /** environment for remote sources (endpoints, credentials source names); default process.env */
  env?: NodeJS.ProcessEnv;
  label?: string;
  /** identifier columns, instead of detecting them */
  ids?: string[];
  reader?: ReaderOptions;
  spillBudget?: number;
  suiteName?: string;
  /** called as batches stream (pass, rows, files and bytes done), for a progress bar */
  onProgress?: OnProgress;
  /** directory a relative dataset path is resolved against (default: the process's cwd) */
  cwd?: string;
  /** keep only the files whose path (relative to the dataset, `/`-separated) this accepts: `--shard K/N` */
  select?: (relPath: string) => boolean;
  /** take kinds, identifiers, bin edges and robust bounds from this baseline, so shard profiles merge */
  edgesFrom?: Baseline;
}

export interface ProfileOutput {
  baseline: Baseline;
  suite: Record<string, unknown>;
  problems: RowProblem[];
}

export async function profile(o: ProfileOptions): Promise<ProfileOutput> {
  const local = await localizeDataset(o.dataset, { offline: o.offline, ...(o.env ? { env: o.env } : {}) });
  try {
    return await profileAt(o, local.path);
  } finally {
    local.cleanup();
  }
}

async function profileAt(o: ProfileOptions, path: string): Promise<ProfileOutput> {
  const all = listDataset(path, o.cwd);
  const root = resolve(o.cwd ?? process.cwd(), path);
  const files = o.select ? all.filter((f) => o.select!(relative(root, f.path).split(sep).join('/') || basename(f.path))) : all;
  if (files.length === 0) throw new MlvetError('NOT_FOUND', `${o.dataset}: no data file falls in this shard (${all.length} files in all)`, { path: o.dataset });
  const problems: RowProblem[] = [];
  const baseline = await buildBaseline(files, { ...(o.edgesFrom ? { edgesFrom: o.edgesFrom } : {}), label: o.label, ...(o.onProgress ? { onProgress: o.onProgress } : {}), ...(o.ids ? { ids: o.ids } : {}), spillBudget: o.spillBudget, reader: { ...(o.reader ?? {}), onProblem: (p) => problems.push(p) } });
  if (o.label && !baseline.columns.some((c) => c.name === o.label)) throw new MlvetError('USAGE', `--label ${o.label}: no such column in ${o.dataset}`);
  const name = o.suiteName ?? o.dataset.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') ?? 'dataset';
  return { baseline, suite: inferSuite(baseline, name), problems };
}
