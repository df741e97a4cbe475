/**
 * How a (module, name) pair from a pickle resolves. `find_class` imports `module` and, from protocol 4
 * on, walks a dotted `name` attribute by attribute, so `pathlib` + `os.system` is `os.system` when
 * pathlib has imported os. We cannot know which attributes are modules, so we list every reading:
 * the scanner reports all of them and the rules match any.
 */

/** Modules that are the same thing under another name (C accelerators, platform names, py2 names). */
export const MODULE_ALIASES: Readonly<Record<string, string>> = {
  posix: 'os',
  nt: 'os',
  _io: 'io',
  _operator: 'operator',
  _pickle: 'pickle',
  cPickle: 'pickle',
  __builtin__: 'builtins',
  __builtins__: 'builtins',
  exceptions: 'builtins',
  _codecs: 'codecs',
  _functools: 'functools',
  copy_reg: 'copyreg',
  commands: 'subprocess',
  _subprocess: 'subprocess',
  _socket: 'socket',
  _ssl: 'ssl',
  urllib2: 'urllib.request',
  httplib: 'http.client',
  thread: '_thread',
  StringIO: 'io',
  cStringIO: 'io',
  UserDict: 'collections',
  UserList: 'collections',
  UserString: 'collections',
  _collections: 'collections',
  _datetime: 'datetime',
  _decimal: 'decimal',
  _pydecimal: 'decimal',
};

/** Python 2 names that `fix_imports` (protocol < 3) maps to Python 3 ones: (module, name) → (module, name). */
const NAME_MAPPING: Readonly<Record<string, [string, string]>> = {
  '__builtin__.xrange': ['builtins', 'range'],
  '__builtin__.reduce': ['functools', 'reduce'],
  '__builtin__.intern': ['sys', 'intern'],
  '__builtin__.unichr': ['builtins', 'chr'],
  '__builtin__.unicode': ['builtins', 'str'],
  '__builtin__.long': ['builtins', 'int'],
  '__builtin__.basestring': ['builtins', 'str'],
  '__builtin__.execfile': ['builtins', 'exec'],
  'itertools.izip': ['builtins', 'zip'],
  'itertools.imap': ['builtins', 'map'],
  'itertools.ifilter': ['builtins', 'filter'],
  'UserDict.IterableUserDict': ['collections', 'UserDict'],
  '_socket.fromfd': ['socket', 'fromfd'],
  'urllib.urlopen': ['urllib.request', 'urlopen'],
  'urllib.urlretrieve': ['urllib.request', 'urlretrieve'],
};

export interface ModName {
  module: string;
  name: string;
}

/** The name `find_class` really looks up: applies `fix_imports` for protocols below 3. */
export function effectiveName(module: string, name: string, proto: number): ModName {
  if (proto < 3) {
    const mapped = NAME_MAPPING[`${module}.${name}`];
    if (mapped) return { module: mapped[0], name: mapped[1] };
    const m = COMPAT_IMPORTS[module];
    if (m) return { module: m, name };
  }
  return { module, name };
}

const COMPAT_IMPORTS: Readonly<Record<string, string>> = {
  __builtin__: 'builtins',
  copy_reg: 'copyreg',
  cPickle: 'pickle',
  commands: 'subprocess',
  urllib2: 'urllib.request',
  httplib: 'http.client',
  thread: '_thread',
  StringIO: 'io',
  cStringIO: 'io',
  UserDict: 'collections',
  UserList: 'collections',
  UserString: 'collections',
  exceptions: 'builtins',
  Queue: 'queue',
  SocketServer: 'socketserver',
  xmlrpclib: 'xmlrpc.client',
  SimpleXMLRPCServer: 'xmlrpc.server',
  BaseHTTPServer: 'http.server',
  SimpleHTTPServer: 'http.server',
  CGIHTTPServer: 'http.server',
  urlparse: 'urllib.parse',
  cookielib: 'http.cookiejar',
  Cookie: 'http.cookies',
  HTMLParser: 'html.parser',
};

/** Longest dotted path we expand into readings; longer names are reported as-is. */
const MAX_PARTS = 12;

