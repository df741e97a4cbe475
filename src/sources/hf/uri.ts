/**
 * `hf://` targets, in the Python filesystem's spelling:
 * `hf://[datasets/|spaces/]<org>/<name>[@<revision>][/<path>]`. A revision that starts with `refs/`
 * (`refs/pr/3`, `refs/convert/parquet`) spans three segments; `%2F` may stand for a slash in it.
 */
import { MlvetError } from '../../errors.js';

export type HubRepoType = 'model' | 'dataset' | 'space';

export interface HubTarget {
  type: HubRepoType;
  /** `org/name` (or a legacy single-segment model name such as `gpt2`) */
  repo: string;
  /** as the user wrote it; undefined = the default branch */
  revision?: string;
  /** a folder or file inside the repo */
  path?: string;
}

export const COMMIT_RE = /^[0-9a-f]{40}$/;

const PREFIXES: Array<[string, HubRepoType]> = [
  ['datasets/', 'dataset'],
  ['spaces/', 'space'],
  ['models/', 'model'],
];

function bad(target: string, why: string): MlvetError {
  return new MlvetError('USAGE', `bad hf:// target ${target}: ${why}; expected hf://[datasets/|spaces/]<org>/<name>[@<revision>][/<path>]`);
}

export function parseHubTarget(target: string): HubTarget {
  if (!target.startsWith('hf://')) throw bad(target, 'not hf://');
  let rest = target.slice('hf://'.length).replace(/^\/+/, '');
  let type: HubRepoType = 'model';
  for (const [p, t] of PREFIXES) {
    if (rest.startsWith(p)) {
      type = t;
      rest = rest.slice(p.length);
      break;
    }
  }
  const segs = rest.split('/').filter((s) => s !== '');
  if (segs.length === 0) throw bad(target, 'no repository');
  // `org/name@rev/...`, or a single-segment model `gpt2@rev/...`
  const nameCount = segs[0]!.includes('@') || segs.length === 1 ? 1 : 2;
  if (type !== 'model' && nameCount === 1 && !segs[0]!.includes('@')) throw bad(target, `${type} ids are <org>/<name>`);
  const nameSegs = segs.slice(0, nameCount);
  let after = segs.slice(nameCount);
  const lastName = nameSegs[nameSegs.length - 1]!;
  let revision: string | undefined;
  const at = lastName.indexOf('@');
  if (at >= 0) {
    nameSegs[nameSegs.length - 1] = lastName.slice(0, at);
    const first = decodeURIComponent(lastName.slice(at + 1));
    if (first === 'refs' && after.length >= 2) {
      revision = ['refs', ...after.slice(0, 2)].join('/');
      after = after.slice(2);
    } else revision = first;
    if (!revision) throw bad(target, 'empty revision');
  }
  const repo = nameSegs.join('/');
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(repo)) throw bad(target, `invalid repository id "${repo}"`);
  return { type, repo, ...(revision ? { revision } : {}), ...(after.length ? { path: after.join('/') } : {}) };
}

/** URL path prefix of a repo on the Hub (`datasets/org/name`, `org/name`). */
export function repoUrlPath(t: Pick<HubTarget, 'type' | 'repo'>): string {
  return t.type === 'model' ? t.repo : `${t.type}s/${t.repo}`;
}

/** Canonical, pinned URI of the target at a commit. */
export function pinnedUri(t: HubTarget, commit: string): string {
  const prefix = t.type === 'model' ? '' : `${t.type}s/`;
  return `hf://${prefix}${t.repo}@${commit}${t.path ? `/${t.path}` : ''}`;
}
