/**
 * The package's JSON Schemas (`schemas/*.json`), each compiled once, on first use, with ajv. Config,
 * rule packs, allowlists, baselines and lineage payloads are all checked here, and every problem is
 * reported at once, naming its field.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
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

let ajv: Ajv | undefined;
const cache = new Map<SchemaName, ValidateFunction>();

const inline = new Map<string, ValidateFunction>();

function getAjv(): Ajv {
  ajv ??= new Ajv({ allErrors: true, strict: false });
  return ajv;
}

/** The compiled validator for `schemas/<name>.json`. */
export function compiledSchema<T>(name: SchemaName): ValidateFunction<T> {
  let fn = cache.get(name);
  if (!fn) {
    fn = getAjv().compile(JSON.parse(readFileSync(packagePath('schemas', `${name}.json`), 'utf8')) as object);
    cache.set(name, fn);
  }
  return fn as ValidateFunction<T>;
}

/** A schema that lives in code (a built-in check's options), compiled once under its `id`. */
export function compiledInline(id: string, schema: Record<string, unknown>): ValidateFunction {
  let fn = inline.get(id);
  if (!fn) {
    fn = getAjv().compile(schema);
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
