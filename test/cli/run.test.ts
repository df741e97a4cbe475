/**
 * run(argv, io) keeps each run to its own io: output, working directory, environment and exit code.
 * This is what lets every other CLI test run in-process; test/cli/contract.test.ts covers the process.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { VERSION } from '../../src/findings/report.js';
import { captureIo, captureStream, ROOT, runCli } from '../helpers/cli.js';
import { asm, evilP4, P } from '../helpers/pickle-asm.js';

function workdir(files: Record<string, Uint8Array | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlvet-run-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
const clean = asm(P.proto(2), P.global('collections', 'OrderedDict'), P.EMPTY_TUPLE, P.REDUCE, P.STOP);
const ESC = '\x1b[';

describe("commander's own output goes to io", () => {
  it.each<[string, string[], number, unknown, unknown]>([
    ['--version', ['--version'], 0, `${VERSION}\n`, ''],
    ['--help', ['--help'], 0, expect.stringMatching(/^Usage: mlvet \[options\] \[command\]\n/), ''],
    ['scan --help', ['scan', '--help'], 0, expect.stringMatching(/^Usage: mlvet scan \[options\] <target\.\.\.>\n/), ''],
    ['an unknown command', ['bogus'], 3, '', expect.stringMatching(/^error: unknown command 'bogus'\n/)],
    ['a missing argument', ['scan'], 3, '', expect.stringMatching(/^error: missing required argument 'target'\n/)],
  ])('%s', async (_n, args, code, stdout, stderr) => {
    expect(await runCli(args)).toEqual({ code, stdout, stderr });
  });
});

describe('runs in one process do not share state', () => {
  it('a failing run then a clean one: each returns its own exit code', async () => {
    const bad = workdir({ 'a.pkl': evilP4() });
    const good = workdir({ 'a.pkl': clean });
    const codes = [];
    for (const cwd of [bad, good, bad]) codes.push((await runCli(['scan', '.', '-q', '-f', 'json', '-o', 'r.json'], { cwd })).code);
    expect(codes).toEqual([1, 0, 1]);
  });
  it('concurrent runs keep their own cwd, output and exit code', async () => {
    const dirs = [workdir({ 'a.pkl': evilP4() }), workdir({ 'b.pkl': clean })];
    const runs = await Promise.all(dirs.map((cwd) => runCli(['scan', '.', '--format', 'json'], { cwd })));
    const seen = runs.map((r) => [r.code, (JSON.parse(r.stdout) as { targets: Array<{ uri: string; files: number }> }).targets.map((t) => [t.uri, t.files])]);
    expect(seen).toEqual([
      [1, [['.', 1]]],
      [0, [['.', 1]]],
    ]);
  });
  it('relative --output is written under io.cwd, not the process directory', async () => {
    const cwd = workdir({ 'a.pkl': clean });
    const name = `mlvet-run-${process.pid}.json`;
    expect((await runCli(['scan', 'a.pkl', '-o', name], { cwd })).code).toBe(0);
    expect([existsSync(join(cwd, name)), existsSync(join(ROOT, name)), existsSync(join(process.cwd(), name))]).toEqual([true, false, false]);
  });
});

describe('terminal behaviour follows io, not the process', () => {
  it.each([
    ['NO_COLOR wins', { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    ['FORCE_COLOR colours a pipe', { NO_COLOR: '', FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR=0 does not', { NO_COLOR: '', FORCE_COLOR: '0' }, false],
  ])('%s', async (_n, env, coloured) => {
    const r = await runCli(['scan', 'a.pkl'], { cwd: workdir({ 'a.pkl': evilP4() }), env });
    expect([r.code, r.stdout.includes(ESC)]).toEqual([1, coloured]);
  });
  it.each([
    ['a terminal gets the progress line, cleared at the end', true],
    ['a pipe gets none', false],
  ] as const)('%s', async (_n, tty) => {
    const io = { ...captureIo({ cwd: workdir({ 'a.pkl': clean }), env: { CI: '' } }), stderr: captureStream(tty ? { columns: 60 } : undefined) };
    expect(await run(['node', 'mlvet', 'scan', '.', '--format', 'json'], io)).toBe(0);
    // each draw starts by erasing the line, and the last write erases it, so nothing is left behind
    const draws = io.stderr.text().split('\r\x1b[2K');
    expect([draws[0], draws.at(-1), draws.some((d) => d.startsWith('scanning [') && d.includes('1/1 files'))]).toEqual(['', '', tty]);
  });
});
