/**
 * Concrete evaluation of the few pure functions attackers use to hide names: resolvers
 * (`getattr`, `__import__`, `importlib.import_module`, `pydoc.locate`, `pkgutil.resolve_name`,
 * `operator.attrgetter`/`methodcaller`) and string builders (`str.join`, `operator.add`, `codecs.decode`).
 * A resolver that yields a global reports it like an import, so `getattr(__import__('os'), 'system')`
 * is seen as `os.system`. Everything else stays symbolic.
 */
import { aliasOf } from './names.js';
import { STR_KEEP, type GlobalRef, type Value } from './values.js';

export interface EvalHost {
  emitGlobal(g: GlobalRef): void;
  readonly ev: { call(c: Extract<Value, { t: 'call' }>, proto: number): void };
  readonly proto: number;
}

type CallV = Extract<Value, { t: 'call' }>;

/** `module.name` of a global value with the module alias applied (`posix.system` → `os.system`). */
export function calleeName(fn: Value): string | undefined {
  if (fn.t === 'global') return `${aliasOf(fn.g.module)}.${fn.g.name}`;
  return undefined;
}

function str(v: Value | undefined): string | undefined {
  return v?.t === 'str' && !v.truncated ? v.v : undefined;
}

/** A reference to attribute `attr` of `obj`, when obj is a module or a global. */
function attrOf(obj: Value | undefined, attr: string, offset: number, via: string): GlobalRef | undefined {
  if (!obj) return undefined;
  if (obj.t === 'module') return { module: obj.name, name: attr, offset, via };
  if (obj.t === 'global') return { module: obj.g.module, name: `${obj.g.name}.${attr}`, offset, via };
  return undefined;
}

function splitPath(path: string, offset: number, via: string): Value {
  const colon = path.indexOf(':');
  if (colon >= 0) {
    const mod = path.slice(0, colon);
    const name = path.slice(colon + 1);
    return name ? { t: 'global', g: { module: mod, name, offset, via } } : { t: 'module', name: mod, offset };
  }
  const dot = path.lastIndexOf('.');
  if (dot < 0) return { t: 'module', name: path, offset };
  return { t: 'global', g: { module: path.slice(0, dot), name: path.slice(dot + 1), offset, via } };
}

export function evaluateCall(c: CallV, host: EvalHost): Value | undefined {
  const fn = c.fn;
  const args = c.args;
  // calling the result of attrgetter / methodcaller / getattr-on-getattr
  if (fn.t === 'call') return applyCallable(fn, c, host);
  const name = calleeName(fn);
  if (name === undefined) return undefined;
  switch (name) {
    case 'builtins.getattr': {
      const attr = str(args[1]);
      const g = attr !== undefined ? attrOf(args[0], attr, c.offset, name) : undefined;
      if (g) {
        host.emitGlobal(g);
        return { t: 'global', g };
      }
      return undefined;
    }
    case 'builtins.__import__':
    case 'importlib.import_module':
    case 'importlib.__import__':
    case 'importlib._bootstrap._gcd_import': {
      const m = str(args[0]);
      if (m === undefined) return undefined;
      host.emitGlobal({ module: m, name: '*', offset: c.offset, via: name });
      return { t: 'module', name: name === 'builtins.__import__' ? m.split('.')[0]! : m, offset: c.offset };
    }
    case 'pydoc.locate':
    case 'pkgutil.resolve_name': {
      const path = str(args[0]);
      if (path === undefined) return undefined;
      const v = splitPath(path, c.offset, name);
      if (v.t === 'global') host.emitGlobal(v.g);
      else if (v.t === 'module') host.emitGlobal({ module: v.name, name: '*', offset: c.offset, via: name });
      return v;
    }
    case 'builtins.str.join': {
      const sep = str(args[0]);
      const it = args[1];
      if (sep === undefined || !it || !('items' in it) || it.items.length !== it.n) return undefined;
      const parts = it.items.map(str);
      if (parts.some((x) => x === undefined)) return undefined;
      return cap(parts.join(sep));
    }
    case 'operator.add':
    case 'operator.concat':
    case 'builtins.str.__add__': {
      const a = str(args[0]);
      const b = str(args[1]);
      return a !== undefined && b !== undefined ? cap(a + b) : undefined;
    }
    case 'builtins.str': {
      const a = str(args[0]);
      return a !== undefined ? cap(a) : undefined;
    }
    case 'builtins.chr': {
      const a = args[0];
      return a?.t === 'int' && Number(a.v) >= 0 && Number(a.v) <= 0x10ffff ? { t: 'str', v: String.fromCodePoint(Number(a.v)) } : undefined;
    }
    case 'codecs.decode':
    case 'builtins.bytes.decode': {
      const a = args[0];
      if (a?.t === 'bytes' && a.v && a.v.length <= STR_KEEP) return { t: 'str', v: String.fromCharCode(...a.v) };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `attrgetter('system')(os)`, `methodcaller('system', cmd)(os)`. */
function applyCallable(fnCall: CallV, c: CallV, host: EvalHost): Value | undefined {
  const maker = calleeName(fnCall.fn);
  if (maker === 'operator.attrgetter') {
    const attr = str(fnCall.args[0]);
    if (attr === undefined) return undefined;
    let g: GlobalRef | undefined;
    let obj = c.args[0];
    for (const part of attr.split('.')) {
      g = attrOf(obj, part, c.offset, maker);
      if (!g) return undefined;
      obj = { t: 'global', g };
    }
    if (g) host.emitGlobal(g);
    return g ? { t: 'global', g } : undefined;
  }
  if (maker === 'operator.methodcaller') {
    const attr = str(fnCall.args[0]);
    const g = attr !== undefined ? attrOf(c.args[0], attr, c.offset, maker) : undefined;
    if (!g) return undefined;
    host.emitGlobal(g);
    const synthetic: CallV = { t: 'call', fn: { t: 'global', g }, args: fnCall.args.slice(1), offset: c.offset, kind: c.kind, id: c.id };
    host.ev.call(synthetic, host.proto);
    return synthetic;
  }
  return undefined;
}

function cap(s: string): Value {
  return s.length <= STR_KEEP ? { t: 'str', v: s } : { t: 'str', v: s.slice(0, STR_KEEP), truncated: true };
}
