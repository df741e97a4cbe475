/** Rule tables for the model-format packs: `gguf`, `keras`, `numpy`, `onnx`, `safetensors`, `tf`, `torch`. */
import { defineRuleTests, fact, type RuleTests } from '../../helpers/rule-tester.js';

const lambda = (names: string[]) =>
  fact('keras.lambda', { layer: 'lambda_1', names, decoded: true, container: 'keras', key: 'lambda#0' }, { path: 'model.keras', member: 'config.json' });
const tfOp = (op: string, category: string, extra: Record<string, unknown> = {}) =>
  fact('tf.op', { op, node: `n/${op}`, function: null, category, target: '/tmp/x', key: `/n/${op}`, ...extra }, { path: 'saved_model.pb', offset: 120 });
const customDomain = (pythonOps: string[]) =>
  fact('onnx.custom-domain', { domain: 'ai.onnx.contrib', ops: ['PyOp'], nodes: 2, pythonOps, firstNode: 'n0', key: 'domain:ai.onnx.contrib' }, { path: 'model.onnx' });

export const formatTests: RuleTests[] = [
  defineRuleTests('gguf/invalid-layout', {
    valid: [
      {
        name: 'a header is not a problem',
        facts: [fact('gguf.header', { version: 3, littleEndian: true, tensors: 1, metadata: 2, architecture: 'llama', name: null, templates: [], key: 'header' })],
      },
    ],
    invalid: [
      {
        name: 'misaligned tensor',
        facts: [fact('gguf.invalid', { problem: 'misaligned', detail: 'offset 3 is not a multiple of 32', tensor: 'w', offset: 96, key: 'misaligned#0' }, { path: 'm.gguf', offset: 96 })],
        findings: [{ message: 'GGUF misaligned: offset 3 is not a multiple of 32' }],
      },
    ],
  }),
  defineRuleTests('keras/h5-safe-mode-bypass', {
    valid: [
      {
        name: 'no Lambda layers',
        facts: [fact('keras.h5', { kerasVersion: '2.15.0', backend: 'tensorflow', lambdaLayers: [], configBytes: 900, bytesLoaded: 4096, key: 'h5' }, { path: 'm.h5' })],
      },
    ],
    invalid: [
      {
        name: 'Lambda in a legacy h5',
        facts: [fact('keras.h5', { kerasVersion: '2.15.0', backend: 'tensorflow', lambdaLayers: ['lambda', 'lambda_2'], configBytes: 900, bytesLoaded: 4096, key: 'h5' }, { path: 'm.h5' })],
        findings: [{ message: 'legacy HDF5 model (Keras 2.15.0) has Lambda layers lambda, lambda_2: load_model runs their code even with safe_mode=True' }],
      },
    ],
  }),
  defineRuleTests('keras/lambda-dangerous-names', {
    valid: [{ name: 'arithmetic only', facts: [lambda(['x', 'tf', 'square'])] }, { name: 'a name that contains os is not os', facts: [lambda(['cosine'])] }],
    invalid: [
      {
        name: 'os.system in bytecode',
        facts: [lambda(['os', 'system', 'x'])],
        findings: [{ message: 'Lambda layer lambda_1 (keras) bytecode names os, system, x: loading it runs a command' }],
      },
    ],
  }),
  defineRuleTests('keras/lambda-layer', {
    valid: [{ name: 'a torch wrapper is another rule', facts: [fact('keras.torch-wrapper', { layer: 't', container: 'keras', key: 'torch-wrapper#0' })] }],
    invalid: [{ name: 'any Lambda', facts: [lambda(['x'])], findings: [{ message: 'Lambda layer lambda_1 (keras) carries marshalled Python code; names in it: x' }] }],
  }),
  defineRuleTests('keras/torch-module-wrapper', {
    valid: [{ name: 'a Lambda is another rule', facts: [lambda(['x'])] }],
    invalid: [
      {
        name: 'TorchModuleWrapper layer',
        facts: [fact('keras.torch-wrapper', { layer: 'torch_module_wrapper', container: 'keras', key: 'torch-wrapper#0' })],
        findings: [{ message: 'layer torch_module_wrapper is a TorchModuleWrapper: Keras restores it with torch.load, i.e. a pickle' }],
      },
    ],
  }),
  defineRuleTests('keras/unknown-class', {
    valid: [{ name: 'a gadget is another rule', facts: [fact('keras.gadget', { ref: 'keras.utils.get_file', container: 'keras', key: 'gadget#0' })] }],
    invalid: [
      {
        name: 'custom module',
        facts: [fact('keras.unknown-class', { module: 'mylib.layers', className: 'Evil', container: 'h5', key: 'unknown-class#0' })],
        findings: [{ message: 'config deserializes mylib.layers.Evil (h5); Keras imports that module while loading' }],
      },
    ],
  }),
  defineRuleTests('keras/unsafe-gadget', {
    valid: [{ name: 'an unknown class is another rule', facts: [fact('keras.unknown-class', { module: 'm', className: 'C', container: 'keras', key: 'unknown-class#0' })] }],
    invalid: [
      {
        name: 'get_file gadget',
        facts: [fact('keras.gadget', { ref: 'keras.utils.get_file', container: 'keras', key: 'gadget#0' })],
        findings: [{ message: 'config references keras.utils.get_file (keras), a known way around safe_mode' }],
      },
    ],
  }),
  defineRuleTests('numpy/object-array', {
    valid: [{ name: 'a float array', facts: [fact('numpy.array', { descr: '<f4', shape: [2, 2], version: '1.0', key: 'npy' }, { path: 'a.npy', offset: 128 })] }],
    invalid: [
      {
        name: 'object dtype',
        facts: [fact('numpy.object-array', { descr: '|O', shape: [3], version: '1.0', key: 'npy' }, { path: 'a.npy', offset: 128 })],
        findings: [{ message: 'object-dtype array (|O, shape 3): np.load(allow_pickle=True) unpickles its body; the pickle is scanned separately' }],
      },
    ],
  }),
  defineRuleTests('numpy/shape-mismatch', {
    valid: [{ name: 'an object array is another rule', facts: [fact('numpy.object-array', { descr: '|O', shape: [1], version: '1.0', key: 'npy' })] }],
    invalid: [
      {
        name: 'body longer than the shape',
        facts: [
          fact(
            'numpy.shape-mismatch',
            { descr: '<f4', shape: '2, 2', relation: 'trailing', impossible: false, elements: '4', itemSize: '4', expected: '16', actual: '4096', key: 'npy-size' },
            { path: 'a.npy', offset: 128 },
          ),
        ],
        findings: [{ message: 'array <f4 of shape (2, 2) needs 16 bytes (4 elements × 4), the body has 4096 (trailing)' }],
      },
    ],
  }),
  defineRuleTests('onnx/custom-domain', {
    valid: [
      {
        name: 'the model summary',
        facts: [fact('onnx.model', { irVersion: 8, producer: 'pytorch', producerVersion: '2.1', opsets: [], nodes: 3, tensors: 1, externalFiles: 0, key: 'model' })],
      },
    ],
    invalid: [
      { name: 'contrib domain', facts: [customDomain([])], findings: [{ message: 'ONNX model uses 2 nodes of domain ai.onnx.contrib (PyOp): running it needs a custom-op library' }] },
    ],
  }),
  defineRuleTests('onnx/python-op', {
    valid: [{ name: 'custom ops, none Python', facts: [customDomain([])] }],
    invalid: [
      {
        name: 'PyOp',
        facts: [customDomain(['PyOp'])],
        findings: [{ message: 'ONNX model calls Python operators PyOp (domain ai.onnx.contrib): their body is Python code in the loading process' }],
      },
    ],
  }),
  defineRuleTests('onnx/external-data-escape', {
    valid: [
      {
        name: 'data beside the model',
        facts: [fact('onnx.external-data', { location: 'weights.bin', tensors: 4, firstTensor: 'w0', empty: false, escapes: false, absolute: false, key: 'external:weights.bin' })],
      },
    ],
    invalid: [
      {
        name: '../ out of the directory',
        facts: [
          fact('onnx.external-data', { location: '../../.ssh/id_rsa', tensors: 1, firstTensor: 'w0', empty: false, escapes: true, absolute: false, key: 'external:../../.ssh/id_rsa' }),
        ],
        findings: [{ message: 'ONNX tensor w0 (1 tensors) loads external data from ../../.ssh/id_rsa, outside the model directory' }],
      },
    ],
  }),
  defineRuleTests('onnx/tensor-inconsistent', {
    valid: [
      {
        name: 'external data is another rule',
        facts: [fact('onnx.external-data', { location: 'w.bin', tensors: 1, firstTensor: 'w', empty: false, escapes: false, key: 'external:w.bin' })],
      },
    ],
    invalid: [
      {
        name: 'raw data shorter than its shape',
        facts: [
          fact('onnx.tensor-inconsistent', { tensor: 'w', graph: 'main', detail: 'raw_data has 4 bytes, dims need 16', offset: 40, key: 'tensor:w#0' }, { path: 'model.onnx', offset: 40 }),
        ],
        findings: [{ message: 'ONNX tensor w in main: raw_data has 4 bytes, dims need 16' }],
      },
    ],
  }),
  defineRuleTests('safetensors/duplicate-key', {
    valid: [{ name: 'a valid file', facts: [fact('safetensors.valid', { tensors: 1, dataBytes: 16, headerLength: 80, key: 'valid' }, { path: 'm.safetensors' })] }],
    invalid: [
      {
        name: 'a tensor listed twice',
        facts: [fact('safetensors.duplicate-key', { name: 'w', path: [], where: 'w', key: 'dup:w#0' }, { path: 'm.safetensors', offset: 40 })],
        findings: [{ message: 'safetensors header lists w twice: parsers disagree on which entry wins' }],
      },
    ],
  }),
  defineRuleTests('safetensors/invalid-header', {
    valid: [{ name: 'a valid file', facts: [fact('safetensors.valid', { tensors: 1, dataBytes: 16, headerLength: 80, key: 'valid' }, { path: 'm.safetensors' })] }],
    invalid: [
      {
        name: 'overlapping tensors',
        facts: [fact('safetensors.invalid', { problem: 'overlap', detail: 'tensor b starts inside a', key: 'overlap#0' }, { path: 'm.safetensors' })],
        findings: [{ message: 'invalid safetensors (overlap): tensor b starts inside a' }],
      },
    ],
  }),
  defineRuleTests('safetensors/metadata-code', {
    valid: [{ name: 'an invalid header is another rule', facts: [fact('safetensors.invalid', { problem: 'p', detail: 'd', key: 'p#0' })] }],
    invalid: [
      {
        name: 'pickle in metadata',
        facts: [fact('safetensors.metadata-suspicious', { field: 'notes', pattern: 'python-import', excerpt: "__import__('os')", key: 'notes:python-import' }, { path: 'm.safetensors' })],
        findings: [{ message: "__metadata__ field notes holds python-import: __import__('os')" }],
      },
    ],
  }),
  defineRuleTests('safetensors/valid', {
    valid: [{ name: 'an invalid file', facts: [fact('safetensors.invalid', { problem: 'p', detail: 'd', key: 'p#0' })] }],
    invalid: [
      {
        name: 'valid file',
        facts: [fact('safetensors.valid', { tensors: 2, dataBytes: 32, headerLength: 120, key: 'valid' }, { path: 'm.safetensors' })],
        findings: [{ message: 'valid safetensors: 2 tensors, 32 data bytes, header checked against the reference rules; loading it runs no code' }],
      },
    ],
  }),
  defineRuleTests('tf/checkpoint-op', {
    valid: [{ name: 'inside the saver', facts: [tfOp('RestoreV2', 'checkpoint-read', { checkpointContext: true })] }],
    invalid: [
      {
        name: 'SaveV2 outside the saver',
        facts: [tfOp('SaveV2', 'checkpoint-write', { checkpointContext: false })],
        findings: [{ message: "TensorFlow op SaveV2 (node n/SaveV2) saves or restores tensors at /tmp/x outside the model's checkpoint saver" }],
      },
    ],
  }),
  defineRuleTests('tf/code-execution', {
    valid: [{ name: 'a file op', facts: [tfOp('ReadFile', 'file-read')] }],
    invalid: [
      {
        name: 'PyFunc',
        facts: [tfOp('PyFunc', 'python', { function: 'f' })],
        findings: [{ message: 'TensorFlow op PyFunc (node n/PyFunc, function f) runs python code when the graph executes' }],
      },
    ],
  }),
  defineRuleTests('tf/file-access', {
    valid: [{ name: 'a network op', facts: [tfOp('_Send', 'network')] }],
    invalid: [
      {
        name: 'WriteFile',
        facts: [tfOp('WriteFile', 'file-write')],
        findings: [{ message: 'TensorFlow op WriteFile (node n/WriteFile) does file-write on /tmp/x when the graph executes' }],
      },
    ],
  }),
  defineRuleTests('tf/network-op', {
    valid: [{ name: 'a python op', facts: [tfOp('PyFunc', 'python')] }],
    invalid: [
      {
        name: '_Send',
        facts: [tfOp('_Send', 'network', { target: 'grpc://10.0.0.1:80' })],
        findings: [{ message: 'TensorFlow op _Send (node n/_Send) sends tensors to grpc://10.0.0.1:80' }],
      },
    ],
  }),
  defineRuleTests('torch/legacy-unaccounted', {
    valid: [{ name: 'an exact legacy file', facts: [fact('torch.legacy', { storages: 2, storagesEnd: 900, exact: true, key: 'legacy' })] }],
    invalid: [
      {
        name: 'bytes after the storages',
        facts: [fact('torch.legacy-unaccounted', { length: 64, storagesMatched: 1, storages: 2, key: 'tail@900' }, { path: 'm.pt', offset: 900 })],
        findings: [{ message: '64 bytes after the five pickles are not the 2 storages torch.load reads (1 matched)' }],
      },
    ],
  }),
];
