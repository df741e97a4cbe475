/**
 * Lineage graph checks: every name a transform, set or file refers to must exist (LINEAGE_DANGLING),
 * and derivations must not loop (LINEAGE_CYCLE). Edges run input → transform → output.
 */
import type { Problem } from '../types.js';
import type { LineagePredicate } from './statement.js';

export function lineageProblems(p: LineagePredicate): Problem[] {
  const sets = new Set(p.sets.map((s) => s.name));
  const sources = new Set((p.sources ?? []).map((s) => s.name));
  const transforms = new Set((p.transforms ?? []).map((t) => t.id));
  const out: Problem[] = [];
  const dangling = (where: string, name: string, what: string): void =>
    void out.push({ code: 'LINEAGE_DANGLING', source: name, reason: where, detail: `${where} refers to unknown ${what} ${JSON.stringify(name)}` });
  const edges = new Map<string, string[]>();
  const edge = (a: string, b: string): void => void edges.set(a, [...(edges.get(a) ?? []), b]);
  for (const t of p.transforms ?? []) {
    for (const d of t.resolvedDependencies) {
      if (sets.has(d.name)) edge(`set:${d.name}`, `transform:${t.id}`);
      else if (!sources.has(d.name)) dangling(`transform ${t.id}`, d.name, 'set or source');
    }
    for (const o of t.outputs) {
      if (sets.has(o)) edge(`transform:${t.id}`, `set:${o}`);
      else dangling(`transform ${t.id}`, o, 'output set');
    }
  }
  for (const s of p.sets) {
    if (s.producedBy !== undefined && !transforms.has(s.producedBy)) dangling(`set ${s.name}`, s.producedBy, 'transform');
    for (const f of s.files) for (const n of f.from ?? []) if (!sources.has(n) && !sets.has(n)) dangling(`set ${s.name} file ${f.path}`, n, 'source');
  }
  const cycle = findCycle(edges);
  if (cycle) out.push({ code: 'LINEAGE_CYCLE', reason: 'cycle', detail: `lineage loops: ${cycle.join(' → ')}`, actual: cycle });
  return out;
}

/** One cycle as a node path (first node repeated at the end), or undefined. Iterative DFS. */
function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  for (const start of [...edges.keys()].sort()) {
    if (state.has(start)) continue;
    const stack: Array<{ node: string; i: number }> = [{ node: start, i: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = (edges.get(top.node) ?? [])[top.i++];
      if (next === undefined) {
        state.set(top.node, 2);
        stack.pop();
      } else if (state.get(next) === 1) {
        const from = stack.findIndex((f) => f.node === next);
        return [...stack.slice(from).map((f) => f.node), next];
      } else if (!state.has(next)) {
        state.set(next, 1);
        stack.push({ node: next, i: 0 });
      }
    }
  }
  return undefined;
}
