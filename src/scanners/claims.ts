/**
 * What a file's name claims. Routing stays by content (a pickle named `config.json` is a pickle), but a
 * name that claims a serialization format whose bytes no scanner parsed must not read as clean: a
 * loader picked by extension (`torch.load` on `model.pt`) may still read those bytes, and "✓ clean,
 * no format" would be a verdict about nothing. Such a file is inconclusive, UNRECOGNIZED_FORMAT.
 *
 * An empty file claims nothing (there is nothing to load; Keras writes an empty `model.weights.h5` for a
 * model without weights). A claim is only checked when the content label is `unknown` (or a label with no scanner): content
 * that some scanner parsed wins over the name, so `weights.safetensors` that is really a pickle is
 * scanned as a pickle (its findings say more than a mismatch would), and a `.bin` that is a torch zip,
 * a pickle or safetensors is fine.
 */

import { fieldAt } from '../formats/protobuf/wire.js';

/** Extension (lower case, with the dot) → the format it claims. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  '.pt': 'PyTorch',
  '.pth': 'PyTorch',
  '.bin': 'PyTorch/binary weights',
  '.ckpt': 'checkpoint',
  '.pkl': 'pickle',
  '.pickle': 'pickle',
  '.joblib': 'joblib',
  '.dill': 'dill',
  '.safetensors': 'safetensors',
  '.gguf': 'GGUF',
  '.onnx': 'ONNX',
  '.h5': 'HDF5',
  '.hdf5': 'HDF5',
  '.keras': 'Keras',
  '.npy': 'NumPy',
  '.npz': 'NumPy zip',
  '.pb': 'TensorFlow protobuf',
  '.nemo': 'NeMo',
  '.msgpack': 'Flax msgpack',
  '.model': 'serialized model',
  '.tflite': 'TFLite',
  '.mar': 'TorchServe archive',
};

/**
 * `.bin` is every raw blob's extension (fastText, word2vec, firmware, test data); only the names the Hub
 * and the loaders use for pickled weights claim a format: pytorch_model*.bin, adapter_model.bin,
 * optimizer.bin, training_args.bin, *model*.bin, *weights*.bin, *checkpoint*.bin.
 */
const WEIGHTS_BIN = /model|weights|optimizer|checkpoint|ckpt|training_args|scheduler|rng_state|adapter/;

/** Longest name we look at; a longer one is judged by its last characters only. */
const MAX_NAME = 1024;

/** The format a file or member name claims, or undefined. Case-insensitive; `*.safetensors.index.json` is JSON. */
export function claimedFormat(name: string): string | undefined {
  const n = name.slice(-MAX_NAME).toLowerCase();
  const dot = n.lastIndexOf('.');
  if (dot <= 0) return undefined; // no extension, or a dotfile such as `.bin`
  const ext = n.slice(dot);
  if (ext === '.bin' && !WEIGHTS_BIN.test(n.slice(n.lastIndexOf('/') + 1))) return undefined;
  return EXTENSIONS[ext];
}

/** Protobuf-named formats whose many message types we do not all parse (keras_metadata.pb, sentencepiece's tokenizer.model). */
const PROTOBUF_CLAIMS: ReadonlySet<string> = new Set(['.pb', '.onnx', '.model']);
const MAX_FIELDS = 4096;

/**
 * A protobuf-named file whose head decodes as a wire stream, field after field to its end (or past the
 * head), is a message of a type we do not model, not unrecognised bytes: it stays as before. Text and
 * noise fail within a few fields.
 */
export function wireSatisfiesClaim(name: string, head: Uint8Array, size: number): boolean {
  const n = name.toLowerCase();
  if (!PROTOBUF_CLAIMS.has(n.slice(n.lastIndexOf('.')))) return false;
  let p = 0;
  for (let k = 0; k < MAX_FIELDS && p < head.length; k++) {
    const f = fieldAt(head, p, 0);
    if (!f) return false;
    p = f[1];
  }
  return p > 0 && (p === size || (p >= head.length && head.length < size) || (p < head.length && head.length < size));
}

/** The inconclusive message for a claimed format whose bytes nothing parsed. */
export function unrecognizedMessage(name: string, claim: string, label: string): string {
  const what = label === 'unknown' ? 'match no format mlvet parses' : `were labelled ${label}, which no scanner reads`;
  return `${name} is named as ${claim} but its bytes ${what}; a loader chosen by the name may still read them`;
}
