/**
 * The catalogue of fact kinds: every kind a scanner, source, lineage check or validation run emits,
 * what it says, and the data fields rules read. Facts are the contract between the stages that find
 * things and the rule packs that judge them, so a rule's `match.fact` (and any kind a check reads)
 * must be listed here; the rule meta-test checks that, and that every kind `src/` emits is listed.
 * Every fact's data also carries `key`, which tells two facts at one location apart (fingerprints).
 */

export interface FactKind {
  /** the stage that emits it */
  from: string;
  description: string;
  /** the main data fields (besides `key`) */
  fields: readonly string[];
}

export const FACT_KINDS: Readonly<Record<string, FactKind>> = {
  'archive.path-traversal': {
    from: 'scanners/archive',
    description: 'a tar/zip/7z member name containing ../',
    fields: ['container', 'name'],
  },
  'archive.absolute-path': {
    from: 'scanners/archive',
    description: 'a member name that is an absolute path',
    fields: ['container', 'name'],
  },
  'archive.decompression-budget': {
    from: 'scanners/archive',
    description: 'a compressed stream stopped by a budget (ratio, size or time)',
    fields: ['container', 'codec', 'budget', 'outBytes', 'consumed', 'ratio'],
  },
  'archive.link': {
    from: 'scanners/tar, sevenzip',
    description: 'a symlink or hardlink member',
    fields: ['container', 'name', 'linkType', 'target', 'escapes'],
  },
  'archive.special-file': {
    from: 'scanners/tar',
    description: 'a device, FIFO or other non-file member',
    fields: ['container', 'name', 'fileType', 'typeflag'],
  },

  'artifact.special-file': {
    from: 'sources/local',
    description: 'a device, FIFO or socket in the scanned tree (not read)',
    fields: [],
  },
  'artifact.symlink-broken': {
    from: 'sources/local',
    description: 'a symlink whose target does not exist',
    fields: [],
  },
  'artifact.symlink-escape': {
    from: 'sources/local',
    description: 'a symlink that resolves outside the scanned root (not followed)',
    fields: ['target'],
  },
  'artifact.unreadable': {
    from: 'sources/local',
    description: 'a directory that could not be listed',
    fields: ['error'],
  },

  'compress.layer': {
    from: 'scanners/compress',
    description: 'a gzip/bz2/xz/zstd layer that was unpacked and scanned',
    fields: ['codec', 'inBytes', 'outBytes', 'complete'],
  },
  'dependency.unpinned': {
    from: 'scanners/pinning',
    description: 'a requirements/pyproject dependency without an exact version or hash',
    fields: ['manager', 'name', 'spec', 'group'],
  },

  'gguf.header': {
    from: 'scanners/gguf',
    description: 'a GGUF header summary',
    fields: ['version', 'tensors', 'metadata', 'architecture', 'templates'],
  },
  'gguf.invalid': {
    from: 'scanners/gguf',
    description: 'a GGUF layout problem (misaligned, overlapping, out-of-bounds tensor …)',
    fields: ['problem', 'detail', 'tensor', 'offset'],
  },

  'hf.auto-map': {
    from: 'scanners/hfrepo',
    description: 'a JSON config whose auto_map makes transformers import repository code',
    fields: ['files', 'classes'],
  },
  'hf.auto-map-remote': {
    from: 'scanners/pinning',
    description: 'an auto_map entry naming code in another repository (org/repo--module.Class)',
    fields: ['autoClass', 'ref', 'repo', 'code'],
  },
  'hf.python-file': {
    from: 'scanners/hfrepo',
    description:
      'a Python source file in the target; for a repository file (not an archive member) `reach` is what its tokens show it ' +
      'can do: `executes` (subprocess, os.system, exec/eval/compile, importlib, unpickling, torch.hub.load), `fetches` ' +
      '(requests, urllib, sockets, Hub downloads), `none`, `unparsed` (does not tokenize) or `unread` (over 4 MiB), and ' +
      '`reasons` the hits as `what:line` in source order, at most 8 (formats/hfrepo/python-reach.ts); `reach` is absent ' +
      'for archive members',
    fields: ['name', 'inContainer', 'bytes', 'reach', 'reasons'],
  },

  'hydra.target': {
    from: 'scanners/hydra',
    description: 'a Hydra/OmegaConf `_target_` (or NeMo root `target`) that instantiate imports and calls',
    fields: ['target', 'module', 'name', 'readings', 'path', 'via', 'partial', 'args', 'kwargs', 'recursive', 'format'],
  },

  'keras.h5': {
    from: 'scanners/keras-h5',
    description: 'a legacy HDF5 Keras model',
    fields: ['kerasVersion', 'backend', 'lambdaLayers', 'configBytes'],
  },
  'keras.lambda': {
    from: 'scanners/hfrepo (keras config)',
    description: 'a Lambda layer and the identifiers in its marshalled bytecode',
    fields: ['layer', 'names', 'decoded', 'container'],
  },
  'keras.unknown-class': {
    from: 'scanners/hfrepo (keras config)',
    description: 'a config object from a module outside Keras',
    fields: ['module', 'className', 'container'],
  },
  'keras.torch-wrapper': {
    from: 'scanners/hfrepo (keras config)',
    description: 'a TorchModuleWrapper layer (restored with torch.load)',
    fields: ['layer', 'container'],
  },
  'keras.gadget': {
    from: 'scanners/hfrepo (keras config)',
    description: 'a reference to a callable known to sidestep safe_mode',
    fields: ['ref', 'container'],
  },
  'keras.file-read': {
    from: 'scanners/hfrepo (keras config)',
    description: 'a layer argument Keras reads as a file or URL at load (StringLookup/TextVectorization vocabulary)',
    fields: ['layer', 'className', 'field', 'value', 'reach', 'remote', 'container'],
  },

  'lineage.problem': {
    from: 'lineage',
    description: 'a signature, manifest or provenance problem, by code',
    fields: ['code', 'detail', 'manifest', 'path', 'source', 'expected', 'actual'],
  },

  'numpy.array': {
    from: 'scanners/numpy',
    description: 'a .npy array of a plain dtype',
    fields: ['descr', 'shape', 'version'],
  },
  'numpy.object-array': {
    from: 'scanners/numpy',
    description: 'a .npy array of object dtype (its body is a pickle)',
    fields: ['descr', 'shape', 'version'],
  },
  'numpy.shape-mismatch': {
    from: 'scanners/numpy',
    description: 'a .npy body whose size disagrees with its header',
    fields: ['descr', 'shape', 'relation', 'impossible', 'elements', 'itemSize', 'expected', 'actual'],
  },

  'onnx.model': {
    from: 'scanners/onnx',
    description: 'an ONNX model summary',
    fields: ['irVersion', 'producer', 'opsets', 'nodes', 'tensors', 'externalFiles'],
  },
  'onnx.custom-domain': {
    from: 'scanners/onnx',
    description: 'nodes of a non-standard operator domain',
    fields: ['domain', 'ops', 'nodes', 'pythonOps', 'firstNode'],
  },
  'onnx.external-data': {
    from: 'scanners/onnx',
    description: 'tensors loaded from an external file',
    fields: ['location', 'tensors', 'firstTensor', 'empty', 'escapes'],
  },
  'onnx.tensor-inconsistent': {
    from: 'scanners/onnx',
    description: 'a tensor whose data disagrees with its type and shape',
    fields: ['tensor', 'graph', 'detail'],
  },

  'pickle.global': {
    from: 'scanners/pickle',
    description:
      'a global a pickle imports (and maybe calls), with every reading of its name. On a builtins/__builtin__ getattr ' +
      'global (decision record 0007): `getattrCalls` holds each call, at most 32, as {target: class | instance | other, ' +
      'module, name (the class, or the class an instance was built from), attr (the string constant, null when computed ' +
      'or truncated), args (count), offset, passed (true when the result was handed to another call)}; `getattrMore` is ' +
      'true when there were more calls than kept; `getattrPassed` is true when a copy of the getattr global itself (its ' +
      'import, a memo get or a DUP) ended anywhere but as the callable of a call: an argument or an item of one, a ' +
      'keyword, BUILD state, a container item, the result',
    fields: [
      'module',
      'name',
      'qualname',
      'readings',
      'canonicalModule',
      'canonicalName',
      'verb',
      'call',
      'dunders',
      'lastName',
      'nested',
      'count',
      'getattrCalls',
      'getattrMore',
      'getattrPassed',
    ],
  },
  'pickle.computed-global': {
    from: 'scanners/pickle',
    description: 'a STACK_GLOBAL whose operands are computed at load time',
    fields: ['module', 'name'],
  },
  'pickle.ext': {
    from: 'scanners/pickle',
    description: 'an EXT1/2/4 opcode (callable from the copyreg registry)',
    fields: ['code'],
  },
  'pickle.frame-divergence': {
    from: 'scanners/pickle',
    description: 'an opcode that straddles its FRAME, read differently by the C and Python unpicklers',
    fields: ['detail'],
  },
  'pickle.global-mutation': {
    from: 'scanners/pickle',
    description: 'BUILD/SETITEM applied to a global or module, not an instance',
    fields: ['target', 'op', 'targetOffset', 'state'],
  },
  'pickle.indirect-call': {
    from: 'scanners/pickle',
    description: 'a call whose callable is produced at load time',
    fields: ['callable', 'kind', 'callableType'],
  },
  'pickle.nested-opaque': {
    from: 'scanners/pickle',
    description: 'a nested loader called on bytes that could not be rebuilt',
    fields: ['loader', 'reason'],
  },
  'pickle.nested-payload': {
    from: 'scanners/pickle',
    description: 'a nested loader payload that was rebuilt and scanned',
    fields: ['loader', 'length'],
  },
  'pickle.out-of-band-buffer': {
    from: 'scanners/pickle',
    description: 'a NEXT_BUFFER/READONLY_BUFFER opcode (protocol 5 out-of-band data)',
    fields: [],
  },
  'pickle.trailing-data': {
    from: 'scanners/pickle',
    description: 'bytes after the last STOP that are not a pickle',
    fields: ['length'],
  },

  'python.hub-download': {
    from: 'scanners/pinning',
    description: 'a hub download call in Python source and whether its revision is pinned',
    fields: ['function', 'repo', 'revision', 'pin'],
  },
  'python.trust-remote-code': {
    from: 'scanners/pinning',
    description: 'a call passing trust_remote_code=True',
    fields: ['function', 'repo'],
  },

  'remote.scan-verdict': {
    from: 'sources/hf',
    description: "the Hub's own scan verdict for one file",
    fields: ['service', 'status', 'scanners', 'flaggedImports'],
  },

  'safetensors.valid': {
    from: 'scanners/safetensors',
    description: 'a safetensors file whose header passed every check',
    fields: ['tensors', 'dataBytes', 'headerLength'],
  },
  'safetensors.invalid': {
    from: 'scanners/safetensors',
    description: 'a safetensors header problem',
    fields: ['problem', 'detail'],
  },
  'safetensors.duplicate-key': {
    from: 'scanners/safetensors',
    description: 'a key that appears twice in the JSON header',
    fields: ['name', 'path', 'where'],
  },
  'safetensors.metadata-suspicious': {
    from: 'scanners/safetensors',
    description: 'a __metadata__ value that looks like code',
    fields: ['field', 'pattern', 'excerpt'],
  },

  'source.unpinned': {
    from: 'sources/hf, s3, https',
    description: 'a remote target read at a name that can move (branch, unversioned object, URL)',
    fields: ['scheme', 'target', 'ref', 'commit', 'pinTo', 'versioning', 'versionId'],
  },
  'source.insecure-url': {
    from: 'sources/https, scanners/pinning',
    description: 'a plain-HTTP URL a target or a file downloads from',
    fields: ['url', 'context'],
  },
  'source.weak-digest': {
    from: 'sources/s3',
    description: 'a remote object with no full-object SHA-256 at the source',
    fields: ['scheme', 'target', 'digests'],
  },

  'template.ssti': {
    from: 'scanners/hfrepo, gguf',
    description: 'a Jinja chat template that reaches Python objects',
    fields: ['source', 'template', 'parsed', 'names', 'categories'],
  },

  'tf.graph': {
    from: 'scanners/tf',
    description: 'a TensorFlow graph summary',
    fields: ['kind', 'metaGraphs', 'nodes', 'functions'],
  },
  'tf.op': {
    from: 'scanners/tf',
    description: 'a TensorFlow op that reaches files, processes, Python or the network',
    fields: ['op', 'node', 'function', 'category', 'target', 'checkpointContext'],
  },

  'torch.legacy': {
    from: 'scanners/torch',
    description: 'a legacy (pre-zip) torch.save file',
    fields: ['storages', 'storagesEnd', 'exact'],
  },
  'torch.legacy-tar': {
    from: 'scanners/tar',
    description: 'a torch legacy tar checkpoint',
    fields: ['members'],
  },
  'torch.legacy-unaccounted': {
    from: 'scanners/torch',
    description: 'bytes after a legacy file that are not its storages',
    fields: ['length', 'storages', 'storagesMatched'],
  },
  'torch.storage-pickle': {
    from: 'scanners/zip',
    description: 'a torch zip storage member (data/<key>) that is one complete, valid pickle stream; it is scanned as a pickle',
    fields: ['member', 'size'],
  },
  'torch.zip': {
    from: 'scanners/zip',
    description: 'a PyTorch zip checkpoint layout',
    fields: ['root', 'torchscript', 'members', 'storagesSkipped'],
  },

  'validation.check': {
    from: 'validation',
    description: "one of mlvet's poisoning checks, run as a GX expectation",
    fields: ['type', 'column', 'success', 'statistic', 'threshold', 'details', 'examples'],
  },
  'validation.expectation': {
    from: 'validation',
    description: 'a Great Expectations expectation result',
    fields: ['type', 'column', 'success', 'raised', 'exception', 'observed_value', 'unexpected_count'],
  },

  'zip.crc-mismatch': {
    from: 'scanners/zip',
    description: "a member whose bytes do not match the directory's CRC",
    fields: ['member', 'declared', 'actual'],
  },
  'zip.data-past-eof': {
    from: 'scanners/zip',
    description: "a member whose data ends past the file's end",
    fields: ['member', 'end'],
  },
  'zip.duplicate-name': {
    from: 'scanners/zip',
    description: 'two or more members with one name',
    fields: ['member', 'count'],
  },
  'zip.flag-bits': {
    from: 'scanners/zip',
    description: 'a member with general-purpose flag bits set (encrypted, …)',
    fields: ['member', 'flags', 'bits', 'readable'],
  },
  'zip.nonstandard-method': {
    from: 'scanners/zip',
    description: 'a member compressed with a method Python zipfile reads and PyTorch (miniz: stored, deflate) cannot (bzip2, lzma)',
    fields: ['member', 'method', 'methodName'],
  },
  'zip.name-mismatch': {
    from: 'scanners/zip',
    description: 'a local header name that differs from the central directory',
    fields: ['member', 'localName'],
  },
  'zip.offset-shift': {
    from: 'scanners/zip',
    description: 'a central directory away from where the end record says',
    fields: ['shift'],
  },
  'zip.overlap': {
    from: 'scanners/zip',
    description: "a member that starts inside another's data",
    fields: ['member', 'other'],
  },
  'zip.overlapping-entries': {
    from: 'scanners/zip',
    description: 'entries that read the same compressed bytes (zip-bomb layout)',
    fields: ['members', 'count', 'ranges', 'start', 'end', 'coincident', 'notRescanned'],
  },
  'zip.prefix-data': {
    from: 'scanners/zip',
    description: 'bytes before the first entry',
    fields: ['length'],
  },
};

export function isFactKind(kind: string): boolean {
  return Object.hasOwn(FACT_KINDS, kind);
}
