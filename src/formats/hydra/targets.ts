/**
 * Every instantiation target in a Hydra / OmegaConf config: `_target_` at any depth (under nested
 * keys, in lists, beside `_partial_` / `_args_` / `_recursive_`), which `hydra.utils.instantiate`
 * imports and calls (CVE-2025-23304 class), and NeMo's top-level `target`, which `restore_from`
 * imports as the model class. The walk counts nodes as they are reached through aliases, so a
 * billion-laughs document ends in LIMIT_EXCEEDED rather than a partial answer.
 */
import { MlvetError } from '../../errors.js';

export interface HydraTarget {
  /** the dotted callable path, as written (trimmed) */
  target: string;
  /** key path to the `_target_` entry: `model.optim.sched._target_`, `callbacks[1]._target_` */
  path: string;
  /** which key named it: Hydra's `_target_` or NeMo's top-level `target` */
  via: '_target_' | 'target';
  /** `_partial_: true` — instantiate returns functools.partial, to be called later */
  partial: boolean;
  /** number of positional `_args_` (0 when absent) */
  args: number;
  /** `_recursive_: false` stops Hydra instantiating nested targets itself; they are still listed */
  recursive: boolean;
  /** keyword arguments besides the underscore keys */
  kwargs: number;
}

export const MAX_NODES = 200_000;
export const MAX_DEPTH = 64;
export const MAX_TARGETS = 500;
const MAX_TARGET_CHARS = 512;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const child = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function describe(o: Record<string, unknown>, target: string, path: string, via: HydraTarget['via']): HydraTarget {
  const args = Array.isArray(o._args_) ? o._args_.length : 0;
  const kwargs = Object.keys(o).filter((k) => !(k.startsWith('_') && k.endsWith('_')) && k !== via).length;
  return { target: target.trim().slice(0, MAX_TARGET_CHARS), path, via, partial: o._partial_ === true, args, recursive: o._recursive_ !== false, kwargs };
}

/** NeMo's `target: nemo.collections…Model` at the root; a dotted path, not free text. */
function nemoTarget(doc: Record<string, unknown>): HydraTarget | undefined {
  const t = doc.target;
  return typeof t === 'string' && /^[\w.]+\.[\w]+$/.test(t.trim()) ? describe(doc, t, 'target', 'target') : undefined;
}

export interface HydraTargets {
  targets: HydraTarget[];
  /** the limit the walk stopped at; `targets` then holds what was found before it */
  limit?: MlvetError<'LIMIT_EXCEEDED'>;
}

export function hydraTargets(doc: unknown): HydraTargets {
  const out: HydraTarget[] = [];
  let budget = MAX_NODES;
  const visit = (node: unknown, path: string, depth: number): void => {
    if (--budget < 0) throw new MlvetError('LIMIT_EXCEEDED', `config has more than ${MAX_NODES} nodes once aliases are expanded`);
    if (depth > MAX_DEPTH) throw new MlvetError('LIMIT_EXCEEDED', `config nests deeper than ${MAX_DEPTH}`);
    if (Array.isArray(node)) return node.forEach((v, i) => visit(v, `${path}[${i}]`, depth + 1));
    if (!isObject(node)) return;
    const t = node._target_;
    if (typeof t === 'string') {
      if (out.length >= MAX_TARGETS) throw new MlvetError('LIMIT_EXCEEDED', `more than ${MAX_TARGETS} _target_ entries`);
      out.push(describe(node, t, child(path, '_target_'), '_target_'));
    }
    for (const [k, v] of Object.entries(node)) if (typeof v === 'object' && v !== null) visit(v, child(path, k), depth + 1);
  };
  if (isObject(doc)) {
    const nemo = nemoTarget(doc);
    if (nemo) out.push(nemo);
  }
  try {
    visit(doc, '', 0);
  } catch (e) {
    if (e instanceof MlvetError && e.code === 'LIMIT_EXCEEDED') return { targets: out, limit: e as MlvetError<'LIMIT_EXCEEDED'> };
    throw e;
  }
  return { targets: out };
}

/** `torch.optim.AdamW` → module `torch.optim`, name `AdamW`, as pickle globals are split. */
export function splitTarget(target: string): { module: string; name: string } {
  const dot = target.lastIndexOf('.');
  return dot < 0 ? { module: target, name: '' } : { module: target.slice(0, dot), name: target.slice(dot + 1) };
}
