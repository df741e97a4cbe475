/**
 * safetensors: strict header validation, keys repeated in the header JSON, a scan of `__metadata__`
 * for code and URLs, and a positive `safetensors.valid` fact when everything holds (the good news a
 * report should say out loud). A header that was not read whole is also inconclusive: its tensors
 * were never checked.
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

const SHORTFALL = {
  'past-eof': ['TRUNCATED', 'the header length runs past the end of the file: no tensor was checked'],
  'over-limit': ['LIMIT_EXCEEDED', 'the header length is over the reference loader\'s 100,000,000-byte limit: no tensor was checked'],
  'over-budget': ['LIMIT_EXCEEDED', 'the header is longer than maxNestedBytes: it was not read'],
} as const;

export const safetensorsScanner: Scanner = {
  id: 'safetensors',
  formats: ['safetensors'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const loc = input.location;
    const res = await validateSafetensors(input.reader, ctx.budgets.maxNestedBytes);
    for (const [i, p] of res.problems.slice(0, 20).entries()) {
      ctx.emit({ kind: 'safetensors.invalid', location: { ...loc }, data: { ...p, key: `${p.problem}#${i}` } });
    }
    for (const [i, d] of res.duplicates.entries()) {
      const where = [...d.path, d.key].join('.');
      ctx.emit({ kind: 'safetensors.duplicate-key', location: { ...loc, offset: 8 + d.offset }, data: { name: d.key, path: d.path, where, key: `dup:${where}#${i}` } });
    }
    for (const [key, value] of Object.entries(res.metadata)) {
      for (const [pattern, re] of SUSPICIOUS) {
        const m = re.exec(value);
        if (m) ctx.emit({ kind: 'safetensors.metadata-suspicious', location: { ...loc }, data: { field: key, pattern, excerpt: m[0].slice(0, 120), key: `${key}:${pattern}` } });
      }
    }
    if (res.shortfall) {
      const [code, message] = SHORTFALL[res.shortfall];
      ctx.inconclusive({ path: loc.path, ...(loc.member ? { member: loc.member } : {}), offset: 0, code, message: `safetensors: ${message} (${res.headerLength} bytes declared)`, scanner: 'safetensors' });
    }
    if (res.problems.length === 0 && res.duplicates.length === 0 && !res.shortfall) {
      ctx.emit({ kind: 'safetensors.valid', location: { ...loc }, data: { tensors: res.tensors, dataBytes: res.dataBytes, headerLength: res.headerLength, key: 'valid' } });
    }
  },
};
