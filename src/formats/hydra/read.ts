/**
 * A bounded reader for Hydra / OmegaConf config text (YAML or JSON). It never runs anything a YAML
 * tag could name: js-yaml's CORE_SCHEMA has no `!!python/*` or custom tags, so such a tag is a parse
 * error rather than an object. Aliases are the one way a small file becomes a large document
 * (billion laughs): js-yaml shares aliased nodes by reference, so parsing is cheap, but any walk of
 * the result is not — the alias count is capped before parsing and the walk in `targets.ts` has a
 * node budget of its own.
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import { MlvetError } from '../../errors.js';

/** Hydra configs are kilobytes; 8 MiB leaves room for generated ones without reading data files. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
/** Real configs use `${…}` interpolation, not anchors; a few hundred aliases is already unusual. */
export const MAX_ALIASES = 256;

/** `*name` alias tokens (after a space, `[`, `{`, `,`, `:` or `-`), counted without parsing. */
export function countAliases(text: string, stopAt = MAX_ALIASES + 1): number {
  const re = /(?:^|[\s[{,:-])\*[^\s,[\]{}]/g;
  let n = 0;
  while (n < stopAt && re.exec(text)) n++;
  return n;
}

/** Parse config text into plain data; errors carry `LIMIT_EXCEEDED` or `PARSE_ERROR`. */
export function readConfigText(text: string): unknown {
  if (text.length > MAX_CONFIG_BYTES) throw new MlvetError('LIMIT_EXCEEDED', `config is ${text.length} characters, over ${MAX_CONFIG_BYTES}`);
  if (countAliases(text) > MAX_ALIASES) throw new MlvetError('LIMIT_EXCEEDED', `more than ${MAX_ALIASES} YAML aliases (alias expansion bomb?)`);
  try {
    // json: true lets duplicate keys through (last wins), as PyYAML and OmegaConf's JSON path do
    return load(text, { schema: CORE_SCHEMA, json: true });
  } catch (e) {
    throw new MlvetError('PARSE_ERROR', `not valid YAML/JSON: ${(e as Error).message.split('\n')[0] ?? ''}`);
  }
}

/** Does the text contain the byte string `_target_`? The cheap test before any parse. */
export function mentionsTarget(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('_target_');
}
