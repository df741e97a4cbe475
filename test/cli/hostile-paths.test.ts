/**
 * Paths a pull request can plant in the repository being vetted: a FIFO where a flag names a file
 * (a plain read would block forever) and a symlink where an output goes (a plain write would overwrite
 * its target, say ~/.ssh/authorized_keys). Both are refused at once with exit 3, and nothing is written.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';

let dir: string;
const MODEL = join(FIXTURES, 'demo', 'bert-mini');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlvet-hostile-'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  mkdirSync(join(dir, 'rules'));
  execFileSync('mkfifo', [join(dir, 'rules', 'evil.json')]);
  writeFileSync(join(dir, 'victim'), 'precious\n');
  const kg = await runCli(['keygen', '--out', join(dir, 'k')]);
  expect(kg.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (name: string): string => join(dir, name);

describe('a FIFO where a file is expected is refused, never read', () => {
  it.each([
    ['scan --config', () => ['scan', MODEL, '--config', at('fifo')]],
    ['scan --ignore', () => ['scan', MODEL, '--ignore', at('fifo')]],
    ['scan --rules <dir with a FIFO>', () => ['scan', MODEL, '--rules', at('rules')]],
    ['scan --manifest', () => ['scan', MODEL, '--manifest', at('fifo'), '--trusted-key', at('k.pub')]],
    ['verify --manifest', () => ['verify', MODEL, '--manifest', at('fifo'), '--trusted-key', at('k.pub')]],
    ['verify --trusted-key', () => ['verify', MODEL, '--manifest', at('fifo'), '--trusted-key', at('fifo')]],
    ['verify --trust', () => ['verify', MODEL, '--manifest', at('fifo'), '--trust', at('fifo')]],
    ['sign --key', () => ['sign', MODEL, '--key', at('fifo'), '--out', at('m.json')]],
    ['sign --transform', () => ['sign', MODEL, '--key', at('k.key'), '--transform', at('fifo'), '--out', at('m2.json')]],
    ['report merge', () => ['report', 'merge', at('fifo')]],
    ['validate --suite', () => ['validate', join(FIXTURES, 'datasets', 'small.csv'), '--suite', at('fifo')]],
    ['validate --baseline', () => ['validate', join(FIXTURES, 'datasets', 'small.csv'), '--baseline', at('fifo')]],
    ['validate --checks', () => ['validate', join(FIXTURES, 'datasets', 'small.csv'), '--checks', at('fifo')]],
    ['validate <a FIFO as the dataset>', () => ['validate', at('fifo')]],
    ['profile <a FIFO as the dataset>', () => ['profile', at('fifo'), '--out', at('never.json')]],
  ])('%s', async (_name, args) => {
    const started = Date.now();
    const r = await runCli(args());
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/a FIFO, not a regular file|not a regular file or a directory/);
    expect(Date.now() - started).toBeLessThan(8000);
  }, 10_000);
});

describe('an output path that is a symlink is refused, and its target is untouched', () => {
  const link = (name: string, to = at('victim')): string => {
    const p = at(name);
    rmSync(p, { force: true });
    symlinkSync(to, p);
    return p;
  };

  it.each([
    ['scan --output (by extension)', () => ['scan', MODEL, '--output', link('out.sarif')]],
    ['scan --format json --output', () => ['scan', MODEL, '--format', 'json', '--output', link('out.json')]],
    ['scan --output to a dangling link', () => ['scan', MODEL, '--output', link('dangling.json', at('nowhere/x'))]],
    ['keygen --out --force over a planted .key link', () => (link('kk.key'), ['keygen', '--out', at('kk'), '--force'])],
    ['sign --out', () => ['sign', MODEL, '--key', at('k.key'), '--out', link('m.sigstore.json'), '--no-progress']],
  ])('%s', async (_name, args) => {
    const r = await runCli(args());
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('symbolic link; refusing to write through it');
    expect(readFileSync(at('victim'), 'utf8')).toBe('precious\n');
    expect(existsSync(at('nowhere'))).toBe(false);
  }, 20_000);

  it('a regular file is replaced whole, and no temp file is left beside it', async () => {
    const out = at('report.json');
    writeFileSync(out, 'old');
    const r = await runCli(['scan', MODEL, '--output', out]);
    expect(r.code).toBe(1);
    expect(lstatSync(out).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ command: 'scan' });
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 20_000);

  it('keygen without --force refuses an existing key file', async () => {
    writeFileSync(at('kept.key'), 'mine');
    const r = await runCli(['keygen', '--out', at('kept')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('exists; pass --force to overwrite');
    expect(readFileSync(at('kept.key'), 'utf8')).toBe('mine');
  });
});

describe('a dataset directory never reads through a link out of itself', () => {
  it('a planted train.csv -> a file outside is refused (exit 3) and its contents never printed', async () => {
    const ds = at('ds-out');
    mkdirSync(ds);
    writeFileSync(at('secret.csv'), 'token\nsupersecretvalue\n');
    symlinkSync(at('secret.csv'), join(ds, 'train.csv'));
    const r = await runCli(['validate', ds, '--format', 'json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('links outside the dataset');
    expect(r.stdout + r.stderr).not.toContain('supersecretvalue');
  }, 20_000);

  it('a link that stays inside the dataset is followed', async () => {
    const ds = at('ds-in');
    mkdirSync(join(ds, 'data'), { recursive: true });
    writeFileSync(join(ds, 'data', 'part-0.csv'), 'a,b\n1,2\n3,4\n');
    symlinkSync('data/part-0.csv', join(ds, 'train.csv'));
    // --poisoning: validate with nothing to check is a usage error (exit 3) of its own
    const r = await runCli(['validate', ds, '--poisoning', '--format', 'json']);
    expect(r.code, r.stderr).not.toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'validate', targets: [{ files: 2 }] });
  }, 20_000);
});
