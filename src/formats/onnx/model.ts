/**
 * A streaming walk over an ONNX ModelProto (onnx.proto field numbers) that never holds weights in
 * memory: nodes (with their domains), initializers, sparse initializers, tensors and subgraphs inside
 * attributes (If/Loop/Scan bodies, Constant values), model-local functions and training graphs.
 * `raw_data` and the typed data fields are skipped by length. The walker reports what it sees to a
 * visitor; judging is left to the scanner.
 */
import { MlvetError } from '../../errors.js';
import type { ProtoWalker } from '../protobuf/walker.js';
import { int64, WT, type Field } from '../protobuf/wire.js';
import type { TensorInfo } from './tensor.js';

export interface OnnxVisitor {
  model(info: { irVersion: number; producer: string; producerVersion: string }): void;
  opset(domain: string, version: number): void;
  node(n: { domain: string; opType: string; name: string; graph: string; offset: number }): void;
  tensor(t: TensorInfo, graph: string): void;
  func(domain: string, name: string): void;
}

type W = ProtoWalker;

async function stringEntry(w: W, f: Field): Promise<[string, string]> {
  let k = '';
  let v = '';
  for await (const e of w.fields(f.offset, f.offset + f.length)) {
    if (e.no === 1 && e.wt === WT.LEN) k = await w.string(e, 256);
    else if (e.no === 2 && e.wt === WT.LEN) v = await w.string(e, 4096);
  }
  return [k, v];
}

/** Number of values in a repeated scalar field (packed or not) without reading them all. */
async function typedCount(w: W, f: Field, fixed: number): Promise<number> {
  if (f.wt !== WT.LEN) return 1;
  if (fixed) return Math.floor(f.length / fixed);
  return (await w.varints(f, 1 << 20)).length; // varint-packed: count them (bounded)
}

const FIXED: Record<number, number> = { 4: 4, 10: 8, 5: 0, 7: 0, 11: 0 };

export async function walkTensor(w: W, f: Field, graph: string, v: OnnxVisitor): Promise<void> {
  const t: TensorInfo = { name: '', dataType: 0, dims: [], external: {}, dataLocation: 0, segmented: false, offset: f.offset };
  let whole = false;
  try {
    for await (const e of w.fields(f.offset, f.offset + f.length)) {
      if (e.no === 1) t.dims.push(...(await w.varints(e, 64)).map(int64));
      else if (e.no === 2 && e.wt === WT.VARINT) t.dataType = Number(e.value);
      else if (e.no === 3) t.segmented = true;
      else if (e.no === 8 && e.wt === WT.LEN) t.name = await w.string(e, 1024);
      else if (e.no === 9 && e.wt === WT.LEN) t.raw = e.length;
      else if (e.no === 6) t.typed = (t.typed ?? 0) + 1;
      else if (e.no in FIXED) t.typed = (t.typed ?? 0) + (await typedCount(w, e, FIXED[e.no]!));
      else if (e.no === 13 && e.wt === WT.LEN) {
        const [k, val] = await stringEntry(w, e);
        if (k) t.external[k] = val;
      } else if (e.no === 14 && e.wt === WT.VARINT) t.dataLocation = Number(e.value);
    }
    whole = !f.cut;
  } finally {
    v.tensor(whole ? t : { ...t, partial: true }, graph); // an external path read before a break still counts
  }
}

async function walkSparse(w: W, f: Field, graph: string, v: OnnxVisitor): Promise<void> {
  for await (const e of w.fields(f.offset, f.offset + f.length)) {
    if ((e.no === 1 || e.no === 2) && e.wt === WT.LEN) await walkTensor(w, e, graph, v);
  }
}

async function walkAttribute(w: W, f: Field, graph: string, depth: number, v: OnnxVisitor): Promise<void> {
  let name = '?';
  for await (const e of w.fields(f.offset, f.offset + f.length)) {
    if (e.wt !== WT.LEN) continue;
    if (e.no === 1) name = await w.string(e, 256);
    else if (e.no === 5 || e.no === 10) await walkTensor(w, e, graph, v);
    else if (e.no === 6 || e.no === 11) await walkGraph(w, e, `${graph}/${name}`, depth + 1, v);
    else if (e.no === 22 || e.no === 23) await walkSparse(w, e, graph, v);
  }
}

