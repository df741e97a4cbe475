/**
 * A streaming walk over TensorFlow graphs (tensorflow/core/framework/*.proto field numbers):
 * SavedModel (`saved_model.pb`: meta_graphs → graph_def, saver_def) and frozen GraphDef `.pb` files.
 * Every NodeDef is visited, in the main graph and in every function of the library, with its op, name,
 * inputs and the few attributes that say where an op writes (`output_stream`, `debug_urls`) or what a
 * string constant holds. `tensor_content` (the weights) is skipped by length.
 */
import type { ProtoWalker } from '../protobuf/walker.js';
import { WT, type Field } from '../protobuf/wire.js';

export interface TfNode {
  name: string;
  op: string;
  /** '' for the main graph, else the FunctionDef's name */
  fn: string;
  inputs: string[];
  /** string attributes that matter: output_stream, debug_urls, file_pattern, … */
  attrs: Record<string, string[]>;
  /** for Const nodes of dtype string: the first value */
  constString?: string;
  offset: number;
}

export interface TfVisitor {
  node(n: TfNode): void;
  saver(s: { filenameTensor: string; saveTensor: string; restoreOp: string }): void;
}

type W = ProtoWalker;
const DT_STRING = 7;
const MAX_INPUTS = 8;

async function strings(w: W, f: Field, into: string[]): Promise<void> {
  // AttrValue.ListValue: s = 2 (repeated bytes)
  for await (const e of w.fields(f.offset, f.offset + f.length)) if (e.no === 2 && e.wt === WT.LEN && into.length < 16) into.push(await w.string(e, 1024));
}

async function tensorString(w: W, f: Field): Promise<string | undefined> {
  let dtype = 0;
  let first: string | undefined;
  for await (const e of w.fields(f.offset, f.offset + f.length)) {
    if (e.no === 1 && e.wt === WT.VARINT) dtype = Number(e.value);
    else if (e.no === 8 && e.wt === WT.LEN && first === undefined) first = await w.string(e, 1024);
  }
  return dtype === DT_STRING ? first : undefined;
}

/** AttrValue: s = 2, list = 1, tensor = 8. Returns the strings and a Const value if present. */
async function attrValue(w: W, f: Field): Promise<{ s: string[]; tensor?: string }> {
  const out: { s: string[]; tensor?: string } = { s: [] };
  for await (const e of w.fields(f.offset, f.offset + f.length)) {
    if (e.wt !== WT.LEN) continue;
    if (e.no === 2) out.s.push(await w.string(e, 1024));
    else if (e.no === 1) await strings(w, e, out.s);
    else if (e.no === 8) {
      const t = await tensorString(w, e);
      if (t !== undefined) out.tensor = t;
    }
  }
  return out;
}

async function walkNode(w: W, f: Field, fn: string, v: TfVisitor): Promise<void> {
  const n: TfNode = { name: '', op: '', fn, inputs: [], attrs: {}, offset: f.offset };
  try {
    for await (const e of w.fields(f.offset, f.offset + f.length)) {
      if (e.wt !== WT.LEN) continue;
      if (e.no === 1) n.name = await w.string(e, 1024);
      else if (e.no === 2) n.op = await w.string(e, 256);
      else if (e.no === 3 && n.inputs.length < MAX_INPUTS) n.inputs.push(await w.string(e, 1024));
      else if (e.no === 5) await walkAttr(w, e, n);
    }
  } finally {
    v.node(n); // a node cut short still reports its op (name and op come first in NodeDef)
  }
}

async function walkAttr(w: W, e: Field, n: TfNode): Promise<void> {
  let key = '';
  for await (const a of w.fields(e.offset, e.offset + e.length)) {
    if (a.no === 1 && a.wt === WT.LEN) key = await w.string(a, 256);
    else if (a.no === 2 && a.wt === WT.LEN) {
      const val = await attrValue(w, a);
      if (val.s.length) n.attrs[key] = val.s;
      if (key === 'value' && val.tensor !== undefined) n.constString = val.tensor;
    }
  }
}

async function walkFunction(w: W, f: Field, v: TfVisitor): Promise<void> {
  let name = '';
  const nodes: Field[] = [];
  try {
    for await (const e of w.fields(f.offset, f.offset + f.length)) {
      if (e.wt !== WT.LEN) continue;
      if (e.no === 1) {
        // OpDef signature: name = 1
        for await (const s of w.fields(e.offset, e.offset + e.length)) if (s.no === 1 && s.wt === WT.LEN) name = await w.string(s, 1024);
      } else if (e.no === 3) nodes.push(e);
    }
  } catch (e) {
    for (const n of nodes) await walkNode(w, n, name || '?', v); // nodes listed before the break still count
    throw e;
  }
  for (const n of nodes) await walkNode(w, n, name || '?', v);
}

export async function walkGraphDef(w: W, start: number, end: number, v: TfVisitor): Promise<void> {
  for await (const e of w.fields(start, end)) {
    if (e.wt !== WT.LEN) continue;
    if (e.no === 1) await walkNode(w, e, '', v);
    else if (e.no === 2) {
      for await (const fd of w.fields(e.offset, e.offset + e.length)) if (fd.no === 1 && fd.wt === WT.LEN) await walkFunction(w, fd, v);
    }
  }
}

async function walkSaver(w: W, f: Field, v: TfVisitor): Promise<void> {
  const s = { filenameTensor: '', saveTensor: '', restoreOp: '' };
  for await (const e of w.fields(f.offset, f.offset + f.length)) {
    if (e.wt !== WT.LEN) continue;
    if (e.no === 1) s.filenameTensor = await w.string(e, 1024);
    else if (e.no === 2) s.saveTensor = await w.string(e, 1024);
    else if (e.no === 3) s.restoreOp = await w.string(e, 1024);
  }
  v.saver(s);
}

/** SavedModel: meta_graphs = 2 → MetaGraphDef { graph_def = 2, saver_def = 3 }. */
export async function walkSavedModel(w: W, v: TfVisitor): Promise<number> {
  let metaGraphs = 0;
  for await (const e of w.fields(0, w.reader.size)) {
    if (e.no !== 2 || e.wt !== WT.LEN) continue;
    metaGraphs++;
    for await (const m of w.fields(e.offset, e.offset + e.length)) {
      if (m.no === 2 && m.wt === WT.LEN) await walkGraphDef(w, m.offset, m.offset + m.length, v);
      else if (m.no === 3 && m.wt === WT.LEN) await walkSaver(w, m, v);
    }
  }
  return metaGraphs;
}
