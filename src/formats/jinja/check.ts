/**
 * Server-side template injection in chat templates (CVE-2024-34359, CVE-2026-5760): the template is
 * parsed with @huggingface/jinja and never rendered. We walk the AST for the handles Jinja2 exploits
 * use to reach Python: dunder attributes (`__globals__`, `__class__`, `__mro__`, `__subclasses__`,
 * `__builtins__`, `__init__`), the globals that expose a function's module (`lipsum`, `cycler`,
 * `joiner`) and OS handles (`os`, `popen`, `subprocess`, `eval`, `exec`). Names reached through string
 * subscripts or the `attr` filter count too. Templates the parser rejects fall back to a token scan.
 */
import * as jinja from '@huggingface/jinja';

// The package's .d.ts re-exports from extensionless paths ("./lexer") that NodeNext cannot resolve, so
// its functions type as unresolved; name the two this file uses.
const tokenize = jinja.tokenize as unknown as (text: string) => unknown;
const parse = jinja.parse as unknown as (tokens: unknown) => unknown;

export type TemplateRisk = 'dunder' | 'jinja-global' | 'os-access';

export interface TemplateHit {
  category: TemplateRisk;
  name: string;
}

const GLOBALS = new Set(['lipsum', 'cycler', 'joiner', 'self', 'config', 'request', 'url_for', 'get_flashed_messages']);
const OS = new Set(['os', 'popen', 'subprocess', 'eval', 'exec', 'builtins', 'import_module', 'spawn', 'execv', 'check_output']);
const MAX_NODES = 200_000;

function classify(name: string, fromString: boolean): TemplateRisk | undefined {
  if (/^__\w+__$/.test(name)) return 'dunder';
  if (fromString) return undefined; // 'system', 'os' as plain strings are ordinary chat text
  if (GLOBALS.has(name)) return 'jinja-global';
  if (OS.has(name)) return 'os-access';
  return undefined;
}

function walk(node: unknown, hits: Map<string, TemplateHit>, budget: { n: number }): void {
  if (budget.n-- <= 0 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) walk(x, hits, budget);
    return;
  }
  if (node instanceof Map) {
    for (const [k, v] of node) {
      walk(k, hits, budget);
      walk(v, hits, budget);
    }
    return;
  }
  const n = node as { type?: string; value?: unknown };
  if ((n.type === 'Identifier' || n.type === 'StringLiteral') && typeof n.value === 'string') {
    const c = classify(n.value, n.type === 'StringLiteral');
    if (c) hits.set(`${c}:${n.value}`, { category: c, name: n.value });
  }
  for (const v of Object.values(node)) if (typeof v === 'object') walk(v, hits, budget);
}

function tokenScan(text: string): TemplateHit[] {
  const hits = new Map<string, TemplateHit>();
  for (const m of text.matchAll(/[A-Za-z_]\w*/g)) {
    const c = classify(m[0], false);
    if (c) hits.set(`${c}:${m[0]}`, { category: c, name: m[0] });
  }
  return [...hits.values()];
}

export function analyzeTemplate(text: string): { parsed: boolean; hits: TemplateHit[] } {
  let ast: unknown;
  try {
    ast = parse(tokenize(text));
  } catch {
    return { parsed: false, hits: tokenScan(text) };
  }
  const hits = new Map<string, TemplateHit>();
  walk(ast, hits, { n: MAX_NODES });
  return { parsed: true, hits: [...hits.values()] };
}
