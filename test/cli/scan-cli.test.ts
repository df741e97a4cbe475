/**
 * The command-line contract from architecture.md: exit codes, outputs, config and ignore files.
 * Runs the built CLI as a user would.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asm, evilP4, P } from '../helpers/pickle-asm.js';
import { runCli, runCliJson } from '../helpers/cli.js';

function workdir(files: Record<string, Uint8Array | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlvet-cli-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
const clean = asm(P.proto(2), P.global('collections', 'OrderedDict'), P.EMPTY_TUPLE, P.REDUCE, P.STOP);
const unknown = asm(P.proto(4), P.sbu('mylib.models'), P.sbu('Net'), P.STACK_GLOBAL, P.EMPTY_TUPLE, P.NEWOBJ, P.STOP);
const broken = asm(P.proto(2), P.NONE); // no STOP

describe('exit codes', () => {
  it.each([
    ['clean', { 'a.pkl': clean }, [], 0],
    ['finding at the default threshold', { 'a.pkl': evilP4() }, [], 1],
    ['medium finding under --fail-on high', { 'a.pkl': unknown }, ['--fail-on', 'high'], 0],
    ['medium finding at the default (medium)', { 'a.pkl': unknown }, [], 1],
    ['inconclusive only', { 'a.pkl': broken }, [], 2],
    ['finding and inconclusive: findings win', { 'a.pkl': evilP4(), 'b.pkl': broken }, [], 1],
    ['--fail-on none still reports inconclusive', { 'a.pkl': evilP4(), 'b.pkl': broken }, ['--fail-on', 'none'], 2],
  ] as const)('%s', async (_n, files, flags, code) => {
    const dir = workdir(files);
    expect((await runCli(['scan', '.', ...flags], { cwd: dir })).code).toBe(code);
  });

  it.each([
    ['missing target', ['scan', 'does-not-exist']],
    ['unknown flag', ['scan', '.', '--bogus']],
    ['unknown format', ['scan', '.', '--format', 'pdf']],
    ['bad --fail-on', ['scan', '.', '--fail-on', 'sometimes']],
    ['unsupported scheme', ['scan', 'ftp://host/x']],
    ['--concurrency that is not a number (was: nothing scanned, "clean")', ['scan', '.', '--concurrency', 'x']],
  ])('usage error (%s) is exit 3', async (_n, args) => {
    const r = await runCli(args, { cwd: workdir({ 'a.pkl': clean }) });
    expect(r.code).toBe(3);
    expect(r.stderr.length).toBeGreaterThan(0);
  });
});

describe('outputs', () => {
  it('writes several formats, each to its --output', async () => {
    const dir = workdir({ 'a.pkl': evilP4() });
    const r = await runCli(['scan', 'a.pkl', '-f', 'json', '-o', 'r.json', '-f', 'text', '-o', 'r.txt'], { cwd: dir });
    expect(r.code).toBe(1);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { findings: Array<{ ruleId: string }> };
    expect(json.findings.map((f) => f.ruleId)).toEqual(['pickle/code-execution']);
    expect(readFileSync(join(dir, 'r.txt'), 'utf8')).toContain('pickle/code-execution');
  });
  it('JSON report has the architecture shape', async () => {
    const { report } = await runCliJson(['scan', 'a.pkl'], { cwd: workdir({ 'a.pkl': evilP4() }) });
    expect(report).toMatchObject({ schemaVersion: 1, tool: { name: 'mlvet' }, summary: { critical: 1 } });
    const t = (report.targets as Array<Record<string, unknown>>)[0]!;
    expect(t.bytesRead).toBeGreaterThan(0);
    const f = (report.findings as Array<Record<string, unknown>>)[0]!;
    expect(f).toMatchObject({ ruleId: 'pickle/code-execution', severity: 'critical', location: { path: 'a.pkl', offset: 17 } });
    expect(String(f.fingerprint)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  it('never writes anywhere but --output', async () => {
    const dir = workdir({ 'a.pkl': clean });
    await runCli(['scan', 'a.pkl', '-f', 'json', '-o', 'out.json'], { cwd: dir });
    expect(existsSync(join(dir, 'out.json'))).toBe(true);
  });
});

describe('config and ignore files', () => {
  it('an invalid config names the bad field and exits 3', async () => {
    const dir = workdir({ 'a.pkl': clean, 'mlvet.config.json': JSON.stringify({ failOn: 'sometimes', budgets: { maxStackDepth: -1 } }) });
    const r = await runCli(['scan', 'a.pkl'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('CONFIG_INVALID');
    expect(r.stderr).toContain('/failOn');
    expect(r.stderr).toContain('/budgets/maxStackDepth');
  });
  it('config allow additions need a reason and remove unknown-global findings', async () => {
    const allow = [{ module: 'mylib.models', names: ['Net'], reason: 'our own model class' }];
    const dir = workdir({ 'a.pkl': unknown, 'mlvet.config.json': JSON.stringify({ allow }) });
    expect((await runCli(['scan', 'a.pkl'], { cwd: dir })).code).toBe(0);
    const noReason = workdir({ 'a.pkl': unknown, 'mlvet.config.json': JSON.stringify({ allow: [{ module: 'mylib.models', names: ['Net'] }] }) });
    expect((await runCli(['scan', 'a.pkl'], { cwd: noReason })).code).toBe(3);
  });
  it('config failOn is the default threshold', async () => {
    const dir = workdir({ 'a.pkl': unknown, 'mlvet.config.json': JSON.stringify({ failOn: 'critical' }) });
    expect((await runCli(['scan', 'a.pkl'], { cwd: dir })).code).toBe(0);
  });
  it('.mlvetignore suppresses by rule and glob, and the finding stays visible in JSON', async () => {
    const dir = workdir({ 'a.pkl': evilP4(), '.mlvetignore': 'pickle/code-execution *.pkl  # reviewed: test payload\n' });
    const { code, report } = await runCliJson(['scan', '.'], { cwd: dir });
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
    const s = (report.suppressed as Array<{ ruleId: string; suppression: { reason: string } }>)[0]!;
    expect(s.ruleId).toBe('pickle/code-execution');
    expect(s.suppression.reason).toBe('reviewed: test payload');
  });
  it('an expired ignore entry no longer applies', async () => {
    const dir = workdir({ 'a.pkl': evilP4(), '.mlvetignore': 'pickle/* a.pkl expires=2020-01-01 # old waiver\n' });
    expect((await runCli(['scan', '.'], { cwd: dir })).code).toBe(1);
  });
  it('an ignore entry without a reason is a usage error', async () => {
    const dir = workdir({ 'a.pkl': evilP4(), '.mlvetignore': 'pickle/code-execution a.pkl\n' });
    const r = await runCli(['scan', '.'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('.mlvetignore:1');
  });
});

describe('rules command', () => {
  it('lists the catalogue', async () => {
    const r = await runCli(['rules', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pickle/code-execution');
  });
  it('shows a rule with its documentation', async () => {
    const r = await runCli(['rules', 'show', 'pickle/unknown-global']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('## Why it matters');
  });
  it('an unknown rule is exit 3', async () => {
    expect((await runCli(['rules', 'show', 'nope/nothing'])).code).toBe(3);
  });
  it('an invalid extra rule pack is rejected with the file and field', async () => {
    const dir = workdir({ 'bad.json': JSON.stringify({ id: 'x/y', severity: 'urgent', title: 'x', message: 'x', match: { fact: 'a.b' } }) });
    const r = await runCli(['scan', 'bad.json', '--rules', dir], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('bad.json');
    expect(r.stderr).toContain('/severity');
  });
});
