/**
 * The few things only a real process can show: `dist/cli/main.js` turns run()'s result into the
 * process's exit code, its output survives a pipe, it runs as an npm bin through its shebang, and an
 * unexpected error ends as one line and exit 3, not a stack trace. Everything else about
 * commands is tested in-process (test/helpers/cli.ts `runCli`). Needs `npm run build`.
 */
import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/findings/report.js';
import { asm, evilP4, P } from '../helpers/pickle-asm.js';
import { CLI, ROOT, runCli, spawnCli } from '../helpers/cli.js';

function workdir(files: Record<string, Uint8Array | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlvet-contract-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
const clean = asm(P.proto(2), P.global('collections', 'OrderedDict'), P.EMPTY_TUPLE, P.REDUCE, P.STOP);
const broken = asm(P.proto(2), P.NONE); // no STOP

describe.concurrent('the built CLI as a process', () => {
  it.each([
    ['clean', { 'a.pkl': clean }, 0, []],
    ['a finding', { 'a.pkl': evilP4() }, 1, ['pickle/code-execution']],
    ['inconclusive only', { 'a.pkl': broken }, 2, []],
  ] as const)('%s: the exit code is the process exit code, the JSON report arrives whole on a pipe', async (_n, files, code, rules) => {
    const r = await spawnCli(['scan', '.', '--format', 'json'], { cwd: workdir(files) });
    expect([r.code, r.signal, r.stderr]).toEqual([code, null, '']);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> };
    expect(report.findings.map((f) => f.ruleId)).toEqual(rules);
  });

  it('a usage error from commander is exit 3 with the reason on stderr and nothing on stdout', async () => {
    const r = await spawnCli(['scan', '.', '--bogus'], { cwd: workdir({ 'a.pkl': clean }) });
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });

  it('an unexpected (non-mlvet) error is one line and exit 3, never a stack trace', async () => {
    // a report with the right version but no targets trips over `targets` inside the merge: a plain
    // TypeError, not an MlvetError (if merge learns to reject it, pick another such input)
    const dir = workdir({ 'r.json': JSON.stringify({ schemaVersion: 1, findings: [] }) });
    const r = await spawnCli(['report', 'merge', 'r.json'], { cwd: dir });
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(r.stderr).toMatch(/^mlvet: error: [^\n]+\n$/);
  });

  it('large output through a pipe is complete and equals the in-process output', async () => {
    const [spawned, inProcess] = await Promise.all([spawnCli(['rules', 'list', '--json']), runCli(['rules', 'list', '--json'])]);
    expect(spawned.code).toBe(0);
    expect(spawned.stdout.length).toBeGreaterThan(16_384);
    expect(spawned.stdout).toBe(inProcess.stdout);
  });

  it.each([
    ['the package bin (the bundle)', (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { mlvet: string } }).bin.mlvet],
    ['dist/cli/main.js', CLI.slice(ROOT.length + 1)],
  ])('%s runs as a bin through its shebang and prints --version on stdout', async (_what, rel) => {
    const file = join(ROOT, rel);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    // as npm links a bin: an executable file behind node_modules/.bin/<name>, node found on PATH
    chmodSync(file, 0o755);
    const bin = join(mkdtempSync(join(tmpdir(), 'mlvet-bin-')), 'mlvet');
    symlinkSync(file, bin);
    const r = await spawnCli(['--version'], { exec: bin, env: { PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter) } });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `${VERSION}\n`, '']);
  });
});
