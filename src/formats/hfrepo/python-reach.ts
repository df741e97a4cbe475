/**
 * What a repository Python file can do beyond defining a model, read from its tokens (never a regex
 * over source, so `model.eval()` and a docstring saying "exec" are not hits): it executes (subprocess,
 * os.system, bare exec/eval/compile/__import__, importlib, torch.hub.load, unpickling) or it fetches
 * (requests, urllib, httpx, sockets, Hub downloads). Imports count as well as calls: a file that
 * imports subprocess can run it from any path the loader takes.
 */
import { findCalls, importAliases } from '../python/calls.js';
import { tokenize } from '../python/tokenize.js';

export type Reach = 'none' | 'fetches' | 'executes' | 'unparsed';

export interface PythonReach {
  reach: Reach;
  /** `what:line`, in source order, at most MAX_REASONS */
  reasons: string[];
}

const MAX_REASONS = 8;
const EXEC_MODULES = [
  'subprocess',
  'pty',
  'ctypes',
  'marshal',
  'pickle',
  'dill',
  'cloudpickle',
  'runpy',
  'importlib',
  'code',
];
const FETCH_MODULES = [
  'requests',
  'urllib',
  'urllib3',
  'http.client',
  'httpx',
  'aiohttp',
  'socket',
  'ftplib',
  'pycurl',
  'wget',
  'paramiko',
];
const BARE_EXEC = new Set(['exec', 'eval', 'compile', '__import__', 'execfile']);
const OS_EXEC = /^os\.(system|popen|exec\w*|spawn\w*|posix_spawn\w*|fork\w*)$/;
const EXEC_CALLS =
  /^(subprocess|pty|runpy|importlib|code|ctypes)\.|^(torch\.hub\.load|torch\.load|joblib\.load|pickle\.loads?|dill\.loads?|marshal\.loads?|numpy\.load)$/;
const FETCH_CALLS =
  /^(requests|urllib|urllib3|httpx|aiohttp|socket|http\.client|ftplib)\.|(^|\.)(urlopen|urlretrieve|hf_hub_download|snapshot_download|cached_download|download_url_to_file|load_state_dict_from_url)$/;
const CALL_NAMES = new Set([
  ...BARE_EXEC,
  'system',
  'popen',
  'run',
  'call',
  'check_call',
  'check_output',
  'Popen',
  'spawn',
  'import_module',
  'load',
  'loads',
  'get',
  'post',
  'put',
  'request',
  'urlopen',
  'urlretrieve',
  'hf_hub_download',
  'snapshot_download',
  'cached_download',
  'download_url_to_file',
  'load_state_dict_from_url',
  'create_connection',
  'socket',
  'Client',
  'execv',
  'execve',
  'execl',
  'execlp',
  'execvp',
  'spawnl',
  'spawnv',
  'fork',
  'run_path',
  'run_module',
]);

const under = (mod: string, roots: readonly string[]): boolean =>
  roots.some((r) => mod === r || mod.startsWith(r + '.'));

function classifyCall(callee: string): Reach {
  if (BARE_EXEC.has(callee) || OS_EXEC.test(callee) || EXEC_CALLS.test(callee)) return 'executes';
  return FETCH_CALLS.test(callee) ? 'fetches' : 'none';
}

/** The reach of one Python source text (`unparsed` when it does not tokenize: not read, never "none"). */
export function pythonReach(src: string): PythonReach {
  let tokens;
  try {
    tokens = tokenize(src);
  } catch {
    return { reach: 'unparsed', reasons: [] };
  }
  const hits: Array<{ reach: Reach; what: string; line: number }> = [];
  const code = tokens.filter((t) => t.type !== 'COMMENT' && t.type !== 'NL'); // as findCalls reads them
  for (const full of new Set(importAliases(code).values())) {
    const reach = under(full, EXEC_MODULES) ? 'executes' : under(full, FETCH_MODULES) ? 'fetches' : 'none';
    const line = tokens.find((t) => t.type === 'NAME' && full.split('.').includes(t.text))?.line ?? 0;
    if (reach !== 'none') hits.push({ reach, what: `import ${full}`, line });
  }
  for (const c of findCalls(tokens, CALL_NAMES)) {
    const reach = classifyCall(c.callee);
    if (reach !== 'none') hits.push({ reach, what: `${c.callee}()`, line: c.line });
  }
  hits.sort((a, b) => a.line - b.line);
  const reach: Reach = hits.some((h) => h.reach === 'executes')
    ? 'executes'
    : hits.length
      ? 'fetches'
      : 'none';
  return { reach, reasons: hits.slice(0, MAX_REASONS).map((h) => `${h.what}:${h.line}`) };
}
