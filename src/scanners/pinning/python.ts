/**
 * Python sources: downloads from the Hub or torch.hub without a pinned revision, `trust_remote_code=True`,
 * and plain-HTTP model URLs, each with line and column, from the token stream (never a regex over source).
 */
import { argFor, findCalls, type PyArg, type PyCall } from '../../formats/python/calls.js';
import { tokenize, type Token } from '../../formats/python/tokenize.js';
import type { Fact } from '../../model/facts.js';
import { insecureUrl } from './urls.js';

const HUB_CALLS = new Set(['from_pretrained', 'hf_hub_download', 'snapshot_download', 'load_dataset', 'torch.hub.load', 'hub.load']);
const COMMIT = /^[0-9a-f]{40}$/;
/** `load_dataset` builders that read local files, not a Hub repo */
const LOCAL_BUILDERS = new Set(['csv', 'json', 'parquet', 'text', 'arrow', 'imagefolder', 'audiofolder', 'videofolder', 'webdataset', 'pandas', 'sql', 'generator', 'xml']);

interface HubRef {
  repo: string;
  revision: PyArg | string | undefined;
}

function isLocal(repo: string): boolean {
  return /^(\.|\/|~|[A-Za-z]:[\\/])/.test(repo) || repo.includes('\\') || LOCAL_BUILDERS.has(repo);
}

/** The repo and revision a call names, or undefined when it reads local files or cannot be known. */
function hubRef(call: PyCall): HubRef | undefined {
  const fn = call.callee.slice(call.callee.lastIndexOf('.') + 1);
  if (fn === 'load' && call.callee.endsWith('hub.load')) {
    const source = argFor(call, 'source');
    if (source?.literal === 'local') return undefined;
    const r = argFor(call, 'repo_or_dir', 0);
    if (typeof r?.literal !== 'string' || isLocal(r.literal)) return undefined;
    const [repo, ref] = r.literal.split(':', 2);
    return { repo: repo!, revision: ref };
  }
  const param = fn === 'from_pretrained' ? 'pretrained_model_name_or_path' : fn === 'load_dataset' ? 'path' : 'repo_id';
  const r = argFor(call, param, 0);
  if (typeof r?.literal !== 'string' || r.literal === '' || isLocal(r.literal)) return undefined;
  return { repo: r.literal, revision: argFor(call, 'revision') };
}

function pinState(call: PyCall, rev: PyArg | string | undefined): 'pinned' | 'unpinned' | 'unknown' {
  if (typeof rev === 'string') return COMMIT.test(rev) ? 'pinned' : 'unpinned';
  if (rev === undefined) return call.args.some((a) => a.star === '**') ? 'unknown' : 'unpinned';
  if (rev.dynamic) return 'unknown';
  return typeof rev.literal === 'string' && COMMIT.test(rev.literal) ? 'pinned' : 'unpinned';
}

function callFacts(call: PyCall, path: string): Fact[] {
  const facts: Fact[] = [];
  const loc = { path, line: call.line, column: call.column };
  const ref = HUB_CALLS.has(call.callee) || HUB_CALLS.has(call.callee.slice(call.callee.lastIndexOf('.') + 1)) ? hubRef(call) : undefined;
  if (ref) {
    const rev = typeof ref.revision === 'string' ? ref.revision : ref.revision?.literal;
    facts.push({
      kind: 'python.hub-download',
      location: loc,
      data: { function: call.callee, repo: ref.repo, revision: typeof rev === 'string' ? rev : '(none)', pin: pinState(call, ref.revision), key: `${call.callee}:${ref.repo}` },
    });
  }
  const trc = argFor(call, 'trust_remote_code');
  if (trc?.literal === true) {
    facts.push({
      kind: 'python.trust-remote-code',
      location: { path, line: trc.line, column: trc.column },
      data: { function: call.callee, ...(ref ? { repo: ref.repo } : {}), key: call.callee },
    });
  }
  return facts;
}

export function pythonFacts(src: string, path: string): Fact[] {
  const tokens: Token[] = tokenize(src);
  const calls = findCalls(tokens, new Set([...HUB_CALLS, 'pipeline', 'load_model', 'AutoConfig', 'from_config', 'load_dataset_builder', 'get_dataset_config_names']));
  const facts = calls.flatMap((c) => callFacts(c, path));
  for (const t of tokens) {
    if (t.type !== 'STRING') continue;
    const url = insecureUrl(t.value ?? t.text.replace(/^[a-zA-Z]*['"]+|['"]+$/g, ''));
    if (url) facts.push({ kind: 'source.insecure-url', location: { path, line: t.line, column: t.column }, data: { url, context: 'python', key: url } });
  }
  return facts;
}
