/**
 * JSON files, chosen by content (a JSON object) and routed by shape: a chat template anywhere a loader
 * reads one (`chat_template` key), an `auto_map` that makes transformers import repository code, and
 * a serialized Keras model (`class_name` + `config`, as in a .keras archive's config.json). JSON of
 * other shapes is data and yields nothing.
 */
import { analyzeKerasConfig, isKerasConfig } from '../../formats/keras/config.js';
import { autoMapEntries, chatTemplates } from '../../formats/hfrepo/config.js';
import { giveUp } from '../archive/nested.js';
import { emitKerasFacts } from './keras-facts.js';
import { emitTemplateFacts } from './template-facts.js';
import type { ScanContext, Scanner, ScanInput } from '../types.js';

const MAX_JSON = 64 * 1024 * 1024;

export const jsonScanner: Scanner = {
  id: 'json',
  formats: ['json'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    if (input.reader.size > MAX_JSON) return; // tokenizer vocabularies and the like: data, not config
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder('utf-8').decode(await input.reader.read(0, input.reader.size)));
    } catch (e) {
      if (!input.quiet) giveUp(ctx, input.location, 'json', 'PARSE_ERROR', `not valid JSON: ${(e as Error).message}`);
      return;
    }
    for (const t of chatTemplates(doc)) emitTemplateFacts(ctx, input.location, 'json', t.name, t.template);
    const am = autoMapEntries(doc);
    if (am.length) {
      ctx.emit({
        kind: 'hf.auto-map',
        location: { ...input.location },
        data: { files: [...new Set(am.map((e) => e.file))], classes: am.map((e) => `${e.autoClass}=${e.ref}`), key: 'auto_map' },
      });
    }
    if (isKerasConfig(doc)) emitKerasFacts(ctx, input.location, 'keras', analyzeKerasConfig(doc));
  },
};
