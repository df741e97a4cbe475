/**
 * The stage order, checked from the imports themselves: every relative import in src/ (static, type-only
 * and dynamic) goes to its own stage or to one scripts/layers.json allows, and the table has no cycle.
 * ESLint enforces the same table while editing (`npm run lint`); this test keeps CI honest.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SRC = join(ROOT, 'src');
const layers = JSON.parse(readFileSync(join(ROOT, 'scripts', 'layers.json'), 'utf8')) as { stages: Record<string, string[]> };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const stageOf = (file: string): string => {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? parts[0]!.replace(/\.(d\.)?ts$/, '') : parts[0]!;
};

function importEdges(): Array<{ from: string; to: string; file: string; spec: string }> {
  const out = [];
  for (const file of walk(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
      const spec = (m[1] ?? m[2])!;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      out.push({ from: stageOf(file), to: stageOf(target), file: relative(ROOT, file), spec });
    }
  }
  return out;
}

describe('stage boundaries (scripts/layers.json)', () => {
  const edges = importEdges();

  it('finds the imports it checks', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges.some((e) => e.from === 'formats' && e.to === 'artifact')).toBe(true);
  });

  it('every stage in src/ is in the table', () => {
    const stages = new Set(readdirSync(SRC).map((n) => stageOf(join(SRC, n))));
    expect([...stages].filter((s) => !(s in layers.stages))).toEqual([]);
  });

  it('no import goes to a stage its own stage may not use', () => {
    const bad = edges
      .filter((e) => e.from !== e.to && !(layers.stages[e.from] ?? []).includes(e.to))
      .map((e) => `${e.file} imports ${e.spec} (${e.from} -> ${e.to})`);
    expect(bad).toEqual([]);
  });

  it('the table itself has no cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycle: string[] = [];
    const visit = (s: string, path: string[]): void => {
      if (state.get(s) === 'done') return;
      if (state.get(s) === 'open') {
        cycle.push([...path, s].join(' -> '));
        return;
      }
      state.set(s, 'open');
      for (const t of layers.stages[s] ?? []) visit(t, [...path, s]);
      state.set(s, 'done');
    };
    for (const s of Object.keys(layers.stages)) visit(s, []);
    expect(cycle).toEqual([]);
  });
});
