/**
 * safetensors: strict header validation, a scan of `__metadata__` for code and URLs, and a positive
 * `safetensors.valid` fact when everything holds (the good news a report should say out loud).
 */
import { validateSafetensors } from '../formats/safetensors/header.js';
import type { ScanContext, Scanner, ScanInput } from './types.js';

/** things that have no business in a string-to-string metadata map of a weights file */
const SUSPICIOUS: Array<[string, RegExp]> = [
  ['url', /\b(?:https?|ftp|file|s3|gs):\/\/\S+/i],
  ['python-code', /\b(?:__import__|eval\s*\(|exec\s*\(|os\.system|subprocess|import\s+\w+|lambda\s*\w*:|__builtins__|__globals__)/],
  ['shell', /(?:\$\(|`[^`]+`|\bcurl\s|\bwget\s|\bbash\s+-c|\|\s*sh\b)/],
  ['markup', /<\s*script\b|javascript:/i],
];

export const safetensorsScanner: Scanner = {
  id: 'safetensors',
  formats: ['safetensors'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const res = await validateSafetensors(input.reader, Math.min(100_000_000, ctx.budgets.maxNestedBytes));
    for (const [i, p] of res.problems.slice(0, 20).entries()) {
      ctx.emit({ kind: 'safetensors.invalid', location: { ...input.location }, data: { ...p, key: `${p.problem}#${i}` } });
    }
    for (const [key, value] of Object.entries(res.metadata)) {
      for (const [pattern, re] of SUSPICIOUS) {
        const m = re.exec(value);
        if (m) ctx.emit({ kind: 'safetensors.metadata-suspicious', location: { ...input.location }, data: { field: key, pattern, excerpt: m[0].slice(0, 120), key: `${key}:${pattern}` } });
      }
    }
    if (res.problems.length === 0) {
      ctx.emit({ kind: 'safetensors.valid', location: { ...input.location }, data: { tensors: res.tensors, dataBytes: res.dataBytes, headerLength: res.headerLength, key: 'valid' } });
    }
  },
};
