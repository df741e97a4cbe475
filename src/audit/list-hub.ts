/**
 * `hf://<org>`: every model and dataset repo of an organisation through @huggingface/hub's list calls
 * (`/api/models?author=`, `/api/datasets?author=` with `expand=sha`), one object per repo whose
 * identity is its default branch's commit; `hf://<org>/<repo>` is that one repo. A repo whose commit
 * moved is scanned whole at the new commit (cross-file rules see the whole repo).
 */
import { datasetInfo, listDatasets, listModels, modelInfo } from '@huggingface/hub';
import { remoteOptions, resilientFetch } from '../artifact/remote/index.js';
import { MlvetError } from '../errors.js';
import { hubToken, hubUrl } from '../sources/hf/auth.js';
import { hubError } from '../sources/hf/errors.js';
import { parseHubTarget } from '../sources/hf/uri.js';
import type { AuditObject } from './types.js';

interface Listed {
  type: 'model' | 'dataset';
  repo: string;
  sha?: unknown;
}

function object(l: Listed): AuditObject {
  if (typeof l.sha !== 'string' || !/^[0-9a-f]{40}$/.test(l.sha)) throw new MlvetError('REMOTE_ERROR', `hf://${l.repo}: the Hub listed no commit for it`, { path: l.repo });
  const path = l.type === 'model' ? l.repo : `datasets/${l.repo}`;
  return { path, size: 0, identity: { kind: 'hf', type: l.type, repo: l.repo, sha: l.sha }, scanTarget: `hf://${path}@${l.sha}` };
}

/** `hf://org` (one segment) names an organisation; anything longer is a repo */
export function isHubOrg(target: string): boolean {
  return /^hf:\/\/[\w.-]+\/?$/.test(target);
}

export async function listHub(target: string, env: NodeJS.ProcessEnv): Promise<AuditObject[]> {
  const token = hubToken(env);
  const base = { hubUrl: hubUrl(env), fetch: resilientFetch(remoteOptions(env)), ...(token ? { accessToken: token } : {}) };
  const out: Listed[] = [];
  try {
    if (isHubOrg(target)) {
      const owner = target.slice('hf://'.length).replace(/\/$/, '');
      for await (const m of listModels({ ...base, search: { owner }, additionalFields: ['sha'] })) out.push({ type: 'model', repo: m.name, sha: m.sha });
      for await (const d of listDatasets({ ...base, search: { owner }, additionalFields: ['sha'] })) out.push({ type: 'dataset', repo: d.name, sha: (d as { sha?: unknown }).sha });
    } else {
      const t = parseHubTarget(target);
      if (t.revision || t.path || t.type === 'space') throw new MlvetError('USAGE', `audit ${target}: name an organisation (hf://org) or a model or dataset repo (hf://[datasets/]org/name), without @revision or a path`);
      const info = t.type === 'dataset' ? await datasetInfo({ ...base, name: t.repo, additionalFields: ['sha'] }) : await modelInfo({ ...base, name: t.repo, additionalFields: ['sha'] });
      out.push({ type: t.type, repo: t.repo, sha: info.sha });
    }
  } catch (e) {
    throw hubError(e, target, token !== undefined);
  }
  return out.map(object).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
