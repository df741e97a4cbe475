/**
 * What the pickle checks share: whether a module/name is on an allowlist, and decision record 0007's
 * getattr exemption. A constant-attribute getattr on an allowlisted class (or an instance built from
 * one), naming a non-dunder method of that class, is not a dynamic import: it is how pickle stores a
 * bound method (torch 1.13 OneCycleLR.state_dict() holds getattr(<OneCycleLR>, "_annealing_cos")).
 */
import type { Fact } from '../../model/facts.js';
import type { AllowEntry } from '../../model/policy.js';

function isPlainOrClassPath(name: string): boolean {
  if (!name.includes('.')) return true;
  // a dotted name under a wildcard entry is allowed only as Class.attr, never a walk into a module
  return /^[A-Z]/.test(name) && !name.split('.').some((p) => p.startsWith('__'));
}

/** One list, indexed by module: what its entries allow there, and which modules' wildcards cover their subtree. */
interface ListIndex {
  /** the list's length when indexed: lists are never changed after loading, and this says so */
  length: number;
  /** per module: the names its entries list, and whether one of them allows `*` */
  exact: Map<string, { any: boolean; names: Set<string> }>;
  /** modules with a `*` entry that covers their submodules */
  subtree: Set<string>;
}

const INDEXES = new WeakMap<readonly AllowEntry[], ListIndex>();

function indexOf(entries: readonly AllowEntry[]): ListIndex {
  const known = INDEXES.get(entries);
  if (known && known.length === entries.length) return known;
  const ix: ListIndex = { length: entries.length, exact: new Map(), subtree: new Set() };
  for (const e of entries) {
    let m = ix.exact.get(e.module);
    if (!m) ix.exact.set(e.module, (m = { any: false, names: new Set() }));
    if (e.names === '*') {
      m.any = true;
      if (e.submodules === true) ix.subtree.add(e.module);
    } else for (const n of e.names) m.names.add(n);
  }
  INDEXES.set(entries, ix);
  return ix;
}

/**
 * Whether an entry allows `module`/`name`: one that lists the name under that very module, or a `*`
 * entry for the module (or, with `submodules`, for a module it is under) when the name is plain or
 * Class.attr. Looked up by module, so a fact costs the same against 20 entries or 2,000 (issue 16).
 */
export function isAllowlisted(module: string, name: string, entries: readonly AllowEntry[]): boolean {
  const ix = indexOf(entries);
  const m = ix.exact.get(module);
  if (m?.names.has(name)) return true;
  const wildcardName = name === '*' || isPlainOrClassPath(name);
  if (m?.any && wildcardName) return true;
  if (!wildcardName || ix.subtree.size === 0) return false;
  // every proper prefix that ends at a dot: `a.b.c` is under `a.b` and `a`
  for (let i = module.indexOf('.'); i >= 0; i = module.indexOf('.', i + 1)) if (ix.subtree.has(module.slice(0, i))) return true;
  return false;
}

/** A getattr call as the pickle scanner records it in `getattrCalls`. */
interface GetattrUse {
  target?: string;
  module?: string;
  name?: string;
  attr?: string | null;
  args?: number;
  passed?: boolean;
}

const GETATTR = new Set(['builtins.getattr', '__builtin__.getattr']);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function methodUse(u: GetattrUse, classes: readonly AllowEntry[], methods: readonly AllowEntry[]): boolean {
  if (u.target !== 'class' && u.target !== 'instance') return false;
  if (typeof u.module !== 'string' || typeof u.name !== 'string' || typeof u.attr !== 'string') return false;
  // a dunder (or a name-mangled __x) reaches __globals__, __class__, __subclasses__: never exempt
  if (!IDENT.test(u.attr) || u.attr.startsWith('__') || u.args !== 2 || u.passed === true) return false;
  return isAllowlisted(u.module, u.name, classes) && isAllowlisted(u.module, `${u.name}.${u.attr}`, methods);
}

/**
 * True when `fact` is a getattr global whose every call is a method lookup decision record 0007
 * exempts: called at least once, no more calls than the scanner kept, the global itself never handed
 * to another call, and each result never handed to one either (a call on a result is an indirect call,
 * reported on its own).
 */
export function isMethodGetattr(fact: Fact, lists: ReadonlyMap<string, readonly AllowEntry[]>): boolean {
  const d = fact.data;
  if (!GETATTR.has(`${String(d.module)}.${String(d.name)}`) || d.verb !== 'calls') return false;
  if (d.getattrMore === true || d.getattrPassed === true) return false;
  const uses = d.getattrCalls;
  if (!Array.isArray(uses) || uses.length === 0) return false;
  const classes = lists.get('pickle-globals') ?? [];
  const methods = lists.get('pickle-methods') ?? [];
  return (uses as GetattrUse[]).every((u) => methodUse(u, classes, methods));
}
