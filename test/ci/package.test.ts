/**
 * What `npm pack` ships (issue 15, package hygiene): the built CLI, rule packs, schemas, rule docs and
 * the LICENSE, and no sources, tests or fixtures; the package.json fields a registry page links from;
 * and `mlvet rules show` printing a rule's doc page from an installed copy (the packed files only,
 * copied out of the repository, with the repository's node_modules beside them).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DOCS_BASE, REPOSITORY_URL } from '../../src/reporters/rule-meta.js';
import { ROOT } from '../helpers/cli.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
let files: string[] = [];
const installed = mkdtempSync(join(tmpdir(), 'mlvet-pack-'));
afterAll(() => rmSync(installed, { recursive: true, force: true }));

beforeAll(async () => {
  // `npm test` builds first; a bare `vitest run` in a fresh clone has no dist/, so build once
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 180_000 });
  // --ignore-scripts: `prepare` would rebuild dist/ for every run of this test
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, timeout: 60_000, maxBuffer: 64 << 20 });
  files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
  for (const f of files) {
    mkdirSync(dirname(join(installed, f)), { recursive: true });
    cpSync(join(ROOT, f), join(installed, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'), 'dir');
}, 240_000);

describe('npm pack contents', () => {
  it.each(['dist/cli/main.js', 'dist/bundle/mlvet.mjs', 'dist/index.js', 'dist/index.d.ts', 'LICENSE', 'package.json', 'README.md', 'schemas/report.schema.json', 'rules/pickle/code-execution.json', 'docs/rules/pickle/code-execution.md'])(
    'ships %s',
    (f) => expect(files).toContain(f),
  );

  it('ships a doc page for every rule pack file', () => {
    const rules = files.filter((f) => /^rules\/[^/]+\/[^/]+\.json$/.test(f) && !f.startsWith('rules/lists/'));
    expect(rules.length).toBeGreaterThan(20);
    const missing = rules.map((f) => `docs/${f.replace(/\.json$/, '.md')}`).filter((d) => !files.includes(d));
    expect(missing).toEqual([]);
  });

  it.each([/^src\//, /^test\//, /^fixtures\//, /^bench\//, /^scripts\//, /^coverage\//, /^\.ci\//, /^docs\/(?!rules\/)/, /(?<!\.d)\.ts$/, /(^|\/)\.git\//, /^action\.yml$/])(
    'ships nothing matching %s',
    (re) => expect(files.filter((f) => re.test(f))).toEqual([]),
  );
});

describe('package.json and LICENSE', () => {
  it('repository, homepage and bugs name the same repository as SARIF helpUri', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPOSITORY_URL}.git` });
    expect(pkg.homepage).toBe(`${REPOSITORY_URL}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPOSITORY_URL}/issues` });
    expect(DEFAULT_DOCS_BASE).toBe(`${REPOSITORY_URL}/blob/main/docs/rules/`);
  });

  it('LICENSE is the Apache License 2.0 that package.json names', () => {
    const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(pkg.license).toBe('Apache-2.0');
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });
});

describe('an installed copy', () => {
  it.each([
    ['the package bin (the bundle)', (pkg as unknown as { bin: { mlvet: string } }).bin.mlvet],
    ["tsc's CLI", 'dist/cli/main.js'],
  ])('%s: rules show prints the rule and its whole doc page', async (_what, bin) => {
    // through node, as npm's bin shim does: a packed file keeps no exec bit on a fresh clone's build
    const r = await run(process.execPath, [join(installed, bin), 'rules', 'show', 'pickle/code-execution'], { cwd: tmpdir(), encoding: 'utf8' });
    const doc = readFileSync(join(ROOT, 'docs', 'rules', 'pickle', 'code-execution.md'), 'utf8').trimEnd();
    expect(r.stdout).toContain(doc);
    expect(r.stdout.split('\n').length).toBeGreaterThan(doc.split('\n').length);
  });
});
