/**
 * Transformers configs (`config.json`, `tokenizer_config.json`, …): `auto_map` entries of the form
 * `org/repo--module.Class` make `trust_remote_code=True` run code from another repository, at that
 * repository's current head. Plain-HTTP model URLs in any string value are reported too.
 */
import type { Fact } from '../../model/facts.js';
import { insecureUrl } from './urls.js';

function position(src: string, needle: string): { line: number; column: number } {
  const at = src.indexOf(needle);
  if (at < 0) return { line: 1, column: 1 };
  const before = src.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function strings(v: unknown, out: string[], depth = 0): void {
  if (depth > 32 || out.length > 10_000) return;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out, depth + 1);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out, depth + 1);
}

export function configFacts(src: string, path: string): Fact[] {
  let doc: unknown;
  try {
    doc = JSON.parse(src);
  } catch {
    return []; // not JSON (JSON Lines, a data file): nothing of ours to check
  }
  if (!doc || typeof doc !== 'object') return [];
  const facts: Fact[] = [];
  const autoMap = (doc as Record<string, unknown>).auto_map;
  if (autoMap && typeof autoMap === 'object') {
    for (const [cls, v] of Object.entries(autoMap)) {
      for (const ref of (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string')) {
        const m = /^([\w.-]+\/[\w.-]+|[\w.-]+)--(.+)$/.exec(ref);
        if (!m) continue;
        facts.push({
          kind: 'hf.auto-map-remote',
          location: { path, ...position(src, JSON.stringify(ref)) },
          data: { autoClass: cls, ref, repo: m[1], code: m[2], key: `${cls}:${ref}` },
        });
      }
    }
  }
  const all: string[] = [];
  strings(doc, all);
  for (const s of new Set(all)) {
    const url = insecureUrl(s);
    if (url) facts.push({ kind: 'source.insecure-url', location: { path, ...position(src, JSON.stringify(s)) }, data: { url, context: 'config', key: url } });
  }
  return facts;
}
