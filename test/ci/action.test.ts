/* eslint-disable @typescript-eslint/no-unsafe-member-access -- these tests walk parsed SARIF */
/**
 * The GitHub Action end to end: action.yml is parsed (js-yaml), and its steps' `run:` scripts are
 * executed as the runner does (`bash --noprofile --norc -eo pipefail <file>`, inputs through the
 * step's `env:` with `${{ }}` expressions evaluated), in a temporary git workspace holding fixtures,
 * with GITHUB_ACTION_PATH at this repository and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY as temp files.
 * The SARIF it writes is checked against the SARIF 2.1.0 schema and GitHub's rules. `uses:` steps
 * (actions/setup-node) cannot run here; the test turns them off through their `if:` input and fails
 * if any other would run. Needs the built CLI (`npm test` builds first).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers/cli.js';
import { gitWorkspace } from './workspace.js';
import { githubProblems } from '../reporters/sarif-github.js';
import { errorsOf, sarifValidator } from '../schemas/validators.js';

const run = promisify(execFile);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const validate = sarifValidator();
const tmp = mkdtempSync(join(tmpdir(), 'mlvet-action-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  // the action runs the bundled CLI in dist/; build once when this checkout has none with the reporters it uses
  const needed = ['bundle/mlvet.mjs', 'reporters/markdown.js', 'cli/sarif-root.js'].map((f) => join(ROOT, 'dist', f));
  if (!needed.every((f) => existsSync(f))) await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 240_000 });
}, 250_000);

interface Ctx {
  inputs: Record<string, string>;
  workspace: string;
  steps: Record<string, Record<string, string>>;
}

/** `${{ inputs.x }}`, `${{ github.workspace }}`, `${{ steps.id.outputs.x }}`: all this action uses */
function value(expr: string, ctx: Ctx): string {
  const e = expr.trim();
  let m: RegExpExecArray | null;
  if ((m = /^inputs\.([\w-]+)$/.exec(e))) return ctx.inputs[m[1]!] ?? '';
  if (e === 'github.workspace') return ctx.workspace;
  if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e))) return ctx.steps[m[1]!]?.[m[2]!] ?? '';
  throw new Error(`expression the test cannot evaluate: ${e}`);
}
const interpolate = (s: string, ctx: Ctx): string => s.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => value(e, ctx));

function condition(expr: string | undefined, ctx: Ctx): boolean {
  if (expr === undefined) return true;
  const m = /^\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*$/.exec(expr.replace(/^\$\{\{|\}\}$/g, ''));
  if (!m) throw new Error(`if: the test cannot evaluate: ${expr}`);
  const same = value(m[1]!, ctx) === m[3];
  return m[2] === '==' ? same : !same;
}

function parseOutputs(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

interface ActionRun {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

/** Run the action as a runner would, in a fresh workspace with a .git and the given files. */
async function runAction(name: string, given: Record<string, string>, files: Record<string, string>): Promise<ActionRun> {
  const workspace = gitWorkspace(join(tmp, name), files);
  const outFile = join(tmp, `${name}.out`);
  const summaryFile = join(tmp, `${name}.md`);
  writeFileSync(outFile, '');
  writeFileSync(summaryFile, '');
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(action.inputs)) if (v.default !== undefined) inputs[k] = v.default;
  // the runner's node (this one) instead of actions/setup-node
  Object.assign(inputs, { 'node-version': '' }, given);
  const ctx: Ctx = { inputs, workspace, steps: {} };
  let code = 0;
  let stdout = '';
  for (const [i, step] of action.runs.steps.entries()) {
    if (!condition(step.if, ctx)) continue;
    if (step.uses) throw new Error(`step ${step.name ?? i} (uses: ${step.uses}) would run, and this test cannot run it`);
    expect(step.shell).toBe('bash');
    const script = join(tmp, `${name}-step${i}.sh`);
    writeFileSync(script, interpolate(step.run!, ctx));
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]));
    const before = readFileSync(outFile, 'utf8').length;
    try {
      const r = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: join(workspace, interpolate(step['working-directory'] ?? '.', ctx)),
        timeout: 60_000,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: outFile, GITHUB_STEP_SUMMARY: summaryFile, ...env },
      });
      stdout += r.stdout;
    } catch (e) {
      const err = e as { code?: number; stdout?: string };
      stdout += err.stdout ?? '';
      code = typeof err.code === 'number' ? err.code : -1;
    }
    if (step.id) ctx.steps[step.id] = parseOutputs(readFileSync(outFile, 'utf8').slice(before));
    if (code !== 0) break;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, interpolate(v.value, ctx)]));
  return { code, stdout, outputs, summary: readFileSync(summaryFile, 'utf8'), workspace };
}

