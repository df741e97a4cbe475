/**
 * `pyproject.toml` dependencies (PEP 621 `project.dependencies` and optional groups, PEP 735
 * `dependency-groups`, Poetry tables) without an exact pin. Parsed with a real TOML parser; positions
 * are found by locating each dependency's text in the source.
 */
import { parse, TomlError } from 'smol-toml';
import { MlvetError } from '../../errors.js';
import type { Fact } from '../../model/facts.js';
import { requirementPinned } from './requirements.js';

type Table = Record<string, unknown>;

function table(v: unknown): Table {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Table) : {};
}

function position(src: string, needle: string | RegExp): { line: number; column: number } {
  const at = typeof needle === 'string' ? src.indexOf(needle) : src.search(needle);
  if (at < 0) return { line: 1, column: 1 };
  const before = src.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function pep508(src: string, path: string, group: string, list: unknown, out: Fact[]): void {
  for (const d of Array.isArray(list) ? list : []) {
    if (typeof d !== 'string' || requirementPinned(d, false)) continue;
    const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(d.trim())?.[0] ?? d;
    const pos = position(src, JSON.stringify(d).slice(1, -1));
    out.push({ kind: 'dependency.unpinned', location: { path, line: pos.line, column: Math.max(1, pos.column - 1) }, data: { manager: 'pyproject', group, name, spec: d, key: `${group}:${name}` } });
  }
}

function poetryPinned(v: unknown): boolean {
  if (typeof v === 'string') return /^\s*(==)?\s*\d[\w.+-]*\s*$/.test(v);
  const t = table(v);
  if (typeof t.git === 'string') return typeof t.rev === 'string' && /^[0-9a-f]{40}$/.test(t.rev);
  if (typeof t.path === 'string') return true;
  return typeof t.version === 'string' && poetryPinned(t.version);
}

function poetry(src: string, path: string, group: string, deps: Table, out: Fact[]): void {
  for (const [name, v] of Object.entries(deps)) {
    if (name === 'python' || poetryPinned(v)) continue;
    const pos = position(src, new RegExp(`^\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*=`, 'm'));
    const spec = typeof v === 'string' ? v : JSON.stringify(v);
    out.push({ kind: 'dependency.unpinned', location: { path, ...pos, column: 1 }, data: { manager: 'poetry', group, name, spec, key: `${group}:${name}` } });
  }
}

export function pyprojectFacts(src: string, path: string): Fact[] {
  let doc: Table;
  try {
    doc = parse(src);
  } catch (e) {
    const te = e as TomlError;
    throw new MlvetError('PARSE_ERROR', `${path}: invalid TOML: ${te.message.split('\n')[0]}`, { path, row: te.line });
  }
  const out: Fact[] = [];
  const project = table(doc.project);
  pep508(src, path, 'project', project.dependencies, out);
  for (const [g, list] of Object.entries(table(project['optional-dependencies']))) pep508(src, path, `optional:${g}`, list, out);
  for (const [g, list] of Object.entries(table(doc['dependency-groups']))) pep508(src, path, `group:${g}`, list, out);
  const po = table(table(doc.tool).poetry);
  poetry(src, path, 'poetry', table(po.dependencies), out);
  for (const [g, grp] of Object.entries(table(po.group))) poetry(src, path, `poetry:${g}`, table(table(grp).dependencies), out);
  return out;
}
