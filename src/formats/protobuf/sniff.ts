/**
 * Protobuf files carry no magic number. We recognise ONNX models and TensorFlow SavedModel / GraphDef
 * files from the shape of their first fields: which field numbers appear, with which wire types, and
 * for GraphDef that the first node has an op name. Text never passes these checks: the first byte of
 * a match is 0x08 or 0x0a, and neither is a pickle opcode nor the start of JSON/Python/Jinja text.
 */
import { fieldAt, smallVarint, WT, type Field } from './wire.js';

export type ProtoLabel = 'onnx' | 'tf-savedmodel' | 'tf-graphdef';

/** ModelProto field numbers → wire type (onnx.proto3; 26 = configuration in IR v11) */
export const ONNX_FIELDS: Record<number, number> = { 1: WT.VARINT, 2: WT.LEN, 3: WT.LEN, 4: WT.LEN, 5: WT.VARINT, 6: WT.LEN, 7: WT.LEN, 8: WT.LEN, 14: WT.LEN, 20: WT.LEN, 25: WT.LEN, 26: WT.LEN };
/** SavedModel (schema version, meta_graphs) and GraphDef (node, library, versions, version) fields */
export const TF_FIELDS: Record<number, number> = { 1: WT.VARINT, 2: WT.LEN };
export const GRAPHDEF_FIELDS: Record<number, number> = { 1: WT.LEN, 2: WT.LEN, 3: WT.VARINT, 4: WT.LEN, 5: WT.LEN };

/** The first fields of the head; the last one may be a LEN field whose payload runs past the head. */
export function headFields(head: Uint8Array, max = 16): Field[] {
  const out: Field[] = [];
  let p = 0;
  while (p < head.length && out.length < max) {
    const f = fieldAt(head, p, 0);
    if (!f) break;
    out.push(f[0]);
    if (f[1] > head.length) break;
    p = f[1];
  }
  return out;
}

function isOnnx(fs: Field[]): boolean {
  const v = fs[0]?.value;
  if (fs[0]?.no !== 1 || fs[0].wt !== WT.VARINT || v === undefined || v < 1n || v > 30n) return false;
  if (!fs.every((f) => ONNX_FIELDS[f.no] === f.wt)) return false;
  return fs.some((f) => f.no === 7 || f.no === 8) || fs.length >= 3;
}

function isSavedModel(fs: Field[]): boolean {
  return fs[0]?.no === 1 && fs[0].wt === WT.VARINT && fs[0].value === 1n && fs[1]?.no === 2 && fs[1].wt === WT.LEN && fs[1].length > 64;
}

function isGraphDef(head: Uint8Array, fs: Field[]): boolean {
  const node = fs[0];
  if (node?.no !== 1 || node.wt !== WT.LEN) return false;
  const inner = head.subarray(node.offset, Math.min(head.length, node.offset + node.length));
  const nf = headFields(inner, 2);
  if (nf[0]?.no !== 1 || nf[0].wt !== WT.LEN || nf[1]?.no !== 2 || nf[1].wt !== WT.LEN) return false;
  if (nf[1].offset + nf[1].length > inner.length || nf[0].length > 4096) return false;
  const op = new TextDecoder().decode(inner.subarray(nf[1].offset, nf[1].offset + nf[1].length));
  return /^_?[A-Z][A-Za-z0-9_]{0,127}$/.test(op);
}

/**
 * Does the head open with a tag of this schema (a field number it has, with its wire type)? Used for
 * files whose name claims the format but whose fields do not decode: with a protobuf-looking first
 * tag they are a broken model (inconclusive), not "unknown".
 */
export function protoStart(head: Uint8Array, schema: Record<number, number>): boolean {
  const tag = smallVarint(head.subarray(0, 5), 0);
  return tag !== undefined && schema[Math.floor(tag[0] / 8)] === tag[0] % 8;
}

/**
 * Do the top-level fields in the head fail to decode (a varint of eleven bytes, a length above 2^53,
 * a field cut by the end of the file, a length past it)? Only such files are claimed by name: a `.pb`
 * that decodes but is some other message (Keras' `keras_metadata.pb`) is left alone.
 */
export function brokenTopLevel(head: Uint8Array, size: number): boolean {
  let p = 0;
  for (let n = 0; p < head.length && n < 4096; n++) {
    const f = fieldAt(head, p, 0);
    if (!f) return head.length === size || head.length - p >= 16; // not just the head window ending
    if (f[1] > size) return true;
    if (f[1] > head.length) return false; // the payload continues past the head: nothing more to see
    p = f[1];
  }
  return false;
}

export function sniffProto(head: Uint8Array): ProtoLabel | undefined {
  if (head[0] !== 0x08 && head[0] !== 0x0a) return undefined;
  const fs = headFields(head);
  if (fs.length === 0) return undefined;
  if (isSavedModel(fs)) return 'tf-savedmodel';
  if (isOnnx(fs)) return 'onnx';
  if (isGraphDef(head, fs)) return 'tf-graphdef';
  return undefined;
}
