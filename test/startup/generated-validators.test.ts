/**
 * The precompiled validators (src/schemas/generated.ts, ajv standalone code from
 * scripts/build-validators.mjs) are current, and answer exactly as ajv compiling the same schema at
 * run time would, errors included, on a table of documents per schema.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/rules/checks/index.js';
import { GENERATED } from '../../src/schemas/generated.js';
import { ROOT } from '../helpers/cli.js';

type Validate = ((doc: unknown) => boolean) & { errors?: unknown };
const generated = GENERATED as unknown as Record<string, { hash: string; validate: Validate }>;

const schemas: Array<[string, object]> = [
  ...readdirSync(join(ROOT, 'schemas'))
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, object] => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(ROOT, 'schemas', f), 'utf8')) as object]),
  ...[...CHECKS.values()].map((c): [string, object] => [`check:${c.meta.name}`, c.meta.options]),
];

// wrong types, missing fields, extra fields, empty strings: documents that reach most keywords' error paths
const DOCS: unknown[] = [
  {},
  null,
  [],
  'text',
  { id: '', severity: 'nope', match: { fact: 1 }, extra: true },
  { version: 1, rules: [{ id: 'x' }], budgets: { maxFileBytes: -1 }, patterns: [{ module: '' }], names: [''] },
  { fact: 'a.b', as: '9', where: { k: { eq: 1, bogus: 2 } }, allowlisted: 'yes', list: 'UPPER' },
];

describe('generated validators', () => {
  it('are current (node scripts/build-validators.mjs --check)', () => {
    expect(() => execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-validators.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('cover every schema file and every check', () => {
    expect(Object.keys(generated).sort()).toEqual(schemas.map(([k]) => k).sort());
  });

  const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  it.each(schemas)('%s answers as ajv does', (key, schema) => {
    const runtime = ajv.compile(schema);
    const pre = generated[key]!.validate;
    for (const doc of DOCS) {
      expect([key, pre(doc), pre.errors ?? null]).toEqual([key, runtime(doc), runtime.errors ?? null]);
    }
  });
});