const EVIL = join(ROOT, 'test', 'golden', 'fixtures', 'malicious', 'malicious-os-system.pkl');
const CLEAN = join(ROOT, 'test', 'golden', 'fixtures', 'clean', 'benign-protocol2.pkl');
const sarifOf = (r: ActionRun): Json => JSON.parse(readFileSync(join(r.workspace, r.outputs['sarif-file']!), 'utf8')) as Json;

describe('action.yml', () => {
  it('is a composite action whose outputs come from the run step', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['command', 'targets', 'fail-on', 'formats', 'output-dir', 'sarif-category']));
    expect(action.outputs['sarif-file']!.value).toBe('${{ steps.mlvet.outputs.sarif-file }}');
    // inputs reach scripts only through env: a target named `$(rm -rf ~)` stays a string
    for (const s of action.runs.steps) expect(s.run ?? '').not.toMatch(/\$\{\{/);
  });

  it.each<[string, Record<string, string>, Record<string, string>, number, string, RegExp]>([
    ['scan, a malicious model', { targets: 'models' }, { 'models/evil.pkl': EVIL }, 1, '1', /^## ❌ mlvet scan: 1 finding \(1 critical\)/m],
    ['scan, a clean model', { targets: 'models' }, { 'models/ok.pkl': CLEAN }, 0, '0', /^## ✅ mlvet scan: clean/m],
    ['fail: false keeps the step green and says the code', { targets: 'models', fail: 'false' }, { 'models/evil.pkl': EVIL }, 0, '1', /❌ mlvet scan/],
    ['validate with a suite from args', { command: 'validate', targets: 'data/small.csv', args: '--suite suite.json' }, { 'data/small.csv': join(FIXTURES, 'datasets', 'small.csv'), 'suite.json': join(FIXTURES, 'datasets', 'suite-failing.json') }, 1, '1', /❌ mlvet validate/],
  ])('%s', async (name, inputs, files, stepCode, exitCode, heading) => {
    const r = await runAction(name.replace(/\W+/g, '-'), inputs, files);
    expect(r.code, r.stdout).toBe(stepCode);
    expect(r.outputs['exit-code']).toBe(exitCode);
    expect(r.outputs['sarif-file']).toBe('mlvet-results/mlvet.sarif');
    expect(r.summary).toMatch(heading);
    const doc = sarifOf(r);
    expect(validate(doc), errorsOf(validate)).toBe(true);
    expect(githubProblems(doc)).toEqual([]);
    expect(doc.runs[0].automationDetails.id).toBe(`mlvet/${inputs.command ?? 'scan'}/${inputs.targets}/`);
    for (const res of doc.runs[0].results) expect(res.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
    expect(existsSync(join(r.workspace, 'mlvet-results', 'mlvet.json'))).toBe(true);
  });

  it('formats, sarif-category and several targets, one per line', async () => {
    const r = await runAction('formats', { targets: 'a\nb\n', formats: 'json, cyclonedx junit', 'sarif-category': 'models/nightly' }, { 'a/evil.pkl': EVIL, 'b/ok.pkl': CLEAN });
    expect(r.outputs['exit-code']).toBe('1');
    for (const f of ['mlvet.sarif', 'mlvet.md', 'mlvet.json', 'mlvet.cdx.json', 'mlvet.xml']) expect(existsSync(join(r.workspace, 'mlvet-results', f)), f).toBe(true);
    const doc = sarifOf(r);
    expect(doc.runs[0].automationDetails.id).toBe('models/nightly/');
    expect(doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'a/evil.pkl', uriBaseId: '%SRCROOT%' });
    expect(githubProblems(doc)).toEqual([]);
  });

  it.each([
    ['an unknown command', { command: 'rm', targets: 'x' }, /command must be scan, validate, verify or audit/],
    ['an unknown format', { targets: 'x', formats: 'pdf' }, /unknown format 'pdf'/],
    ['no targets', { targets: ' ' }, /no targets given/],
  ])('%s is a usage error (exit 3) with an annotation', async (name, inputs, message) => {
    const r = await runAction(name.replace(/\W+/g, '-'), inputs, {});
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^::error title=mlvet::/m);
    expect(r.stdout).toMatch(message);
  });
});
