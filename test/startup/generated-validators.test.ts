/**
 * The precompiled validators (src/schemas/generated/*.cjs, ajv standalone code from
 * scripts/build-validators.mjs, one module per schema) are current, and answer exactly as ajv
 * compiling the same schema at run time would, errors included, on a table of documents per schema.
 * A scan requires only the validators it uses.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/rules/checks/index.js';
import { ROOT } from '../helpers/cli.js';

type Validate = ((doc: unknown) => boolean) & { errors?: unknown };
const dir = join(ROOT, 'src', 'schemas', 'generated');
const load = createRequire(import.meta.url);
const generated: Record<string, { hash: string; validate: Validate }> = Object.fromEntries(
  readdirSync(dir)
    // every module but ajv's runtime helper (ucs2length.runtime.cjs) is a schema's validator
    .filter((f) => f.endsWith('.cjs') && !f.endsWith('.runtime.cjs'))
    .map((f) => [
      f.replace(/\.cjs$/, '').replace(/^check-/, 'check:'),
      load(join(dir, f)) as { hash: string; validate: Validate },
    ]),
);

const schemas: Array<[string, object]> = [
  ...readdirSync(join(ROOT, 'schemas'))
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, object] => [
      f.replace(/\.json$/, ''),
      JSON.parse(readFileSync(join(ROOT, 'schemas', f), 'utf8')) as object,
    ]),
  ...[...CHECKS.values()].map((c): [string, object] => [`check:${c.meta.name}`, c.meta.options]),
];

// wrong types, missing fields, extra fields, empty strings: documents that reach most keywords' error paths
const DOCS: unknown[] = [
  {},
  null,
  [],
  'text',
  { id: '', severity: 'nope', match: { fact: 1 }, extra: true },
  {
    version: 1,
    rules: [{ id: 'x' }],
    budgets: { maxFileBytes: -1 },
    patterns: [{ module: '' }],
    names: [''],
  },
  { fact: 'a.b', as: '9', where: { k: { eq: 1, bogus: 2 } }, allowlisted: 'yes', list: 'UPPER' },
];

describe('generated validators', () => {
  it('are current (node scripts/build-validators.mjs --check)', () => {
    expect(() =>
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-validators.mjs'), '--check'], {
        stdio: 'pipe',
      }),
    ).not.toThrow();
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

  it("a scan requires only its checks' option validators and ajv's helper (not baseline, report, config or lineage)", () => {
    const script = [
      "import { createRequire } from 'node:module';",
      `const { scan } = await import(${JSON.stringify(join(ROOT, 'dist', 'scan.js'))});`,
      `await scan({ targets: [${JSON.stringify(join(ROOT, 'fixtures', 'pickle', 'gadgets'))}] });`,
      "console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/schemas/generated/')).map((k) => k.split('/').pop()).sort()));",
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual([
      'check-pickle-allowlist.cjs',
      'check-pickle-globals.cjs',
      'check-target-also-has.cjs',
      'ucs2length.runtime.cjs',
    ]);
  });
});
