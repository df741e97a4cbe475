/**
 * Hugging Face repo JSON files that make loaders run code from the repository: `auto_map` in
 * config.json / tokenizer_config.json / preprocessor configs maps Auto classes to `module.Class`
 * (a `<module>.py` in the repo) or `other/repo--module.Class` (code from another repo).
 */

export interface AutoMapEntry {
  autoClass: string;
  ref: string;
  /** the Python file the loader imports, or `org/repo:module.py` for cross-repo references */
  file: string;
}

function refsOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string'); // tokenizers: [slow, fast]
  return [];
}

export function autoMapEntries(doc: unknown): AutoMapEntry[] {
  if (typeof doc !== 'object' || doc === null) return [];
  const am = (doc as Record<string, unknown>).auto_map;
  if (typeof am !== 'object' || am === null || Array.isArray(am)) return [];
  const out: AutoMapEntry[] = [];
  for (const [autoClass, v] of Object.entries(am)) {
    for (const ref of refsOf(v).slice(0, 8)) {
      const [repo, local] = ref.includes('--') ? ref.split('--', 2) as [string, string] : [undefined, ref];
      const mod = local.split('.').slice(0, -1).join('/');
      out.push({ autoClass, ref, file: repo ? `${repo}:${mod}.py` : `${mod}.py` });
    }
  }
  return out.slice(0, 64);
}

/** Chat templates in tokenizer_config.json / chat_template.json: a string or a list of {name, template}. */
export function chatTemplates(doc: unknown): Array<{ name: string; template: string }> {
  if (typeof doc !== 'object' || doc === null) return [];
  const t = (doc as Record<string, unknown>).chat_template;
  if (typeof t === 'string') return [{ name: 'default', template: t }];
  if (!Array.isArray(t)) return [];
  return t
    .filter((x): x is { name?: unknown; template: string } => typeof x === 'object' && x !== null && typeof (x as { template?: unknown }).template === 'string')
    .slice(0, 32)
    .map((x, i) => ({ name: typeof x.name === 'string' ? x.name : `#${i}`, template: x.template }));
}