/**
 * Every (module, attribute-path) reading of a reference. For module `m` and name `a.b.c`:
 * `m:a.b.c`, the submodule readings `m.a:b.c`, `m.a.b:c`, and the "attribute is a module" readings
 * `a:b.c`, `a.b:c`, `b:c` — plus the same through module aliases.
 */
export function readings(module: string, name: string, proto: number): readonly ModName[] {
  // pure in (module, name, fix_imports or not): a corpus imports the same few hundred globals over and over
  const key = `${proto < 3 ? 2 : 3}\u0000${module}\u0000${name}`;
  const known = READINGS.get(key);
  if (known) return known;
  const rs = Object.freeze(computeReadings(module, name, proto).map((r) => Object.freeze(r)));
  if (READINGS.size >= NAME_CACHE) READINGS.clear();
  READINGS.set(key, rs);
  return rs;
}

/** Distinct globals whose readings and dunder parts are remembered (then the memo starts over). */
const NAME_CACHE = 4096;
const READINGS = new Map<string, readonly ModName[]>();
const DUNDERS = new Map<string, readonly string[]>();

function computeReadings(module: string, name: string, proto: number): ModName[] {
  const out = new Map<string, ModName>();
  const add = (m: string, n: string): void => {
    if (!m || !n) return;
    const key = `${m}\u0000${n}`;
    if (!out.has(key)) out.set(key, { module: m, name: n });
    const alias = aliasOf(m);
    if (alias !== m) {
      const k2 = `${alias}\u0000${n}`;
      if (!out.has(k2)) out.set(k2, { module: alias, name: n });
    }
  };
  // `os\r` (a CRLF pickle) does not import on CPython, but flag what it plainly means
  // NFKC: fullwidth or compatibility letters that read as `os`; also flag what they plainly mean
  const tm = module.trim().normalize('NFKC');
  const tn = name.trim().normalize('NFKC');
  if (tm !== module || tn !== name) for (const r of computeReadings(tm, tn, proto)) add(r.module, r.name);
  const eff = effectiveName(module, name, proto);
  const bases = eff.module === module && eff.name === name ? [[module, name]] : [[module, name], [eff.module, eff.name]];
  for (const [m, n] of bases as Array<[string, string]>) {
    add(m, n);
    const parts = n.split('.');
    if (parts.length > MAX_PARTS) continue;
    for (let j = 1; j < parts.length; j++) {
      const rest = parts.slice(j).join('.');
      add(`${m}.${parts.slice(0, j).join('.')}`, rest);
      for (let i = 0; i < j; i++) add(parts.slice(i, j).join('.'), rest);
    }
  }
  return [...out.values()];
}

/** Alias for the top-level package of a dotted module path (`posix` → `os`, `_io.x` → `io.x`). */
export function aliasOf(module: string): string {
  const dot = module.indexOf('.');
  const head = dot < 0 ? module : module.slice(0, dot);
  const a = MODULE_ALIASES[head];
  if (!a) return module;
  return dot < 0 ? a : a + module.slice(dot);
}

const ALLOWED_DUNDERS = new Set(['__torch__', '__import__', '__main__', '__builtin__', '__builtins__', '__newobj__', '__newobj_ex__', '__future__']);

/** Dunder attribute names in a dotted path (`__globals__`, `__subclasses__`, …): reflection, never data. */
export function dunderParts(module: string, name: string): readonly string[] {
  const key = `${module}\u0000${name}`;
  const known = DUNDERS.get(key);
  if (known) return known;
  const found = Object.freeze(computeDunders(module, name));
  if (DUNDERS.size >= NAME_CACHE) DUNDERS.clear();
  DUNDERS.set(key, found);
  return found;
}

function computeDunders(module: string, name: string): string[] {
  const parts = [...module.split('.'), ...name.split('.')];
  const found: string[] = [];
  for (const [i, p] of parts.entries()) {
    if (p.length > 4 && p.startsWith('__') && p.endsWith('__')) {
      // `__builtins__` as a module is an alias; as an attribute of something else it is a walk to builtins
      if (ALLOWED_DUNDERS.has(p) && (i === 0 || p === '__newobj__' || p === '__newobj_ex__' || p === '__import__')) continue;
      found.push(p);
    }
  }
  return found;
}

/** True when a name is a plain identifier path (letters, digits, `_`, dots between parts). */
export function isIdentifierPath(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(s);
}
