/**
 * The CLI reads the same way in every command: `-o, --output` wherever something is written (the old
 * `--out` still works, out of --help), `--format` always the report format (`sign --manifest-format`
 * for the manifest layout), every format listed; EPIPE ends quietly; `.mlvetignore` globs are relative
 * to the ignore file; one progress bar, only on a terminal and never in CI.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { progressBar, progressLine } from '../../src/cli/progress.js';
import { scan } from '../../src/scan.js';
import { captureStream, CLI, ROOT, runCli } from '../helpers/cli.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'mlvet-consistency-'));

describe('output flags', () => {
  it.each(['scan', 'verify', 'validate', 'profile', 'sign', 'keygen'])('%s --help offers -o, --output and hides --out', async (command) => {
    const r = await runCli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}-o, --output <\w+>/m);
    expect(r.stdout).not.toMatch(/--out\b(?!put)/);
  });

  it.each(['scan', 'verify', 'validate'])('%s --help lists every report format', async (command) => {
    const help = (await runCli([command, '--help'])).stdout.replace(/\s+/g, ' ');
    for (const f of ['text', 'json', 'sarif', 'html', 'junit']) expect(help).toContain(`${f}`);
    if (command === 'validate') expect(help).toMatch(/-f, --format <format> [^-]*\bor gx\b/);
  });

  it('sign --help names the manifest layout --manifest-format and no longer shows --format', async () => {
    const r = await runCli(['sign', '--help']);
    expect(r.stdout).toContain('--manifest-format <format>');
    expect(r.stdout).not.toMatch(/--format\b/);
  });

  it.each([
    ['-o', 'k1'],
    ['--output', 'k2'],
    ['--out', 'k3'],
  ])('keygen %s writes NAME.key and NAME.pub', async (flag, name) => {
    const dir = tmp();
    expect((await runCli(['keygen', flag, name], { cwd: dir })).code).toBe(0);
    expect(existsSync(join(dir, `${name}.key`)) && existsSync(join(dir, `${name}.pub`))).toBe(true);
  });

  it.each<[string, string[]]>([
    ['sign -o, --manifest-format', ['-o', 'm.json', '--manifest-format', 'model-signing']],
    ['sign --out, --format (the old names)', ['--out', 'm.json', '--format', 'model-signing']],
  ])('%s: the same manifest layout', async (_name, flags) => {
    const dir = tmp();
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'w.bin'), 'weights');
    await runCli(['keygen', '--alg', 'p256', '-o', 'k'], { cwd: dir });
    const r = await runCli(['sign', 'model', '--key', 'k.key', '--no-progress', ...flags], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('in model-signing format');
    expect(readFileSync(join(dir, 'm.json'), 'utf8')).toContain('dsseEnvelope');
  });

  it.each([['--output'], ['--out']])('scan %s report.json writes the report there', async (flag) => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.txt'), 'hello');
    const r = await runCli(['scan', 'a.txt', flag, 'report.json', '-q'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toMatchObject({ command: 'scan' });
  });
});

describe('EPIPE', () => {
  it('mlvet rules list into a pipe closed early ends quietly with exit 0 (built CLI)', async () => {
    const child = spawn(process.execPath, [CLI, 'rules', 'list'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    // the reader goes away before the first write, as `| head` does once it has its lines
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('.mlvetignore paths are relative to the ignore file', () => {
  // README.md, "Config and suppressions", verbatim
  const README_LINE = 'pickle/unknown-global    models/legacy/*.pkl      expires=2027-01-31    # internal classes, ticket SEC-142\n';
  const PKL = join(ROOT, 'test', 'golden', 'fixtures', 'suppress', 'internal-model.pkl');

  function repo(): string {
    const dir = tmp();
    mkdirSync(join(dir, 'models', 'legacy'), { recursive: true });
    mkdirSync(join(dir, 'models', 'current'), { recursive: true });
    copyFileSync(PKL, join(dir, 'models', 'legacy', 'old.pkl'));
    copyFileSync(PKL, join(dir, 'models', 'current', 'new.pkl'));
    writeFileSync(join(dir, '.mlvetignore'), README_LINE);
    return dir;
  }

  it.each<[string, string[], string, string | undefined]>([
    ['the repository', ['.'], '', undefined],
    ['the models folder', ['models'], '', undefined],
    ['the legacy folder', ['models/legacy'], '', undefined],
    ['the file itself', ['models/legacy/old.pkl'], '', undefined],
    ['from a subdirectory, naming the ignore file', ['legacy'], 'models', '../.mlvetignore'],
  ])('the README example suppresses models/legacy/old.pkl when scanning %s', async (_name, targets, sub, ignoreFile) => {
    const dir = repo();
    const r = await scan({ targets, cwd: join(dir, sub), ...(ignoreFile ? { ignoreFile } : {}), now: new Date('2026-06-01T00:00:00Z') });
    const paths = (xs: Array<{ ruleId: string; location: { path: string } }>): string[] => xs.filter((f) => f.ruleId === 'pickle/unknown-global').map((f) => f.location.path);
    expect(paths(r.suppressed).map((p) => p.replace(/^.*\//, ''))).toEqual(['old.pkl']);
    expect(paths(r.findings).some((p) => p.endsWith('old.pkl'))).toBe(false);
  });

  it('does not suppress a file outside the glob, and an expired entry suppresses nothing', async () => {
    const dir = repo();
    const now = await scan({ targets: ['models'], cwd: dir, now: new Date('2026-06-01T00:00:00Z') });
    expect(now.findings.filter((f) => f.ruleId === 'pickle/unknown-global').map((f) => f.location.path)).toEqual(['current/new.pkl']);
    const later = await scan({ targets: ['models'], cwd: dir, now: new Date('2027-02-01T00:00:00Z') });
    expect(later.suppressed).toEqual([]);
  });
});

describe('progress', () => {
  it.each([
    ['files and bytes', { files: { done: 108, total: 244 }, bytes: { done: 1.2e9, total: 2.7e9 }, item: 'models/b.bin' }, 10, 'scanning [███████████░░░░░░░░░░░░░]   44%  108/244 files  1.2 GB/2.7 GB  120 MB/s  ETA 0:13  models/b.bin'],
    ['bytes only', { bytes: { done: 5e6, total: 2e7 } }, 2, 'scanning [██████░░░░░░░░░░░░░░░░░░]   25%  5.0 MB/20 MB  2.5 MB/s  ETA 0:06'],
    ['files only, done', { files: { done: 3, total: 3 } }, 2, 'scanning [████████████████████████]  100%  3/3 files  1.5 files/s'],
    ['no rate before half a second', { files: { done: 1, total: 4 } }, 0.2, 'scanning [██████░░░░░░░░░░░░░░░░░░]   25%  1/4 files'],
  ])('the line with %s', (_name, u, elapsed, line) => {
    expect(progressLine('scanning', u, elapsed)).toBe(line);
  });

  it.each<[string, { isTTY?: boolean }, NodeJS.ProcessEnv, boolean]>([
    ['a terminal', { isTTY: true }, {}, true],
    ['a terminal in CI', { isTTY: true }, { CI: 'true' }, false],
    ['a terminal with CI=false', { isTTY: true }, { CI: 'false' }, true],
    ['a pipe or file', {}, {}, false],
  ])('draws on %s', (_name, tty, env, draws) => {
    const stderr = captureStream(tty.isTTY ? { columns: 200 } : undefined);
    let t = 0;
    const bar = progressBar({ stderr, env }, 'hashing', true, { now: () => (t += 400) });
    bar.update?.({ bytes: { done: 10, total: 100 } });
    bar.update?.({ bytes: { done: 100, total: 100 } });
    bar.end();
    expect(stderr.text().includes('hashing [')).toBe(draws);
    if (draws) expect(stderr.text().endsWith('\r\x1b[2K')).toBe(true);
  });

  it('redraws at most every 100 ms, but always draws the final state', () => {
    const stderr = captureStream({ columns: 200 });
    let t = 0;
    const bar = progressBar({ stderr, env: {} }, 'x', true, { now: () => (t += 10) });
    for (let i = 1; i <= 50; i++) bar.update!({ files: { done: i, total: 50 } });
    expect(stderr.text().split('\r\x1b[2K').filter(Boolean).length).toBeLessThanOrEqual(6);
    expect(stderr.text()).toContain('50/50 files');
  });

  it('mlvet scan on a terminal draws files and bytes done of the total; the report is unchanged', async () => {
    const io = { stdout: captureStream(), stderr: captureStream({ columns: 300 }), cwd: join(ROOT, 'test', 'golden', 'fixtures'), env: { NO_COLOR: '1' } };
    const code = await run(['node', 'mlvet', 'scan', 'clean'], io);
    expect(code).toBe(0);
    expect(io.stderr.text()).toMatch(/scanning \[█+\] {2}100% {2}(\d+)\/\1 files {2}[\d.]+ (B|kB)\/[\d.]+ (B|kB)/);
    expect(io.stdout.text()).toContain('clean');
  });
});
