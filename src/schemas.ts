/**
 * The package's JSON Schemas (`schemas/*.json`) and the built-in checks' options schemas. Config,
 * rule packs, allowlists, baselines and lineage payloads are all checked here, and every problem is
 * reported at once, naming its field. The validators are ajv standalone code generated at build time
 * (`scripts/build-validators.mjs` → one CommonJS module per schema in `schemas/generated/`), so a run
 * does not load the ajv compiler, which was most of start-up, and requires only the validators it uses
 * (a scan: its checks' option schemas). A schema whose module is missing, or whose hash no longer
 * matches (an edit not yet rebuilt), is compiled with ajv on first use, as before.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject } from 'ajv';
import { packagePath } from './package.js';

export type SchemaName =
  | 'config.schema'
  | 'rule.schema'
  | 'list.schema'
  | 'lineage-statement'
  | 'lineage-model-signing'
  | 'lineage-trust';

export interface Validator {
  (doc: unknown): boolean;
  errorText: string;
}

/** What callers use of a validator: the call and its last `errors` (ajv's and the generated code's alike) */
export interface SchemaValidator<T = unknown> {
  (doc: unknown): doc is T;
  errors?: ErrorObject[] | null;
}

/** A generated module: its validator and the hash of the schema text it was generated from. */
interface Generated {
  hash: string;
  validate: SchemaValidator;
}

const requireHere = createRequire(import.meta.url);

/** The generated module for `key` (`check:x` → `schemas/generated/check-x.cjs`), or undefined when there is none. */
function generated(key: string): Generated | undefined {
  try {
    return requireHere(`./schemas/generated/${key.replaceAll(':', '-')}.cjs`) as Generated;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

let ajv: Ajv | undefined;
const cache = new Map<SchemaName, SchemaValidator>();

const inline = new Map<string, SchemaValidator>();

/** ajv itself only when a schema has no current generated validator; the same options the generator uses */
function getAjv(): Ajv {
  if (!ajv) {
    const { Ajv: AjvClass } = requireHere('ajv') as typeof import('ajv');
    ajv = new AjvClass({ allErrors: true, strict: false });
  }
  return ajv;
}

/** the generator's hash (scripts/build-validators.mjs: the first 16 hex digits of sha256) */
const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** The generated validator for `key` when it was generated from this very schema text, else ajv's. */
function validatorOf(key: string, text: string, schema: () => object): SchemaValidator {
  const g = generated(key);
  return g && g.hash === hashOf(text) ? g.validate : getAjv().compile(schema());
}

/** The compiled validator for `schemas/<name>.json`. */
export function compiledSchema<T>(name: SchemaName): SchemaValidator<T> {
  let fn = cache.get(name);
  if (!fn) {
    const text = readFileSync(packagePath('schemas', `${name}.json`), 'utf8');
    fn = validatorOf(name, text, () => JSON.parse(text) as object);
    cache.set(name, fn);
  }
  return fn as SchemaValidator<T>;
}

/** A schema that lives in code (a built-in check's options), compiled once under its `id`. */
export function compiledInline(id: string, schema: Record<string, unknown>): SchemaValidator {
  let fn = inline.get(id);
  if (!fn) {
    fn = validatorOf(id, JSON.stringify(schema), () => schema);
    inline.set(id, fn);
  }
  return fn;
}

export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}

/** A validator that keeps the text of its last failure (`errorText`, at most 2,000 characters). */
export function validatorFor(name: SchemaName): Validator {
  const compiled = compiledSchema(name);
  const v = ((doc: unknown) => {
    const ok = compiled(doc);
    v.errorText = ok ? '' : formatAjvErrors(compiled.errors).slice(0, 2000);
    return ok;
  }) as Validator;
  v.errorText = '';
  return v;
}
