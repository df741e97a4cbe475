/**
 * The lineage JSON Schemas (`schemas/lineage-*.json`), compiled once with ajv. They run only on
 * payloads whose signature already verified.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { PACKAGE_ROOT } from '../rules/load.js';
import { formatAjvErrors } from '../rules/load.js';

export type SchemaName = 'lineage-statement' | 'lineage-model-signing' | 'lineage-trust';

export interface Validator {
  (doc: unknown): boolean;
  errorText: string;
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
const cache = new Map<SchemaName, ValidateFunction>();

export function validatorFor(name: SchemaName): Validator {
  let fn = cache.get(name);
  if (!fn) {
    fn = ajv.compile(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', `${name}.json`), 'utf8')) as object);
    cache.set(name, fn);
  }
  const compiled = fn;
  const v = ((doc: unknown) => {
    const ok = compiled(doc);
    v.errorText = ok ? '' : formatAjvErrors(compiled.errors).slice(0, 2000);
    return ok;
  }) as Validator;
  v.errorText = '';
  return v;
}
