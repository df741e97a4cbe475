/**
 * The scanner registry: explicit, in order. A scanner declares the content labels it handles.
 */
import { compressScanner } from './compress.js';
import { ggufScanner } from './gguf.js';
import { jsonScanner } from './hfrepo/json.js';
import { pythonScanner } from './hfrepo/python.js';
import { jinjaScanner } from './hfrepo/template-facts.js';
import { hydraScanner } from './hydra.js';
import { kerasH5Scanner } from './keras-h5.js';
import { numpyScanner } from './numpy.js';
import { onnxScanner } from './onnx.js';
import { pickleScanner } from './pickle/index.js';
import { pinningScanner } from './pinning/index.js';
import type { Scanner } from './types.js';
import { safetensorsScanner } from './safetensors.js';
import { sevenZipScanner } from './sevenzip.js';
import { tarScanner } from './tar.js';
import { tfScanner } from './tf.js';
import { torchLegacyScanner } from './torch.js';
import { zipScanner, zipTailScanner } from './zip.js';

export const SCANNERS: Scanner[] = [pickleScanner, zipScanner, zipTailScanner, torchLegacyScanner, tarScanner, compressScanner, numpyScanner, pythonScanner, pinningScanner, safetensorsScanner, jsonScanner, hydraScanner, jinjaScanner, sevenZipScanner, kerasH5Scanner, ggufScanner, onnxScanner, tfScanner];
