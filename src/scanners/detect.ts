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

function startsWith(h: Uint8Array, sig: readonly number[], at = 0): boolean {
  for (let i = 0; i < sig.length; i++) if (h[at + i] !== sig[i]) return false;
  return true;
}

export function isTar(h: Uint8Array): boolean {
  // "ustar" magic at 257 (POSIX and GNU)
  return h.length >= 262 && startsWith(h, [0x75, 0x73, 0x74, 0x61, 0x72], 257);
}

/**
 * An 8-byte little-endian header length, then a JSON object. `lenient` drops the check of the length
 * against the file: a length that lies (2^40 in a 200-byte file) is the scanner's finding, not
 * "unknown". It is only asked after the pickle probe, so a pickle whose ninth byte opens a JSON string
 * stays a pickle; the length bytes must still look binary, so `var x = {"a": 1}` stays text.
 */
export function isSafetensors(h: Uint8Array, size: number, lenient = false): boolean {
  if (h.length < 10) return false;
  const n = h[0]! + h[1]! * 2 ** 8 + h[2]! * 2 ** 16 + h[3]! * 2 ** 24 + h[4]! * 2 ** 32 + h[5]! * 2 ** 40;
  const small = h[6] === 0 && h[7] === 0;
  if (lenient ? !small && !h.subarray(0, 8).some((b) => b < 0x09) : !small || n < 2 || n + 8 > size) return false;
  let i = 8;
  const ws = (): void => {
    while (i < h.length && (h[i] === 0x20 || h[i] === 0x0a || h[i] === 0x0d || h[i] === 0x09)) i++;
  };
  ws();
  if (h[i] !== 0x7b) return false; // '{'
  if (!lenient) return true;
  i++;
  ws();
  return i >= h.length || h[i] === 0x22 || h[i] === 0x7d; // '"' opens the first key, '}' an empty header
}

/** Magic numbers, checked in this order; a file shorter than its magic is matched by the prefix it has. */
const MAGIC: Array<[FormatLabel, number[]]> = [
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['zip', [0x50, 0x4b, 0x05, 0x06]],
  ['gzip', [0x1f, 0x8b]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['numpy', [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]],
  ['hdf5', [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['gguf', [0x47, 0x47, 0x55, 0x46]],
  ['joblib-zlib', [0x5a, 0x46, 0x30, 0x78]], // joblib's legacy "ZF0x" zlib files
];

/**
 * MAGIC by first byte, built once: a file's first byte picks the few signatures it can match (in the
 * table's order), instead of every signature being tried on every file.
 */
const BY_FIRST_BYTE: ReadonlyArray<ReadonlyArray<readonly [FormatLabel, number[]]> | undefined> = (() => {
  const t: Array<Array<readonly [FormatLabel, number[]]> | undefined> = new Array<Array<readonly [FormatLabel, number[]]> | undefined>(256).fill(undefined);
  for (const m of MAGIC) (t[m[1][0]!] ??= []).push(m);
  return t;
})();

/**
 * The label whose magic the head starts with. A whole file shorter than a magic it begins (a 1-byte
 * `7`, a 5-byte `7z\xBC\xAF\x27`) is labelled too, so its scanner reports it truncated: a file cut
 * inside its magic is a broken file of that format, never "unknown" and clean.
 */
function byMagic(head: Uint8Array, size: number): FormatLabel | undefined {
  const candidates = head.length > 0 ? BY_FIRST_BYTE[head[0]!] : undefined;
  if (!candidates) return undefined;
  for (const [label, sig] of candidates) if (startsWith(head, sig)) return label;
  if (size !== head.length) return undefined;
  for (const [label, sig] of candidates) if (size < sig.length && isPrefixOf(head, sig)) return label;
  return undefined;
}

/** Every byte of `head` begins `sig` (a file shorter than the magic it starts). */
function isPrefixOf(head: Uint8Array, sig: readonly number[]): boolean {
  for (let i = 0; i < head.length; i++) if (head[i] !== sig[i]) return false;
  return true;
}

/**
 * Can the text checks (JSON object, Python source) match? Both need the decoded text to start with a
 * BOM, white space or an ASCII character; a head whose first byte is a UTF-8 continuation byte or a
 * byte that never starts a character (0x80-0xC1, 0xF5-0xFF: every PROTO pickle) decodes to U+FFFD
 * first, or not at all, so neither can.
 */
function mayBeText(head: Uint8Array): boolean {
  const b = head[0];
  return b !== undefined && (b < 0x80 || (b >= 0xc2 && b <= 0xf4));
}

/**
 * The label of everything told before the pickle probe, synchronously; undefined when only the
 * probe (`detectRest`) can tell. `detect` is this and then that: one chain, in one order.
 */
export function detectSync(head: Uint8Array, size: number): FormatLabel | undefined {
  const magic = byMagic(head, size);
  if (magic) return magic;
  const b0 = head[0];
  if (b0 === 0x80 && size === 1) return 'pickle'; // PROTO cut before its protocol byte
  if (isTar(head)) return 'tar';
  if (isSafetensors(head, size)) return 'safetensors';
  if (b0 === 0x80 && hasLegacyHead(head)) return 'torch-legacy'; // five pickles + raw storages
  if (b0 === 0x78 && head.length > 2 && ((b0 << 8) | head[1]!) % 31 === 0) return 'zlib'; // 'x' is no pickle opcode
  if (mayBeText(head)) {
    if (isJsonObject(head)) return 'json'; // '{' is no pickle opcode
    if (isPythonSource(head)) return 'python'; // see formats/hfrepo/sniff.ts: never a loadable pickle
  }
  const proto = sniffProto(head); // 0x08 / 0x0a first: neither is a pickle opcode
  if (proto) return proto;
  // what looksLikePickle answers first, without its promise: PROTO and a known protocol
  if (b0 === 0x80 && head.length >= 2 && head[1]! <= 5) return 'pickle';
  return undefined;
}

/** The rest of the chain after `detectSync` found nothing: the pickle probe, then what may follow a pickle. */
export async function detectRest(head: Uint8Array, size: number): Promise<FormatLabel> {
  if (await looksLikePickle(head, size)) return 'pickle';
  if (isSafetensors(head, size, true)) return 'safetensors'; // a header length that lies
  if (isJinjaText(head)) return 'jinja'; // only after the pickle probe: a pickle may contain '{{'
  return 'unknown';
}

export async function detect(head: Uint8Array, size: number): Promise<FormatLabel> {
  return detectSync(head, size) ?? (await detectRest(head, size));
}
