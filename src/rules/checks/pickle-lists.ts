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

export function isAllowlisted(module: string, name: string, entries: readonly AllowEntry[]): boolean {
  for (const e of entries) {
    if (e.names === '*') {
      const modOk = module === e.module || (e.submodules === true && module.startsWith(e.module + '.'));
      if (modOk && (name === '*' || isPlainOrClassPath(name))) return true;
    } else if (module === e.module && e.names.includes(name)) {
      return true;
    }
  }
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
