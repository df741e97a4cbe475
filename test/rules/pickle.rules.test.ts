import { asm, evilP4, P } from '../helpers/pickle-asm.js';
import { ruleTester } from '../helpers/rule-tester.js';

const call = (m: string, n: string, arg = 'x') => asm(P.proto(4), P.sbu(m), P.sbu(n), P.STACK_GLOBAL, P.sbu(arg), P.TUPLE1, P.REDUCE, P.STOP);
const ref = (m: string, n: string) => asm(P.proto(4), P.sbu(m), P.sbu(n), P.STACK_GLOBAL, P.STOP);
const clean = asm(P.proto(2), P.global('collections', 'OrderedDict'), P.EMPTY_TUPLE, P.REDUCE, P.STOP);

ruleTester('pickle/code-execution', {
  valid: [{ name: 'OrderedDict', bytes: clean }, { name: 'torch rebuild', bytes: ref('torch._utils', '_rebuild_tensor_v2') }],
  invalid: [
    { name: 'posix.system', bytes: evilP4(), count: 1 },
    { name: 'subprocess submodule', bytes: call('subprocess', 'Popen') },
    { name: 'runsource sibling of a denied method', bytes: call('code', 'InteractiveInterpreter.runsource') },
    { name: 'asyncio submodule inherits', bytes: call('asyncio.unix_events', '_UnixSubprocessTransport._start') },
  ],
});
ruleTester('pickle/dynamic-import', {
  valid: [{ name: 'builtins.set', bytes: ref('builtins', 'set') }],
  invalid: [{ name: 'importlib', bytes: call('importlib', 'import_module', 'os') }, { name: 'pkgutil.resolve_name', bytes: call('pkgutil', 'resolve_name', 'os:system') }],
});
ruleTester('pickle/nested-pickle', {
  valid: [{ name: 'codecs.encode alone', bytes: call('_codecs', 'encode') }],
  invalid: [{ name: 'dill.loads', bytes: call('dill', 'loads') }, { name: 'torch.load', bytes: call('torch', 'load') }],
});
ruleTester('pickle/file-access', {
  valid: [{ name: 'pathlib.PosixPath value', bytes: call('pathlib', 'PosixPath', '/tmp') }],
  invalid: [{ name: 'builtins.open', bytes: call('builtins', 'open', '/etc/passwd') }, { name: '_io.FileIO', bytes: call('_io', 'FileIO', '/x') }],
});
ruleTester('pickle/network-access', {
  valid: [{ name: 'clean', bytes: clean }],
  invalid: [{ name: 'urllib.request.urlopen', bytes: call('urllib.request', 'urlopen', 'http://x') }, { name: 'socket', bytes: call('socket', 'create_connection') }],
});
ruleTester('pickle/scanner-tamper', {
  valid: [{ name: 'clean', bytes: clean }],
  invalid: [{ name: 'fickling hook', bytes: ref('fickling.hook', 'deactivate_safe_ml_environment') }],
});
ruleTester('pickle/unknown-global', {
  valid: [{ name: 'numpy reconstruct', bytes: ref('numpy.core.multiarray', '_reconstruct') }, { name: 'denylisted is not "unknown"', bytes: evilP4() }],
  invalid: [{ name: 'custom class', bytes: ref('mylib', 'Net'), count: 1 }, { name: 'dotted walk under a wildcard', bytes: ref('sklearn', 'utils.fixes') }],
});
ruleTester('pickle/suspicious-name', {
  valid: [{ name: 'unknown class', bytes: ref('mylib', 'Net') }],
  invalid: [{ name: 'mylib.run', bytes: call('mylib', 'run') }],
});
ruleTester('pickle/dunder-access', {
  valid: [{ name: '__main__ module', bytes: ref('__main__', 'Net') }],
  invalid: [{ name: '__globals__', bytes: ref('mylib', 'f.__globals__') }, { name: '__subclasses__', bytes: ref('builtins', 'object.__subclasses__') }],
});
ruleTester('pickle/computed-global', {
  valid: [{ name: 'literal operands', bytes: evilP4() }],
  invalid: [{ name: 'operands from a call', bytes: asm(P.proto(4), P.global('mylib', 'f'), P.EMPTY_TUPLE, P.REDUCE, P.sbu('x'), P.STACK_GLOBAL, P.STOP) }],
});
ruleTester('pickle/extension-registry', {
  valid: [{ name: 'clean', bytes: clean }],
  invalid: [{ name: 'EXT2', bytes: asm(P.proto(2), P.ext2(300), P.NONE, P.TUPLE1, P.REDUCE, P.STOP) }],
});
ruleTester('pickle/global-mutation', {
  valid: [{ name: 'BUILD on an instance', bytes: asm(P.proto(2), P.global('collections', 'OrderedDict'), P.EMPTY_TUPLE, P.REDUCE, P.EMPTY_DICT, P.BUILD, P.STOP) }],
  invalid: [{ name: 'BUILD on a function', bytes: asm(P.proto(2), P.global('numpy', 'prod'), P.EMPTY_DICT, P.BUILD, P.STOP) }],
});
ruleTester('pickle/indirect-call', {
  valid: [{ name: 'global call', bytes: evilP4() }],
  invalid: [{ name: 'call a call result', bytes: asm(P.proto(2), P.global('mylib', 'make'), P.EMPTY_TUPLE, P.REDUCE, P.EMPTY_TUPLE, P.REDUCE, P.STOP) }],
});
ruleTester('pickle/frame-divergence', {
  valid: [{ name: 'well-formed frame', bytes: asm(P.proto(4), P.frame(2), P.NONE, P.STOP) }],
  invalid: [{ name: 'straddle', bytes: asm(P.proto(4), P.frame(2), [0x43, 3], [1, 2, 3], P.STOP) }],
});
ruleTester('pickle/nested-opaque', {
  valid: [{ name: 'rebuildable payload', bytes: asm(P.proto(3), P.global('pickle', 'loads'), P.binbytes(evilP4()), P.TUPLE1, P.REDUCE, P.STOP) }],
  invalid: [{ name: 'payload from a file', bytes: asm(P.proto(3), P.global('pickle', 'loads'), P.global('builtins', 'open'), P.sbu('/x'), P.TUPLE1, P.REDUCE, P.TUPLE1, P.REDUCE, P.STOP) }],
});
ruleTester('pickle/trailing-data', {
  valid: [{ name: 'two pickles', bytes: asm(P.proto(2), P.NONE, P.STOP, P.proto(2), P.NONE, P.STOP) }],
  invalid: [{ name: 'junk after STOP', bytes: asm(P.proto(2), P.NONE, P.STOP, [0xee, 0xee]) }],
});
ruleTester('pickle/torch-bytes-unscanned', {
  valid: [{ name: 'payload rebuilt and scanned', bytes: asm(P.proto(3), P.global('torch.storage', '_load_from_bytes'), P.binbytes(asm(P.proto(2), P.NONE, P.STOP)), P.TUPLE1, P.REDUCE, P.STOP) }],
  invalid: [
    { name: 'payload from an unknown call', bytes: asm(P.proto(3), P.global('torch.storage', '_load_from_bytes'), P.global('mylib', 'blob'), P.EMPTY_TUPLE, P.REDUCE, P.TUPLE1, P.REDUCE, P.STOP) },
    { name: 'referenced, never called', bytes: asm(P.proto(3), P.global('torch.storage', '_load_from_bytes'), P.STOP) },
  ],
});
