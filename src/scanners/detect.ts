/**
 * Content sniffing: formats are told by their bytes, never by their file name, so a pickle named
 * `config.json` or `weights.model` is still a pickle.
 */
import { looksLikePickle } from '../formats/pickle/probe.js';
import { isJinjaText, isJsonObject, isPythonSource } from '../formats/hfrepo/sniff.js';
import { hasLegacyHead } from '../formats/torch/legacy.js';
import { sniffProto } from '../formats/protobuf/sniff.js';

export type FormatLabel =
  | 'pickle'
  | 'torch-legacy'
  | 'zlib'
  | 'onnx'
  | 'tf-savedmodel'
  | 'tf-graphdef'
  | 'json'
  | 'python'
  | 'jinja'
  | 'zip'
  | 'gzip'
  | 'bzip2'
  | 'xz'
  | 'zstd'
  | '7z'
  | 'tar'
  | 'numpy'
  | 'hdf5'
  | 'gguf'
  | 'safetensors'
  | 'joblib-zlib'
  | 'unknown';

const startsWith = (h: Uint8Array, sig: number[], at = 0): boolean => sig.every((b, i) => h[at + i] === b);

export function isTar(h: Uint8Array): boolean {
  // "ustar" magic at 257 (POSIX and GNU)
  return h.length >= 262 && startsWith(h, [0x75, 0x73, 0x74, 0x61, 0x72], 257);
}

export function isSafetensors(h: Uint8Array, size: number): boolean {
  if (h.length < 10) return false;
  const n = h[0]! + h[1]! * 2 ** 8 + h[2]! * 2 ** 16 + h[3]! * 2 ** 24 + h[4]! * 2 ** 32 + h[5]! * 2 ** 40;
  if (h[6] !== 0 || h[7] !== 0 || n < 2 || n + 8 > size) return false;
  let i = 8;
  while (i < h.length && (h[i] === 0x20 || h[i] === 0x0a || h[i] === 0x0d || h[i] === 0x09)) i++;
  return h[i] === 0x7b; // '{'
}

export async function detect(head: Uint8Array, size: number): Promise<FormatLabel> {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0x42, 0x5a, 0x68])) return 'bzip2';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(head, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return 'numpy';
  if (startsWith(head, [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])) return 'hdf5';
  if (startsWith(head, [0x47, 0x47, 0x55, 0x46])) return 'gguf';
  if (startsWith(head, [0x5a, 0x46, 0x30, 0x78])) return 'joblib-zlib'; // joblib's legacy "ZF0x" zlib files
  if (isTar(head)) return 'tar';
  if (isSafetensors(head, size)) return 'safetensors';
  if (hasLegacyHead(head)) return 'torch-legacy'; // five pickles + raw storages
  if (head[0] === 0x78 && head.length > 2 && ((head[0] << 8) | head[1]!) % 31 === 0) return 'zlib'; // 'x' is no pickle opcode
  if (isJsonObject(head)) return 'json'; // '{' is no pickle opcode
  if (isPythonSource(head)) return 'python'; // see formats/hfrepo/sniff.ts: never a loadable pickle
  const proto = sniffProto(head); // 0x08 / 0x0a first: neither is a pickle opcode
  if (proto) return proto;
  if (await looksLikePickle(head, size)) return 'pickle';
  if (isJinjaText(head)) return 'jinja'; // only after the pickle probe: a pickle may contain '{{'
  return 'unknown';
}
