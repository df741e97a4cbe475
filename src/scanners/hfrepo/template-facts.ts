import { analyzeTemplate } from '../../formats/jinja/check.js';
import type { Location } from '../../model/facts.js';
import type { ScanContext, Scanner, ScanInput } from '../types.js';

/** One `template.ssti` fact per template that reaches Python objects; nothing for clean templates. */
export function emitTemplateFacts(ctx: ScanContext, loc: Location, source: string, name: string, text: string): void {
  const { parsed, hits } = analyzeTemplate(text);
  if (hits.length === 0) return;
  ctx.emit({
    kind: 'template.ssti',
    location: { ...loc },
    data: { source, template: name, parsed, names: hits.map((h) => h.name), categories: [...new Set(hits.map((h) => h.category))], key: `${source}:${name}` },
  });
}

/** Jinja text files (`chat_template.jinja` and any text with Jinja delimiters). */
export const jinjaScanner: Scanner = {
  id: 'jinja',
  formats: ['jinja'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    if (input.reader.size > 4 * 1024 * 1024) return;
    const text = new TextDecoder('utf-8').decode(await input.reader.read(0, input.reader.size));
    emitTemplateFacts(ctx, input.location, 'jinja', input.location.member ?? input.location.path, text);
  },
};
