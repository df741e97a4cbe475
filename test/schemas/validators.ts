/**
 * Ajv validators for what mlvet emits: the official SARIF 2.1.0 schema (vendored, draft-04 lifted to
 * draft-07 by renaming `id`) and mlvet's own report schema from `schemas/`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import * as formatsModule from 'ajv-formats';
import { ROOT } from '../helpers/cli.js';

type Plugin = (ajv: Ajv) => Ajv;
// ajv-formats is CommonJS: depending on the loader its plugin is the default export or nested one deeper
const wrapped = formatsModule as unknown as { default: Plugin | { default: Plugin } };
const addFormats: Plugin = typeof wrapped.default === 'function' ? wrapped.default : wrapped.default.default;

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function draft04To07(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { $id: schema.id, ...schema };
  delete out.id;
  delete out.$schema;
  return out;
}

// compiled once per test file (the SARIF schema takes most of a second); a validator's `errors` are
// those of its latest call, so read them right after it
let sarif: ValidateFunction | undefined;
let report: ValidateFunction | undefined;

export function sarifValidator(): ValidateFunction {
  if (!sarif) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    sarif = ajv.compile(draft04To07(readJson(join(ROOT, 'test', 'schemas', 'sarif-schema-2.1.0.json'))));
  }
  return sarif;
}

export function reportValidator(): ValidateFunction {
  if (!report) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    report = ajv.compile(readJson(join(ROOT, 'schemas', 'report.schema.json')));
  }
  return report;
}

export function errorsOf(v: ValidateFunction): string {
  return (v.errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
}
