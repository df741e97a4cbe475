/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- these tests walk parsed SARIF */
/**
 * SARIF that GitHub code scanning accepts: every rule of test/reporters/sarif-github.ts holds for
 * what mlvet writes (hand-built reports and real CLI runs on fixtures), each rule catches its own
 * violation, the limits are kept with a note when results are dropped, and automation ids and
 * fingerprints behave across runs and targets.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitTopLevel } from '../../src/cli/sarif-root.js';
import type { Report } from '../../src/model/report.js';
import { DROPPED_ID, LINE_HASH_KEY, renderSarif } from '../../src/reporters/sarif.js';
import { fitGzip, keepTop } from '../../src/reporters/sarif-limits.js';
import { FIXTURES, ROOT, runCli } from '../helpers/cli.js';
import { errorsOf, sarifValidator } from '../schemas/validators.js';
import { GITHUB_RULES, githubProblems } from './sarif-github.js';
import { finding, kitchenSink, report, suppressed } from './sample.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const validate = sarifValidator();
const sarif = (r: Report, opts = {}): Json => JSON.parse(renderSarif(r, opts)) as Json;
const tmp = mkdtempSync(join(tmpdir(), 'mlvet-sarif-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const remote = report({
  targets: [{ uri: 'hf://org/model@main', kind: 'hf', resolvedRevision: 'a'.repeat(40) }, { uri: 's3://b/p', kind: 's3' }],
  findings: [
    finding('pickle/code-execution', 'critical', { target: 'hf://org/model@main', path: 'pytorch_model.bin', member: 'archive/data.pkl', offset: 3 }),
    finding('pickle/code-execution', 'critical', { target: 's3://b/p', path: 'x/a.pkl', offset: 3 }),
  ],
});

describe('GitHub rules: each one catches its own violation', () => {
  it.each(GITHUB_RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    const doc = sarif(kitchenSink(), { srcRoot: '/work/repo' });
    expect(rule.check(doc)).toEqual([]);
    rule.breakIt(doc);
    expect(rule.check(doc).length).toBeGreaterThan(0);
  });
});

describe('GitHub rules hold for what mlvet writes', () => {
  it.each<[string, Report, Record<string, string>]>([
    ['every location shape', kitchenSink(), { srcRoot: '/work/repo' }],
    ['no root given', kitchenSink(), {}],
    ['remote targets', remote, { srcRoot: '/work/repo' }],
    ['a target outside the root', report({ targets: [{ uri: '/elsewhere' }], findings: [finding('x/y', 'low', { target: '/elsewhere', path: 'a.pkl' })] }), { srcRoot: '/work/repo' }],
    ['a failure with an empty path', report({ inconclusive: [{ path: '', code: 'NOT_FOUND', message: 'gone' }] }), { srcRoot: '/work/repo' }],
  ])('%s', (_name, r, opts) => {
    const doc = sarif(r, opts);
    expect(validate(doc), errorsOf(validate)).toBe(true);
    expect(githubProblems(doc)).toEqual([]);
  });

  it('the CLI: scan of a malicious directory', async () => {
    const doc = JSON.parse((await runCli(['scan', 'test/golden/fixtures/malicious', '--format', 'sarif'], { cwd: ROOT })).stdout) as Json;
    expect(validate(doc), errorsOf(validate)).toBe(true);
    expect(githubProblems(doc)).toEqual([]);
    expect(doc.runs[0].results.length).toBeGreaterThan(0);
  });

  it('the CLI: validate; a failed expectation points at the CSV line of its first bad row', async () => {
    const r = await runCli(['validate', 'fixtures/datasets/small.csv', '--suite', 'fixtures/datasets/suite-failing.json', '--format', 'sarif'], { cwd: ROOT });
    const doc = JSON.parse(r.stdout) as Json;
    expect(validate(doc), errorsOf(validate)).toBe(true);
    expect(githubProblems(doc)).toEqual([]);
    const res = doc.runs[0].results.find((x: Json) => x.properties.row !== undefined);
    expect(res.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'fixtures/datasets/small.csv', uriBaseId: '%SRCROOT%' },
      region: { startLine: res.properties.row + 1 },
    });
    const lines = readFileSync(join(FIXTURES, 'datasets', 'small.csv'), 'utf8').split('\n');
    // the row's id column is row - 1; the line GitHub shows starts with it
    expect(lines[res.properties.row]!.split(',')[0]).toBe(String(res.properties.row - 1));
  });
});

describe('GitHub limits are kept, and a note says what was dropped', () => {
  it('25,001 findings: the 25,000 worst stay, suppressed and low ones go first', () => {
    const many = Array.from({ length: 25_000 }, (_, i) => finding('x/low', 'low', { target: 'models', path: `f${i}.pkl` }));
    const crit = finding('x/crit', 'critical', { target: 'models', path: 'evil.pkl' });
    const sup = suppressed(finding('x/crit', 'critical', { target: 'models', path: 'ok.pkl' }));
    const doc = sarif(report({ findings: [...many, crit], suppressed: [sup] }), { srcRoot: '/r' });
    const run = doc.runs[0];
    expect(run.results).toHaveLength(25_000);
    expect(run.results.filter((x: Json) => x.ruleId === 'x/crit' && !x.suppressions)).toHaveLength(1);
    expect(run.results.filter((x: Json) => x.suppressions)).toHaveLength(0);
    const note = run.invocations[0].toolExecutionNotifications.find((n: Json) => n.descriptor.id === DROPPED_ID);
    expect(note.properties).toEqual({ kept: 25_000, total: 25_002, dropped: 2, droppedBySeverity: { low: 1, critical: 1 } });
    expect(githubProblems(doc)).toEqual([]);
  });

  it('nothing dropped, no note', () => {
    const notes = sarif(kitchenSink()).runs[0].invocations[0].toolExecutionNotifications;
    expect(notes.map((n: Json) => n.descriptor.id)).toEqual(['TRUNCATED']);
  });

  it.each([
    [[5, 1, 3, 2], 2, [5, 3]],
    [[1, 1, 1], 2, [1, 1]],
    [[1, 2], 5, [1, 2]],
  ])('keepTop(%j, %i) keeps %j in order', (ranks, max, kept) => {
    expect(keepTop(ranks.map((rank) => ({ item: rank, rank })), max)).toEqual(kept);
  });

  it('fitGzip finds the most results under a byte limit', () => {
    const render = (n: number): string => Array.from({ length: n }, (_, i) => `${i}:${Math.sin(i)}`).join('\n');
    const { n, text } = fitGzip(5000, render, 4096);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(5000);
    expect(text).toBe(render(n));
  });
});

describe('automationDetails.id: one category per command and target', () => {
  const one = (command: string, uri: string, path: string): Report => ({ ...report({ targets: [{ uri }], findings: [finding('x/y', 'high', { target: uri, path })] }), command });
  it.each<[string, Report, Record<string, string>, string]>([
    ['scan of a directory', one('scan', 'models', 'a.pkl'), { srcRoot: '/r' }, 'mlvet/scan/models/'],
    ['the same from a subdirectory', one('scan', '../models', 'a.pkl'), { srcRoot: '/r', cwd: '/r/sub' }, 'mlvet/scan/models/'],
    ['a nested target keeps its path in the category', one('scan', 'models/base', 'a.pkl'), { srcRoot: '/r' }, 'mlvet/scan/models/base/'],
    ['validate of a file', one('validate', 'data/train.csv', 'data/train.csv'), { srcRoot: '/r' }, 'mlvet/validate/data/train.csv/'],
    ['verify of a remote target', one('verify', 'hf://org/m@main', 'a.bin'), { srcRoot: '/r' }, 'mlvet/verify/hf://org/m@main/'],
    ['--sarif-category', one('scan', 'models', 'a.pkl'), { srcRoot: '/r', sarifCategory: 'nightly/models' }, 'nightly/models/'],
  ])('%s', (_name, r, opts, id) => {
    expect(sarif(r, opts).runs[0].automationDetails).toEqual({ id });
  });
});

describe('partialFingerprints', () => {
  const hashes = (r: Report, opts = {}): string[] => sarif(r, opts).runs[0].results.map((x: Json) => x.partialFingerprints[LINE_HASH_KEY]);
  const at = (target: string, path: string, offset = 5): Report =>
    report({ targets: [{ uri: target }], findings: [finding('x/y', 'high', { target, path, offset }, { evidence: { key: 'posix.system' } })] });

  it('stable across runs: the same finding from another directory or spelling of the target', () => {
    const a = hashes(at('models', 'a.pkl'), { srcRoot: '/r' });
    expect(hashes(at('./models/', 'a.pkl'), { srcRoot: '/r' })).toEqual(a);
    expect(hashes(at('../models', 'a.pkl'), { srcRoot: '/r', cwd: '/r/sub' })).toEqual(a);
    expect(hashes(at('/r/models', 'a.pkl'), { srcRoot: '/r' })).toEqual(a);
  });

  it('distinct across targets, offsets and keys', () => {
    const two = report({
      targets: [{ uri: 'a' }, { uri: 'b' }],
      findings: [finding('x/y', 'high', { target: 'a', path: 'm.pkl', offset: 5 }), finding('x/y', 'high', { target: 'b', path: 'm.pkl', offset: 5 })],
    });
    const h = hashes(two, { srcRoot: '/r' });
    expect(new Set(h).size).toBe(2);
    expect(hashes(at('models', 'a.pkl', 6), { srcRoot: '/r' })).not.toEqual(hashes(at('models', 'a.pkl'), { srcRoot: '/r' }));
  });

  it('the same file named twice (two targets over one file) is two occurrences', () => {
    const twice = report({
      targets: [{ uri: 'models' }, { uri: 'models/a.pkl' }],
      findings: [finding('x/y', 'high', { target: 'models', path: 'a.pkl', offset: 5 }), finding('x/y', 'high', { target: 'models/a.pkl', path: 'a.pkl', offset: 5 })],
    });
    const h = hashes(twice, { srcRoot: '/r' });
    expect(h.map((x) => x.split(':')[1])).toEqual(['1', '2']);
    expect(h[0]!.split(':')[0]).toBe(h[1]!.split(':')[0]);
  });
});

describe('--sarif-root and the git top level', () => {
  const repo = join(tmp, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'sub', 'models'), { recursive: true });
  writeFileSync(join(repo, 'sub', 'models', 'evil.pkl'), readFileSync(join(FIXTURES, '..', 'test', 'golden', 'fixtures', 'malicious', 'malicious-os-system.pkl')));

  it.each([
    ['the git top level by default', [] as string[], 'sub/models/evil.pkl'],
    ['--sarif-root .', ['--sarif-root', '.'], 'models/evil.pkl'],
    ['--sarif-root models', ['--sarif-root', 'models'], 'evil.pkl'],
  ])('%s', async (_name, flags, uri) => {
    const r = await runCli(['scan', 'models', '--format', 'sarif', ...flags], { cwd: join(repo, 'sub') });
    const doc = JSON.parse(r.stdout) as Json;
    expect(doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri, uriBaseId: '%SRCROOT%' });
    expect(githubProblems(doc)).toEqual([]);
  });

  it.each([
    [join(repo, 'sub', 'models'), repo],
    [repo, repo],
    ['/', undefined],
  ])('gitTopLevel(%s) = %s', (dir, top) => {
    expect(gitTopLevel(dir)).toBe(top);
  });
});
