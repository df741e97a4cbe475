/**
 * Rule tables for the `pickle` pack, through the real scanner: each input is a pickle assembled
 * opcode by opcode, so the facts (readings, canonical names, call previews) are the scanner's own.
 */
import { asm, evilP4, P } from '../../helpers/pickle-asm.js';
import { defineRuleTests, type RuleTests } from '../../helpers/rule-tester.js';

const call = (m: string, n: string, arg = 'x') => asm(P.proto(4), P.sbu(m), P.sbu(n), P.STACK_GLOBAL, P.sbu(arg), P.TUPLE1, P.REDUCE, P.STOP);
const ref = (m: string, n: string) => asm(P.proto(4), P.sbu(m), P.sbu(n), P.STACK_GLOBAL, P.STOP);
const clean = asm(P.proto(2), P.global('collections', 'OrderedDict'), P.EMPTY_TUPLE, P.REDUCE, P.STOP);
const at = (offset: number) => ({ path: 'input.bin', offset });

/** A `pickle.global` finding's location and evidence as the scanner gives them; `more` holds what differs. */
const imports = (module: string, name: string, offset: number, more: Record<string, unknown> = {}) => ({
  location: at(offset),
  evidence: {
    ...{ module, name, qualname: `${module}.${name}`, via: 'STACK_GLOBAL', readings: [{ module, name }], dunders: [], lastName: name.split('.').pop() },
    ...{ verb: 'imports', call: '', count: 1, key: `${module}.${name}`, canonicalModule: module, canonicalName: name },
    ...more,
  },
});
const calls = (module: string, name: string, offset: number, args: string, callOffset: number, more: Record<string, unknown> = {}) =>
  imports(module, name, offset, { verb: 'calls', call: `(${args})`, callOffset, callKind: 'REDUCE', ...more });
/** the readings of a dotted name: as written, then split at each dot */
const dotted = (module: string, name: string) => {
  const parts = name.split('.');
  const last = parts.pop()!;
  return [{ module, name }, { module: [module, ...parts].join('.'), name: last }, { module: parts.join('.'), name: last }];
};

/** getattr(target, attr) at protocol 2, as torch.save writes a bound method (decision record 0007) */
const ONE_CYCLE = P.global('torch.optim.lr_scheduler', 'OneCycleLR');
const instance = [...ONE_CYCLE, ...P.EMPTY_TUPLE, ...P.NEWOBJ];
const getattrOf = (target: number[], attr: string) => [...P.global('__builtin__', 'getattr'), ...target, ...P.binunicode(attr), ...P.TUPLE2, ...P.REDUCE];
const getattrPickle = (target: number[], attr: string) => asm(P.proto(2), getattrOf(target, attr), P.STOP);
const passedToCreateArray = asm(P.proto(2), P.global('dill._dill', '_create_array'), getattrOf(instance, '_annealing_cos'), P.EMPTY_TUPLE, P.NONE, P.TUPLE3, P.REDUCE, P.STOP);
const getattrTwice = asm(P.proto(2), P.global('__builtin__', 'getattr'), P.binput(0), instance, P.binunicode('_annealing_cos'), P.TUPLE2, P.REDUCE, P.POP,
  P.binget(0), P.global('torch.optim.lr_scheduler', 'StepLR'), P.binunicode('__init__'), P.TUPLE2, P.REDUCE, P.STOP);
/** a `getattr` global's finding: `uses` are its getattrCalls as [target kind, module, name, attr, offset, passed?] */
const getattrFound = (offset: number, args: string, callOffset: number, uses: Array<[string, string, string, string, number, boolean?]>) => ({
  message: `pickle calls __builtin__.getattr${args}: resolvers like this let a pickle reach any callable, e.g. os.system`,
  location: at(offset),
  evidence: {
    ...{ module: '__builtin__', name: 'getattr', qualname: '__builtin__.getattr', via: 'GLOBAL', readings: [{ module: '__builtin__', name: 'getattr' }, { module: 'builtins', name: 'getattr' }] },
    ...{ dunders: [], lastName: 'getattr', verb: 'calls', call: args, count: 1, key: '__builtin__.getattr', canonicalModule: 'builtins', canonicalName: 'getattr', callOffset, callKind: 'REDUCE' },
    getattrCalls: uses.map(([target, module, name, attr, o, passed]) => ({ target, module, name, attr, args: 2, offset: o, ...(passed ? { passed } : {}) })),
  },
});

