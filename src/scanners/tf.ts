/**
 * TensorFlow SavedModel (`saved_model.pb`) and frozen GraphDef (`.pb`) files: every node of the main
 * graph and of every library function is checked against ops that run Python or processes, read or
 * write files, or talk to the network (`formats/savedmodel/ops.ts`). The path an op touches is shown
 * when its first input is a string constant. Checkpoint ops (SaveV2, RestoreV2, MergeV2Checkpoints)
 * are part of every SavedModel's saver; they are marked `checkpointContext` when they sit in the
 * saver's name scope or in the `__inference__traced_save/restore` functions TF 2 writes.
 */
import { opCategory, type TfOpCategory } from '../formats/savedmodel/ops.js';
import { walkGraphDef, walkSavedModel, type TfNode, type TfVisitor } from '../formats/savedmodel/graph.js';
import { brokenTopLevel, GRAPHDEF_FIELDS, protoStart, TF_FIELDS } from '../formats/protobuf/sniff.js';
import { ProtoWalker } from '../formats/protobuf/walker.js';
import type { Probe, ScanContext, Scanner, ScanInput } from './types.js';

const MAX_FACTS = 200;
const MAX_CONSTS = 20_000;
const TRACED = /(^|_)traced_(save|restore)(_\d+)?$/;

class Collector implements TfVisitor {
  nodes = 0;
  functions = new Set<string>();
  consts = new Map<string, string>();
  flagged: Array<{ n: TfNode; category: TfOpCategory }> = [];
  saverScopes = new Set<string>();

  node(n: TfNode): void {
    this.nodes++;
    if (n.fn) this.functions.add(n.fn);
    if (n.constString !== undefined && this.consts.size < MAX_CONSTS) this.consts.set(`${n.fn}\u0000${n.name}`, n.constString);
    const c = opCategory(n.op);
    if (c && this.flagged.length < MAX_FACTS) this.flagged.push({ n, category: c });
  }
  saver(s: { filenameTensor: string; saveTensor: string; restoreOp: string }): void {
    for (const t of [s.filenameTensor, s.saveTensor, s.restoreOp]) if (t.includes('/')) this.saverScopes.add(t.split('/')[0]!);
  }
}

/** `^ctl`, `name:0`, `fn/node:output:0` → the node name the constant map is keyed by */
const inputNode = (i: string): string => i.replace(/^\^/, '').split(':')[0]!;

function inCheckpointContext(c: Collector, n: TfNode): boolean {
  if (n.fn) return TRACED.test(n.fn) || /^__inference__traced_(save|restore)_/.test(n.fn);
  const scope = n.name.split('/')[0]!;
  return c.saverScopes.size ? c.saverScopes.has(scope) : /^save(_\d+)?$/.test(scope);
}

/** What this node does, judged with its attributes; undefined when it stays inside the process. */
function judge(c: Collector, n: TfNode, cat: TfOpCategory): { category: string; target?: string; checkpointContext?: boolean } | undefined {
  if (cat === 'print') {
    const s = n.attrs.output_stream?.[0] ?? '';
    return s.startsWith('file://') ? { category: 'file-write', target: s.slice(7) } : undefined;
  }
  if (cat === 'network') {
    const urls = n.attrs.debug_urls ?? [];
    if (urls.length === 0) return undefined;
    return { category: urls.every((u) => u.startsWith('file://')) ? 'file-write' : 'network', target: urls.join(', ') };
  }
  const first = n.inputs[0];
  const target = first !== undefined ? c.consts.get(`${n.fn}\u0000${inputNode(first)}`) : undefined;
  const out: { category: string; target?: string; checkpointContext?: boolean } = { category: cat, ...(target !== undefined ? { target } : {}) };
  if (cat === 'checkpoint-read' || cat === 'checkpoint-write') out.checkpointContext = inCheckpointContext(c, n);
  return out;
}

function emitFacts(ctx: ScanContext, input: ScanInput, c: Collector): void {
  for (const { n, category } of c.flagged) {
    const j = judge(c, n, category);
    if (!j) continue;
    ctx.emit({
      kind: 'tf.op',
      location: { ...input.location, offset: n.offset },
      data: { op: n.op, node: n.name, function: n.fn || null, ...j, target: j.target ?? null, key: `${n.fn}/${n.name}` },
    });
  }
}

/**
 * A `saved_model.pb` / `.pb` whose fields do not decode but whose first tag is a SavedModel or
 * GraphDef field: a broken graph, walked so the break is reported instead of "unknown".
 */
function claimedKind(p: Probe): 'tf-savedmodel' | 'tf-graphdef' | undefined {
  if (p.format === 'tf-savedmodel' || p.format === 'tf-graphdef') return p.format;
  if (p.format !== 'unknown' || !brokenTopLevel(p.head, p.size)) return undefined;
  if (/^saved_model\.pb$/i.test(p.name)) return protoStart(p.head, TF_FIELDS) ? 'tf-savedmodel' : undefined;
  return /\.pb$/i.test(p.name) && protoStart(p.head, GRAPHDEF_FIELDS) ? 'tf-graphdef' : undefined;
}

export const tfScanner: Scanner = {
  id: 'tf-graph',
  formats: ['tf-savedmodel', 'tf-graphdef', 'unknown'],
  required: (p) => claimedKind(p) !== undefined,
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const w = new ProtoWalker(input.reader, { maxFields: 50_000_000, maxBytes: 1 << 20, maxDepth: 8, deadline: ctx.deadline });
    const c = new Collector();
    let metaGraphs = 0;
    try {
      if (claimedKind(input.probe) === 'tf-savedmodel') metaGraphs = await walkSavedModel(w, c);
      else await walkGraphDef(w, 0, input.reader.size, c);
    } finally {
      emitFacts(ctx, input, c);
    }
    ctx.emit({
      kind: 'tf.graph',
      location: { ...input.location },
      data: { kind: claimedKind(input.probe) ?? input.probe.format, metaGraphs, nodes: c.nodes, functions: c.functions.size, key: 'graph' },
    });
  },
};
