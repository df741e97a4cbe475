/**
 * GGUF (llama.cpp and friends): header, metadata and tensor infos from a range read of the file's
 * head. Chat templates (`tokenizer.chat_template`, `tokenizer.chat_template.<name>`) go through the
 * same Jinja analysis as tokenizer_config.json (CVE-2024-34359: llama-cpp-python rendered them with
 * an unsandboxed jinja2 Environment). Layout problems become facts; unreadable structure is
 * inconclusive. Tensor data is never read.
 */
import { emptyGgufHeader, readGguf, type GgufHeader } from '../formats/gguf/header.js';
import { giveUp } from './archive/nested.js';
import { emitTemplateFacts } from './hfrepo/template-facts.js';
import type { Location } from '../model/facts.js';
import type { ScanContext, Scanner, ScanInput } from './types.js';

const ID = 'gguf';
/** header + metadata + tensor infos must end within this many bytes (real files: < 20 MiB) */
const MAX_HEAD = 128 * 1024 * 1024;
const MAX_TEMPLATE = 4 * 1024 * 1024;

function emitAll(ctx: ScanContext, loc: Location, h: GgufHeader): void {
  for (const t of h.templates) emitTemplateFacts(ctx, { ...loc, offset: t.offset }, 'gguf', t.key, t.text);
  for (const t of h.oversizedTemplates) {
    giveUp(ctx, loc, ID, 'LIMIT_EXCEEDED', `${t.key} is ${t.bytes} bytes, longer than the ${MAX_TEMPLATE} analysed`, t.offset);
  }
}

export const ggufScanner: Scanner = {
  id: ID,
  formats: ['gguf'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const h = emptyGgufHeader();
    try {
      await readGguf(input.reader, { maxHeadBytes: MAX_HEAD, maxTemplateBytes: MAX_TEMPLATE, deadline: ctx.deadline }, h);
    } finally {
      emitAll(ctx, input.location, h); // a template read before the file broke off is still judged
    }
    for (const [i, p] of h.problems.entries()) {
      ctx.emit({ kind: 'gguf.invalid', location: { ...input.location, offset: p.offset }, data: { ...p, key: `${p.problem}#${i}` } });
    }
    if (h.problems.some((p) => p.problem === 'out-of-bounds')) {
      giveUp(ctx, input.location, ID, 'TRUNCATED', 'tensor data ends past the end of the file (an incomplete download?)');
    }
    ctx.emit({
      kind: 'gguf.header',
      location: { ...input.location },
      data: {
        version: h.version, littleEndian: h.littleEndian, tensors: h.tensorCount, metadata: h.kvCount,
        architecture: h.strings['general.architecture'] ?? null, name: h.strings['general.name'] ?? null,
        templates: h.templates.map((t) => t.key), key: 'header',
      },
    });
  },
};
