/**
 * The bundled CLI (scripts/build-bundle.mjs → dist/bundle/mlvet.mjs, issue 16) is the same program as
 * tsc's dist/cli/main.js: side by side on real fixtures, both processes give the same exit code, the
 * same stdout and the same stderr (report timestamps aside). The cases reach what a bundle can get
 * wrong: files found by path at run time (rules, rule pack, schemas, docs, package.json), worker
 * threads, the lazily loaded chunks (validation, lineage, h5wasm, 7z-wasm), usage errors. And a scan
 * of one pickle loads the bundle's own chunks and nothing of the unbundled dist/ or of the heavy
 * packages; worker threads run their bundled scripts. Needs `npm run build` (tsc's dist/); builds the bundle itself when it is missing or
 * older than dist/cli/main.js.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/findings/report.js';
import { CLI, FIXTURES, ROOT, spawnCli, type CliResult } from '../helpers/cli.js';

const BUNDLE = join(ROOT, 'dist', 'bundle', 'mlvet.mjs');
const MODULE_LOG = join(ROOT, 'test', 'startup', 'module-log.mjs');
const work = mkdtempSync(join(tmpdir(), 'mlvet-bundle-'));

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < statSync(CLI).mtimeMs) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-bundle.mjs')], { cwd: ROOT, stdio: 'pipe' });
  }
  writeFileSync(join(work, 'tiny.json'), '{}');
  // a lookahead: RE2 cannot run it, so it runs on the regex budget's worker thread
  const regex = { type: 'expect_column_values_to_match_regex', kwargs: { column: 'text', regex: '^(row) number \\d+(?=$)' }, meta: {} };
  writeFileSync(join(work, 'lookahead.json'), JSON.stringify({ name: 'lookahead', expectations: [regex], meta: { great_expectations_version: '1.2.0' } }));
  // one key pair for both CLIs' verify: keygen and sign by the bundle, the manifest checked by both
  execFileSync(process.execPath, [BUNDLE, 'keygen', '--output', 'release'], { cwd: work, stdio: 'pipe' });
  execFileSync(process.execPath, [BUNDLE, 'sign', 'tiny.json', '--key', 'release.key', '--output', 'tiny.sig.json'], { cwd: work, stdio: 'pipe' });
  execFileSync(process.execPath, [BUNDLE, 'sign', join(FIXTURES, 'pickle'), '--key', 'release.key', '--output', 'pickles.sig.json'], { cwd: work, stdio: 'pipe' });
});

/** ISO timestamps (createdAt, GX run_time) are the only thing two runs may differ in. */
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g;
const normal = (text: string): string => text.replace(ISO, '<time>').replace(/out-[bu]\.json/g, '<out>');
const normalResult = (r: CliResult): CliResult => ({ code: r.code, stdout: normal(r.stdout), stderr: normal(r.stderr) });

