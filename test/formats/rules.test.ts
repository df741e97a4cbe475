/**
 * Rule tables for the container and format packs: each rule fires on its positive fixture and stays
 * silent on its negative one (a real producer's file or the same trick without the flaw).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';

const M = (n: string): string => join(FIXTURES, 'formats', 'malicious', n);
const B = (n: string): string => join(FIXTURES, 'formats', 'benign', n);

const CASES: Array<[rule: string, positive: string, negative: string]> = [
  ['zip/crc-mismatch', M('e12-crc-mismatch.pt'), B('torch-checkpoint.pth')],
  ['zip/flag-bits', M('e12-flag-encrypted.pt'), B('torch-state-dict.pt')],
  ['zip/name-mismatch', M('e12-name-mismatch.pt'), B('torch-many-tensors.bin')],
  ['zip/duplicate-name', M('e12-duplicate-name.pt'), B('torch-state-dict.pt')],
  ['zip/prefix-data', M('e12-prefix-data.zip'), B('torch-state-dict.pt')],
  ['zip/offset-shift', M('e12-offset-shift.zip'), M('e12-prefix-data.zip')],
  ['zip/overlap', M('e12-overlap.zip'), M('e12-duplicate-name.pt')],
  ['torch/legacy-unaccounted', M('e10-legacy-extra-pickle-after-storages.pt'), B('torch-state-dict-legacy.pt')],
  ['archive/path-traversal', M('e13-tar-traversal.tar'), M('e13-legacy-tar-storages.tar')],
  ['archive/absolute-path', M('e13-tar-traversal.tar'), M('e13-legacy-tar-storages.tar')],
  ['archive/link', M('e13-tar-traversal.tar'), M('e13-legacy-tar-storages.tar')],
  ['archive/special-file', M('e13-tar-traversal.tar'), M('e13-legacy-tar-storages.tar')],
  ['numpy/object-array', M('e13-npy-object.npy'), B('torch-state-dict.pt')],
  ['hf/python-file', M('repo-remote-code/modeling_evil.py'), B('torch-torchscript.pt')],
  ['safetensors/invalid-header', M('st-overlap.safetensors'), B('model.safetensors')],
  ['safetensors/metadata-code', M('st-metadata-code.safetensors'), B('model.safetensors')],
  ['safetensors/valid', B('model.safetensors'), M('st-shape-mismatch.safetensors')],
  ['template/ssti', M('e16-tokenizer-config-ssti.json'), B('tokenizer_config.json')],
  ['hf/remote-code', M('repo-remote-code'), B('tokenizer_config.json')],
  ['keras/lambda-layer', M('e16-keras-get-file-gadget.keras'), B('model.keras')],
  ['keras/lambda-dangerous-names', M('e16-keras-lambda.keras'), M('e16-keras-get-file-gadget.keras')],
  ['keras/unknown-class', M('e16-keras-unknown-module.keras'), B('model.keras')],
  ['keras/torch-module-wrapper', M('e16-keras-torch-wrapper.keras'), B('model.keras')],
  ['keras/unsafe-gadget', M('e16-keras-get-file-gadget.keras'), B('model.keras')],
  ['keras/h5-safe-mode-bypass', M('e16-h5-lambda-safe-mode-bypass.h5'), B('keras-sequential.h5')],
  ['gguf/invalid-layout', M('gguf-overlapping-tensors.gguf'), B('model.gguf')],
  ['onnx/external-data-escape', M('e16-onnx-external-traversal.onnx'), B('model-external.onnx')],
  ['onnx/custom-domain', M('e16-onnx-custom-domain.onnx'), B('model.onnx')],
  ['onnx/python-op', M('e16-onnx-custom-domain.onnx'), B('model.onnx')],
  ['onnx/tensor-inconsistent', M('onnx-tensor-inconsistent.onnx'), B('model-external.onnx')],
  ['tf/code-execution', M('e16-tf-pyfunc-saved_model.pb'), B('saved_model.pb')],
  ['tf/file-access', M('e16-tf-readfile.pb'), B('frozen_graph.pb')],
  ['tf/checkpoint-op', M('tf-savev2-outside-saver-saved_model.pb'), B('saved_model.pb')],
  ['tf/network-op', M('e16-tf-debug-grpc.pb'), B('frozen_graph.pb')],
];

describe.each(CASES)('%s', (rule, positive, negative) => {
  it('fires on its positive fixture', async () => {
    const r = await scan({ targets: [positive] });
    expect(r.findings.map((f) => f.ruleId)).toContain(rule);
  });
  it('stays silent on its negative fixture', async () => {
    const r = await scan({ targets: [negative] });
    expect(r.findings.map((f) => f.ruleId)).not.toContain(rule);
  });
});