async function walkNode(w: W, f: Field, graph: string, depth: number, v: OnnxVisitor): Promise<void> {
  const n = { domain: '', opType: '', name: '', graph, offset: f.offset };
  try {
    for await (const e of w.fields(f.offset, f.offset + f.length)) {
      if (e.wt !== WT.LEN) continue;
      if (e.no === 4) n.opType = await w.string(e, 256);
      else if (e.no === 7) n.domain = await w.string(e, 256);
      else if (e.no === 3) n.name = await w.string(e, 256);
      else if (e.no === 5) await walkAttribute(w, e, graph, depth, v);
    }
  } finally {
    v.node(n); // a node cut short still reports the domain it declared
  }
}

export async function walkGraph(w: W, f: Field, graph: string, depth: number, v: OnnxVisitor): Promise<void> {
  if (depth > w.limits.maxDepth) throw new MlvetError('LIMIT_EXCEEDED', `ONNX subgraphs nested deeper than ${w.limits.maxDepth}`, { offset: f.offset });
  for await (const e of w.fields(f.offset, f.offset + f.length)) {
    if (e.wt !== WT.LEN) continue;
    if (e.no === 1) await walkNode(w, e, graph, depth, v);
    else if (e.no === 5) await walkTensor(w, e, graph, v);
    else if (e.no === 15) await walkSparse(w, e, graph, v);
  }
}

async function walkFunction(w: W, f: Field, v: OnnxVisitor): Promise<void> {
  let name = '';
  let domain = '';
  const nodes: Field[] = [];
  const walkNodes = async (): Promise<void> => {
    v.func(domain, name);
    for (const n of nodes) await walkNode(w, n, `function:${domain}.${name}`, 1, v);
  };
  try {
    for await (const e of w.fields(f.offset, f.offset + f.length)) {
      if (e.wt !== WT.LEN) continue;
      if (e.no === 1) name = await w.string(e, 256);
      else if (e.no === 10) domain = await w.string(e, 256);
      else if (e.no === 7) nodes.push(e);
      if (nodes.length > 100_000) throw new MlvetError('LIMIT_EXCEEDED', 'more than 100000 nodes in one ONNX function', { offset: e.offset });
    }
  } catch (e) {
    await walkNodes(); // the nodes listed before the break are still looked at
    throw e;
  }
  await walkNodes();
}

async function walkOpset(w: W, f: Field, v: OnnxVisitor): Promise<void> {
  let domain = '';
  let version = 0;
  for await (const e of w.fields(f.offset, f.offset + f.length)) {
    if (e.no === 1 && e.wt === WT.LEN) domain = await w.string(e, 256);
    else if (e.no === 2 && e.wt === WT.VARINT) version = Number(int64(e.value));
  }
  v.opset(domain, version);
}

async function walkTraining(w: W, f: Field, v: OnnxVisitor): Promise<void> {
  for await (const e of w.fields(f.offset, f.offset + f.length)) {
    if ((e.no === 1 || e.no === 2) && e.wt === WT.LEN) await walkGraph(w, e, e.no === 1 ? 'training:initialization' : 'training:algorithm', 1, v);
  }
}

/** Walk the whole model. Throws MlvetError (TRUNCATED, PARSE_ERROR, LIMIT_EXCEEDED) with an offset. */
export async function walkOnnx(w: W, v: OnnxVisitor): Promise<void> {
  const info = { irVersion: 0, producer: '', producerVersion: '' };
  for await (const e of w.fields(0, w.reader.size)) {
    if (e.no === 1 && e.wt === WT.VARINT) info.irVersion = Number(e.value);
    else if (e.wt !== WT.LEN) continue;
    else if (e.no === 2) info.producer = await w.string(e, 256);
    else if (e.no === 3) info.producerVersion = await w.string(e, 256);
    else if (e.no === 7) await walkGraph(w, e, 'graph', 0, v);
    else if (e.no === 8) await walkOpset(w, e, v);
    else if (e.no === 20) await walkTraining(w, e, v);
    else if (e.no === 25) await walkFunction(w, e, v);
  }
  v.model(info);
}