/** `<out>` in argv is a file each CLI writes on its own: out-b.json (bundle), out-u.json (unbundled) */
const OUT = '<out>';
const bundled = (args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<CliResult> =>
  spawnCli([BUNDLE, ...args.map((a) => (a === OUT ? 'out-b.json' : a))], { cwd, exec: process.execPath, ...(env ? { env } : {}) });
const unbundled = (args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<CliResult> =>
  spawnCli(args.map((a) => (a === OUT ? 'out-u.json' : a)), { cwd, ...(env ? { env } : {}) });
const written = (dir: string, which: 'b' | 'u'): string => normal(readFileSync(join(dir, `out-${which}.json`), 'utf8'));

const pickle = join(FIXTURES, 'pickle', 'malicious', 'e1-builtin-eval-p0.pkl');
const datasets = join(FIXTURES, 'datasets');

describe.concurrent('the bundle and the unbundled CLI give the same result', () => {
  it.each([
    // [name, argv, exit code, something stdout must hold]
    ['a malicious pickle', ['scan', pickle, '--format', 'json'], 1, '"pickle/code-execution"'],
    ['a 2-byte JSON file', ['scan', 'tiny.json', '--format', 'json'], 0, '"bytesRead": 2'],
    ['--version', ['--version'], 0, `${VERSION}\n`],
    ['help (every command module)', ['--help'], 0, 'validate'],
    ['validate of a small CSV (the validation chunk and its packages)', ['validate', join(datasets, 'small.csv'), '--suite', join(datasets, 'suite-failing.json'), '--format', 'json', '--no-progress'], 1, '"success": false'],
    ['a lookahead regex expectation (the regex worker)', ['validate', join(datasets, 'small.csv'), '--suite', 'lookahead.json', '--no-poisoning', '--format', 'json', '--no-progress'], 0, '"success": true'],
    ['every format fixture (h5wasm, 7z-wasm, jinja, YAML, codecs)', ['scan', join(FIXTURES, 'formats'), '--format', 'json'], 1, '"hdf5'],
    ['61 benign pickles on two worker threads', ['scan', join(FIXTURES, 'pickle', 'benign'), '--concurrency', '2', '--format', 'json'], 0, '"findings": []'],
    ['the rule list (rules/ and the prebuilt pack)', ['rules', 'list'], 0, 'pickle/code-execution'],
    ['a rule with its documentation (docs/rules)', ['rules', 'show', 'pickle/code-execution'], 0, 'pickle/code-execution'],
    ['verify of a signed file with its key (lineage, a lazy chunk)', ['verify', 'tiny.json', '--manifest', 'tiny.sig.json', '--trusted-key', 'release.pub', '--format', 'json'], 0, '"verified"'],
    ['verify of 587 signed files (hash workers)', ['verify', join(FIXTURES, 'pickle'), '--manifest', 'pickles.sig.json', '--trusted-key', 'release.pub', '--format', 'json'], 0, '"files": 587'],
    ['a missing file', ['scan', 'no-such-file.pkl'], 3, ''],
    ['an unknown option (commander usage error)', ['scan', 'tiny.json', '--bogus'], 3, ''],
  ] as const)('%s', async (_name, args, code, holds) => {
    const [b, u] = await Promise.all([bundled(args, work), unbundled(args, work)]);
    expect(normalResult(b)).toEqual(normalResult(u));
    expect(b.code).toBe(code);
    expect(b.stdout).toContain(holds);
  });

  // profile's statistics engine (DuckDB, two threads) fills the exact distinct sketch and the KLL's
  // first level in the order its GROUP BY returns rows, which two concurrent runs do not share: the
  // same baseline byte for byte comes from the streaming JS engine, and DuckDB's run (the native
  // binding loaded from the bundle) is compared on what does not depend on that order
  it.each([
    ['the streaming JS engine: the same baseline, byte for byte', { MLVET_ENGINE: 'js' }],
    ['the DuckDB engine: the same rows, columns and label counts', undefined],
  ] as const)('profile of a Parquet file, %s', async (_name, env) => {
    const dir = mkdtempSync(join(work, 'profile-'));
    const args = ['profile', join(datasets, 'small.parquet'), '--output', OUT, '--no-progress'];
    const [b, u] = await Promise.all([bundled(args, dir, env), unbundled(args, dir, env)]);
    expect(normalResult(b)).toEqual(normalResult(u));
    expect(b.code).toBe(0);
    if (env) expect(written(dir, 'b')).toEqual(written(dir, 'u'));
    const [bb, ub] = [JSON.parse(written(dir, 'b')), JSON.parse(written(dir, 'u'))] as Array<Record<string, unknown>>;
    const orderFree = (x: Record<string, unknown>): unknown[] => [x.rows, x.columns, x.ids, x.label];
    expect(orderFree(bb!)).toEqual(orderFree(ub!));
    expect(bb!.rows).toBe(40);
  });
});

/** The URLs a run loaded (test/startup/module-log.mjs), its own hooks left out. */
async function loaded(args: string[]): Promise<{ code: number; urls: string[] }> {
  const log = join(mkdtempSync(join(work, 'log-')), 'modules.txt');
  writeFileSync(log, '');
  const r = await spawnCli(['--import', MODULE_LOG, BUNDLE, ...args], { cwd: work, exec: process.execPath, env: { MLVET_MODULE_LOG: log } });
  const urls = readFileSync(log, 'utf8').split('\n').filter((u) => u && !/\/module-log(-hooks)?\.mjs$/.test(u));
  return { code: r.code, urls: urls.map((u) => u.replace(`file://${ROOT}/`, '')) };
}

describe.concurrent('what the bundle loads', () => {
  it('a scan of one pickle: its chunks and Node built-ins only, no unbundled dist/ module, no heavy package', async () => {
    const { code, urls } = await loaded(['scan', pickle, '--format', 'json']);
    expect(code).toBe(1);
    const kinds = urls.map((u) => (u.startsWith('node:') ? 'node' : u.startsWith('dist/bundle/') ? 'bundle' : u));
    // seek-bzip stays a package (see INLINE in scripts/build-bundle.mjs), loaded only when a bzip2 stream is met
    expect([...new Set(kinds)].filter((k) => k !== 'node' && k !== 'bundle')).toEqual([]);
    expect(kinds.filter((k) => k === 'bundle').length).toBeLessThan(35);
  });

  it('--help, which registers every command, loads the bundle\'s chunks and Node built-ins, no package', async () => {
    const { code, urls } = await loaded(['--help']);
    expect(code).toBe(0);
    expect(urls.filter((u) => !u.startsWith('node:') && !u.startsWith('dist/bundle/'))).toEqual([]);
  });

  it.each([
    ['the scan pool', ['scan', join(FIXTURES, 'pickle', 'benign'), '--concurrency', '2', '--format', 'json'], 0, 'worker-scanners-pool-worker.mjs'],
    ['HDF5 attributes', ['scan', join(FIXTURES, 'formats'), '--format', 'json'], 1, 'worker-formats-hdf5-worker.mjs'],
    ['a lookahead regex', ['validate', join(datasets, 'small.csv'), '--suite', 'lookahead.json', '--no-poisoning', '--no-progress'], 0, 'worker-validation-suite-regex-worker.mjs'],
    ['hashing 587 files for sign', ['sign', join(FIXTURES, 'pickle'), '--key', 'release.key', '--output', 'pickle.sig.json'], 0, 'worker-lineage-hash-worker.mjs'],
  ] as const)('%s: the worker thread runs its bundled script, and nothing of the unbundled dist/', async (_name, args, code, script) => {
    const { code: got, urls } = await loaded([...args]);
    expect(got).toBe(code);
    expect(urls).toContain(`dist/bundle/${script}`);
    expect(urls.filter((u) => u.startsWith('dist/') && !u.startsWith('dist/bundle/'))).toEqual([]);
  });
});