export const pickleTests: RuleTests[] = [
  defineRuleTests('pickle/code-execution', {
    valid: [{ name: 'OrderedDict', bytes: clean }, { name: 'torch rebuild', bytes: ref('torch._utils', '_rebuild_tensor_v2') }],
    invalid: [
      { name: 'posix.system', bytes: evilP4(), findings: [{ message: 'pickle calls posix.system("echo mlvet"): loading this file can run arbitrary code', ...calls('posix', 'system', 17, '"echo mlvet"', 31, { readings: [{ module: 'posix', name: 'system' }, { module: 'os', name: 'system' }], canonicalModule: 'os' }) }] },
      { name: 'gensim subprocess wrapper (allowlisted library, named gadget)', bytes: call('gensim.utils', 'check_output'), findings: [{ message: 'pickle calls gensim.utils.check_output("x"): loading this file can run arbitrary code', ...calls('gensim.utils', 'check_output', 30, '"x"', 35) }] },
      { name: 'subprocess submodule', bytes: call('subprocess', 'Popen'), findings: [{ message: 'pickle calls subprocess.Popen("x"): loading this file can run arbitrary code', ...calls('subprocess', 'Popen', 21, '"x"', 26) }] },
      { name: 'runsource sibling of a denied method', bytes: call('code', 'InteractiveInterpreter.runsource'), findings: [{ message: 'pickle calls code.InteractiveInterpreter.runsource("x"): loading this file can run arbitrary code', ...calls('code', 'InteractiveInterpreter.runsource', 42, '"x"', 47, { readings: dotted('code', 'InteractiveInterpreter.runsource') }) }] },
      { name: 'asyncio submodule inherits', bytes: call('asyncio.unix_events', '_UnixSubprocessTransport._start'), findings: [{ message: 'pickle calls asyncio.unix_events._UnixSubprocessTransport._start("x"): loading this file can run arbitrary code', ...calls('asyncio.unix_events', '_UnixSubprocessTransport._start', 56, '"x"', 61, { readings: dotted('asyncio.unix_events', '_UnixSubprocessTransport._start') }) }] },
    ],
  }),
  defineRuleTests('pickle/dynamic-import', {
    valid: [
      { name: 'builtins.set', bytes: ref('builtins', 'set') },
      { name: 'bound method of an allowlisted instance (torch 1.13 OneCycleLR.state_dict)', bytes: getattrPickle(instance, '_annealing_cos') },
      { name: 'static method on an allowlisted class (SWALR._cosine_anneal)', bytes: getattrPickle(P.global('torch.optim.swa_utils', 'SWALR'), '_cosine_anneal') },
      { name: 'instance built by copyreg._reconstructor', bytes: getattrPickle([...P.global('copyreg', '_reconstructor'), ...ONE_CYCLE, ...P.global('__builtin__', 'object'), ...P.NONE, ...P.TUPLE3, ...P.REDUCE], '_annealing_linear') },
    ],
    invalid: [
      { name: 'importlib', bytes: call('importlib', 'import_module', 'os'), findings: [{ message: 'pickle calls importlib.import_module("os"): resolvers like this let a pickle reach any callable, e.g. os.system', ...calls('importlib', 'import_module', 28, '"os"', 34) }] },
      { name: 'dunder on an allowlisted instance', bytes: getattrPickle(instance, '__init__'), findings: [getattrFound(2, "(torch.optim.lr_scheduler.OneCycleLR(), \"__init__\")", 76, [["instance", "torch.optim.lr_scheduler", "OneCycleLR", "__init__", 76]])] },
      { name: 'a method no list names (gensim Word2Vec.load)', bytes: getattrPickle(P.global('gensim.models.word2vec', 'Word2Vec'), 'load'), findings: [getattrFound(2, "(gensim.models.word2vec.Word2Vec, \"load\")", 66, [["class", "gensim.models.word2vec", "Word2Vec", "load", 66]])] },
      { name: 'a class not on the allowlist', bytes: getattrPickle(P.global('mylib', 'Net'), 'step'), findings: [getattrFound(2, "(mylib.Net, \"step\")", 44, [["class", "mylib", "Net", "step", 44]])] },
      { name: 'a method result handed to an apply reconstructor (dill _create_array)', bytes: passedToCreateArray, findings: [getattrFound(28, "(torch.optim.lr_scheduler.OneCycleLR(), \"_annealing_cos\")", 108, [["instance", "torch.optim.lr_scheduler", "OneCycleLR", "_annealing_cos", 108, true]])] },
      { name: 'one exempt call, then a dunder through the memoized getattr', bytes: getattrTwice, findings: [getattrFound(2, "(torch.optim.lr_scheduler.OneCycleLR(), \"_annealing_cos\")", 84, [["instance", "torch.optim.lr_scheduler", "OneCycleLR", "_annealing_cos", 84], ["class", "torch.optim.lr_scheduler", "StepLR", "__init__", 135]])] },
      { name: 'pkgutil.resolve_name', bytes: call('pkgutil', 'resolve_name', 'os:system'), findings: [{ message: 'pickle calls pkgutil.resolve_name("os:system"): resolvers like this let a pickle reach any callable, e.g. os.system', ...calls('pkgutil', 'resolve_name', 25, '"os:system"', 38) }] },
    ],
  }),
  defineRuleTests('pickle/nested-pickle', {
    valid: [{ name: 'codecs.encode alone', bytes: call('_codecs', 'encode') }],
    invalid: [
      { name: 'dill.loads', bytes: call('dill', 'loads'), findings: [{ message: 'pickle calls dill.loads("x"): a loader inside a pickle deserialises a second payload; it is rebuilt and scanned, and its findings are reported at its own location', ...calls('dill', 'loads', 15, '"x"', 20, { nested: 'opaque' }) }] },
      { name: 'SaveLoad.load on any gensim class (attrs)', bytes: call('gensim.models.word2vec', 'Word2Vec.load'), findings: [{ message: 'pickle calls gensim.models.word2vec.Word2Vec.load("x"): a loader inside a pickle deserialises a second payload; it is rebuilt and scanned, and its findings are reported at its own location', ...calls('gensim.models.word2vec', 'Word2Vec.load', 41, '"x"', 46, { readings: dotted('gensim.models.word2vec', 'Word2Vec.load') }) }] },
      { name: 'torch.load', bytes: call('torch', 'load'), findings: [{ message: 'pickle calls torch.load("x"): a loader inside a pickle deserialises a second payload; it is rebuilt and scanned, and its findings are reported at its own location', ...calls('torch', 'load', 15, '"x"', 20, { nested: 'opaque' }) }] },
    ],
  }),
  defineRuleTests('pickle/file-access', {
    valid: [{ name: 'pathlib.PosixPath value', bytes: call('pathlib', 'PosixPath', '/tmp') }],
    invalid: [
      { name: 'builtins.open', bytes: call('builtins', 'open', '/etc/passwd'), findings: [{ message: 'pickle calls builtins.open("/etc/passwd"): loading this file can read or write files', ...calls('builtins', 'open', 18, '"/etc/passwd"', 33) }] },
      { name: '_io.FileIO', bytes: call('_io', 'FileIO', '/x'), findings: [{ message: 'pickle calls _io.FileIO("/x"): loading this file can read or write files', ...calls('_io', 'FileIO', 15, '"/x"', 21, { readings: [{ module: '_io', name: 'FileIO' }, { module: 'io', name: 'FileIO' }], canonicalModule: 'io' }) }] },
    ],
  }),
  defineRuleTests('pickle/network-access', {
    valid: [{ name: 'clean', bytes: clean }],
    invalid: [
      { name: 'urllib.request.urlopen', bytes: call('urllib.request', 'urlopen', 'http://x'), findings: [{ message: 'pickle calls urllib.request.urlopen("http://x"): loading this file can open network connections (exfiltration, SSRF)', ...calls('urllib.request', 'urlopen', 27, '"http://x"', 39) }] },
      { name: 'socket', bytes: call('socket', 'create_connection'), findings: [{ message: 'pickle calls socket.create_connection("x"): loading this file can open network connections (exfiltration, SSRF)', ...calls('socket', 'create_connection', 29, '"x"', 34) }] },
    ],
  }),
  defineRuleTests('pickle/scanner-tamper', {
    valid: [{ name: 'clean', bytes: clean }],
    invalid: [{ name: 'fickling hook', bytes: ref('fickling.hook', 'deactivate_safe_ml_environment'), findings: [{ message: 'pickle imports fickling.hook.deactivate_safe_ml_environment: a payload that reaches into scanners or loader safety settings is trying to disable protection', ...imports('fickling.hook', 'deactivate_safe_ml_environment', 49) }] }],
  }),
  defineRuleTests('pickle/unknown-global', {
    valid: [
      { name: 'numpy reconstruct', bytes: ref('numpy.core.multiarray', '_reconstruct') },
      { name: 'denylisted is not "unknown"', bytes: evilP4() },
      { name: 'allowed by config', bytes: ref('mylib', 'Net'), allow: [{ module: 'mylib', names: ['Net'], reason: 'our own model class' }] },
    ],
    invalid: [
      { name: 'custom class', bytes: ref('mylib', 'Net'), findings: [{ message: 'pickle imports mylib.Net, which is not on the allowlist: loading this file runs code from that import', ...imports('mylib', 'Net', 14) }] },
      { name: 'dotted walk under a wildcard', bytes: ref('sklearn', 'utils.fixes'), findings: [{ message: 'pickle imports sklearn.utils.fixes, which is not on the allowlist: loading this file runs code from that import', ...imports('sklearn', 'utils.fixes', 24, { readings: dotted('sklearn', 'utils.fixes') }) }] },
    ],
  }),
  defineRuleTests('pickle/suspicious-name', {
    valid: [{ name: 'unknown class', bytes: ref('mylib', 'Net') }],
    invalid: [{ name: 'mylib.run', bytes: call('mylib', 'run'), findings: [{ message: 'pickle calls mylib.run("x"): not on the allowlist, and named like a function that runs code, loads data or touches files', ...calls('mylib', 'run', 14, '"x"', 19) }] }],
  }),
  defineRuleTests('pickle/dunder-access', {
    valid: [{ name: '__main__ module', bytes: ref('__main__', 'Net') }],
    invalid: [
      { name: '__globals__', bytes: ref('mylib', 'f.__globals__'), findings: [{ message: 'pickle imports mylib.f.__globals__: the path goes through __globals__, a reflection route to builtins or globals (numpy.__builtins__-style gadgets)', ...imports('mylib', 'f.__globals__', 24, { readings: dotted('mylib', 'f.__globals__'), dunders: ['__globals__'] }) }] },
      { name: '__subclasses__', bytes: ref('builtins', 'object.__subclasses__'), findings: [{ message: 'pickle imports builtins.object.__subclasses__: the path goes through __subclasses__, a reflection route to builtins or globals (numpy.__builtins__-style gadgets)', ...imports('builtins', 'object.__subclasses__', 35, { readings: dotted('builtins', 'object.__subclasses__'), dunders: ['__subclasses__'] }) }] },
    ],
  }),
  defineRuleTests('pickle/computed-global', {
    valid: [{ name: 'literal operands', bytes: evilP4() }],
    invalid: [{ name: 'operands from a call', bytes: asm(P.proto(4), P.global('mylib', 'f'), P.EMPTY_TUPLE, P.REDUCE, P.sbu('x'), P.STACK_GLOBAL, P.STOP), findings: [{ message: 'STACK_GLOBAL imports mylib.f()."x", computed at load time: the imported name is hidden from static reading', location: at(16), evidence: { module: 'mylib.f()', name: '"x"', key: 'sg@16' } }] }],
  }),
  defineRuleTests('pickle/extension-registry', {
    valid: [{ name: 'clean', bytes: clean }],
    invalid: [{ name: 'EXT2', bytes: asm(P.proto(2), P.ext2(300), P.NONE, P.TUPLE1, P.REDUCE, P.STOP), findings: [{ message: 'EXT opcode with code 300: the callable comes from copyreg\'s extension registry of the loading process and cannot be known statically', location: at(2), evidence: { code: 300, key: 'ext300' } }] }],
  }),
  defineRuleTests('pickle/global-mutation', {
    valid: [{ name: 'BUILD on an instance', bytes: asm(P.proto(2), P.global('collections', 'OrderedDict'), P.EMPTY_TUPLE, P.REDUCE, P.EMPTY_DICT, P.BUILD, P.STOP) }],
    invalid: [{ name: 'BUILD on a function', bytes: asm(P.proto(2), P.global('numpy', 'prod'), P.EMPTY_DICT, P.BUILD, P.STOP), findings: [{ message: 'BUILD applied directly to numpy.prod: the pickle changes attributes or items of library code at load time (setattr gadget)', location: at(15), evidence: { target: 'numpy.prod', op: 'BUILD', targetOffset: 2, state: '{}', key: 'numpy.prod' } }] }],
  }),
  defineRuleTests('pickle/indirect-call', {
    valid: [{ name: 'global call', bytes: evilP4() }],
    invalid: [{ name: 'call a call result', bytes: asm(P.proto(2), P.global('mylib', 'make'), P.EMPTY_TUPLE, P.REDUCE, P.EMPTY_TUPLE, P.REDUCE, P.STOP), findings: [{ message: 'REDUCE calls mylib.make(): the callable is produced at load time, so what runs cannot be known statically', location: at(17), evidence: { callable: 'mylib.make()', kind: 'REDUCE', callableType: 'call', key: 'REDUCE@17' } }] }],
  }),
  defineRuleTests('pickle/frame-divergence', {
    valid: [{ name: 'well-formed frame', bytes: asm(P.proto(4), P.frame(2), P.NONE, P.STOP) }],
    invalid: [{ name: 'straddle', bytes: asm(P.proto(4), P.frame(2), [0x43, 3], [1, 2, 3], P.STOP), findings: [{ message: 'SHORT_BINBYTES at 11 runs past the end of its FRAME at 13: the C and Python unpicklers read these bytes differently, a way to hide opcodes from linear scanners; the bytes were also read the other way and scanned', location: at(11), evidence: { detail: 'SHORT_BINBYTES at 11 runs past the end of its FRAME at 13', key: 'frame@11' } }] }],
  }),
  defineRuleTests('pickle/nested-opaque', {
    valid: [{ name: 'rebuildable payload', bytes: asm(P.proto(3), P.global('pickle', 'loads'), P.binbytes(evilP4()), P.TUPLE1, P.REDUCE, P.STOP) }],
    invalid: [
      {
        name: 'payload from a file',
        bytes: asm(P.proto(3), P.global('pickle', 'loads'), P.global('builtins', 'open'), P.sbu('/x'), P.TUPLE1, P.REDUCE, P.TUPLE1, P.REDUCE, P.STOP),
        findings: [{ message: 'pickle.loads is called on data mlvet could not rebuild (cannot rebuild bytes returned by builtins.open): the second stage was not scanned', location: at(38), evidence: { loader: 'pickle.loads', reason: 'cannot rebuild bytes returned by builtins.open', key: 'pickle.loads@38' } }],
      },
    ],
  }),
  defineRuleTests('pickle/trailing-data', {
    valid: [{ name: 'two pickles', bytes: asm(P.proto(2), P.NONE, P.STOP, P.proto(2), P.NONE, P.STOP) }],
    invalid: [{ name: 'junk after STOP', bytes: asm(P.proto(2), P.NONE, P.STOP, [0xee, 0xee]), findings: [{ message: '2 bytes after the last STOP are not a pickle; pickle.load ignores them, but other readers may not', location: at(4), evidence: { length: 2, key: 'trail@4' } }] }],
  }),
  defineRuleTests('pickle/torch-bytes-unscanned', {
    valid: [{ name: 'payload rebuilt and scanned', bytes: asm(P.proto(3), P.global('torch.storage', '_load_from_bytes'), P.binbytes(asm(P.proto(2), P.NONE, P.STOP)), P.TUPLE1, P.REDUCE, P.STOP) }],
    invalid: [
      {
        name: 'payload from an unknown call',
        bytes: asm(P.proto(3), P.global('torch.storage', '_load_from_bytes'), P.global('mylib', 'blob'), P.EMPTY_TUPLE, P.REDUCE, P.TUPLE1, P.REDUCE, P.STOP),
        findings: [{ message: 'pickle calls torch.storage._load_from_bytes(mylib.blob()) but the bytes it loads could not be rebuilt and scanned (opaque): the second stage runs unchecked', ...calls('torch.storage', '_load_from_bytes', 2, 'mylib.blob()', 49, { via: 'GLOBAL', nested: 'opaque' }) }],
      },
      { name: 'referenced, never called', bytes: asm(P.proto(3), P.global('torch.storage', '_load_from_bytes'), P.STOP), findings: [{ message: 'pickle imports torch.storage._load_from_bytes but the bytes it loads could not be rebuilt and scanned (none): the second stage runs unchecked', ...imports('torch.storage', '_load_from_bytes', 2, { via: 'GLOBAL', nested: 'none' }) }] },
    ],
  }),
];
