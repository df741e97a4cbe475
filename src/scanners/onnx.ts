/**
 * ONNX models, recognised by content (ModelProto field shapes). The protobuf is walked as a stream
 * (weights skipped by length) for: external_data locations that leave the model directory
 * (CVE-2022-25882, CVE-2024-27318), operators from domains no stock runtime implements (a custom op
 * library must be loaded to run them; Python ops run Python), and tensors whose dims disagree with
 * their bytes. Symlinked external files are the source's business: a local directory scan reports
 * links that leave the root (`artifact/symlink-escape`); a scanner only ever sees a reader. A file
 * named `.onnx` whose fields do not decode is walked too, so it ends inconclusive, not "unknown".
 */
import { locationRisk } from '../formats/onnx/external.js';
import { walkOnnx, type OnnxVisitor } from '../formats/onnx/model.js';
import { tensorProblem, type TensorInfo } from '../formats/onnx/tensor.js';
import { brokenTopLevel, ONNX_FIELDS, protoStart } from '../formats/protobuf/sniff.js';
import { ProtoWalker } from '../formats/protobuf/walker.js';
import type { Location } from '../model/facts.js';
import type { Probe, ScanContext, Scanner, ScanInput } from './types.js';

/** domains onnxruntime implements itself (no custom-op library needed) */
const STOCK_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'ai.onnx.training', 'ai.onnx.preview.training', 'com.microsoft', 'com.microsoft.experimental', 'com.microsoft.nchwc', 'com.ms.internal.nhwc']);
/** onnxruntime-extensions' PyOp and similar: the op body is a Python function in the loading process */
const PYTHON_OP = /^(Py[A-Z_]\w*|Python\w*|.*PyFunc\w*)$/;
const MAX_FACTS = 200;

interface Custom {
  ops: Set<string>;
  nodes: number;
  python: Set<string>;
  first: string;
}

class Collector implements OnnxVisitor {
  info = { irVersion: 0, producer: '', producerVersion: '' };
  opsets: Array<{ domain: string; version: number }> = [];
  nodes = 0;
  tensors = 0;
  custom = new Map<string, Custom>();
  localFuncs = new Set<string>();
  external = new Map<string, { tensors: number; first: string }>();
  problems: Array<{ tensor: string; graph: string; detail: string; offset: number }> = [];

  model(info: Collector['info']): void {
    this.info = info;
  }
  opset(domain: string, version: number): void {
    if (this.opsets.length < 64) this.opsets.push({ domain, version });
  }
  func(domain: string, name: string): void {
    this.localFuncs.add(`${domain}\u0000${name}`);
  }
  node(n: { domain: string; opType: string; name: string; graph: string }): void {
    this.nodes++;
    if (STOCK_DOMAINS.has(n.domain)) return;
    let c = this.custom.get(n.domain);
    if (!c) {
      if (this.custom.size >= MAX_FACTS) return;
      this.custom.set(n.domain, (c = { ops: new Set(), nodes: 0, python: new Set(), first: n.name || n.opType }));
    }
    c.nodes++;
    if (c.ops.size < 64) c.ops.add(n.opType);
    if (PYTHON_OP.test(n.opType) && c.python.size < 64) c.python.add(n.opType);
  }
  tensor(t: TensorInfo, graph: string): void {
    this.tensors++;
    const loc = t.external.location;
    if (loc !== undefined || t.dataLocation === 1) {
      const key = loc ?? '';
      const e = this.external.get(key);
      if (e) e.tensors++;
      else if (this.external.size < MAX_FACTS) this.external.set(key, { tensors: 1, first: t.name });
    }
    const p = tensorProblem(t);
    if (p && this.problems.length < MAX_FACTS) this.problems.push({ tensor: t.name, graph, detail: p, offset: t.offset });
  }
}

function emitFacts(ctx: ScanContext, loc: Location, c: Collector): void {
  for (const [location, e] of c.external) {
    const risk = locationRisk(location);
    ctx.emit({ kind: 'onnx.external-data', location: { ...loc }, data: { location, tensors: e.tensors, firstTensor: e.first, empty: location === '', ...risk, key: `external:${location}` } });
  }
  for (const [domain, x] of c.custom) {
    const ops = [...x.ops].filter((op) => !c.localFuncs.has(`${domain}\u0000${op}`));
    if (ops.length === 0) continue; // every op is a function defined in the model itself
    ctx.emit({ kind: 'onnx.custom-domain', location: { ...loc }, data: { domain, ops, nodes: x.nodes, pythonOps: [...x.python], firstNode: x.first, key: `domain:${domain}` } });
  }
  for (const [i, p] of c.problems.entries()) {
    ctx.emit({ kind: 'onnx.tensor-inconsistent', location: { ...loc, offset: p.offset }, data: { ...p, key: `tensor:${p.tensor}#${i}` } });
  }
}

/** `model.onnx` whose first tag is a ModelProto field but whose fields break: walked so the break is reported */
const claimsOnnx = (p: Probe): boolean => p.format === 'unknown' && /\.onnx$/i.test(p.name) && protoStart(p.head, ONNX_FIELDS) && brokenTopLevel(p.head, p.size);

export const onnxScanner: Scanner = {
  id: 'onnx',
  formats: ['onnx', 'unknown'],
  required: (p) => p.format === 'onnx' || claimsOnnx(p),
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const w = new ProtoWalker(input.reader, { maxFields: 50_000_000, maxBytes: 1 << 20, maxDepth: 32, deadline: ctx.deadline });
    const c = new Collector();
    try {
      await walkOnnx(w, c);
    } finally {
      emitFacts(ctx, input.location, c); // what was seen before a parse error still counts
    }
    const { irVersion, producer, producerVersion } = c.info;
    ctx.emit({
      kind: 'onnx.model',
      location: { ...input.location },
      data: { irVersion, producer, producerVersion, opsets: c.opsets, nodes: c.nodes, tensors: c.tensors, externalFiles: c.external.size, key: 'model' },
    });
  },
};
