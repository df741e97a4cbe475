/**
 * Test helpers shared by every suite: run the CLI in this process through `run()` (what almost every
 * test wants: the same argv, exit code and output a user gets, in milliseconds), or spawn the built
 * CLI when the test is about the process itself (test/cli/contract.test.ts; needs `npm run build`).
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo, CliStream } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'fixtures');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** default: the repository root */
  cwd?: string;
  /** added to this process's environment (NO_COLOR=1 unless given) */
  env?: NodeJS.ProcessEnv;
}

/** A stream that keeps what is written; `tty` makes it look like a terminal (progress, colour). */
export function captureStream(tty?: { columns: number }): CliStream & { text(): string } {
  const chunks: string[] = [];
  return { write: (s: string) => chunks.push(s), text: () => chunks.join(''), ...(tty ? { isTTY: true, columns: tty.columns } : {}) };
}

export function captureIo(opts: CliOptions = {}): CliIo & { stdout: ReturnType<typeof captureStream>; stderr: ReturnType<typeof captureStream> } {
  return { stdout: captureStream(), stderr: captureStream(), cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } };
}

/** `mlvet <args>` in this process: exit code and everything it wrote. */
export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const io = captureIo(opts);
  const code = await run(['node', 'mlvet', ...args], io);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

/** `runCli` with `--format json`, the report parsed. */
export async function runCliJson(args: string[], opts: CliOptions = {}): Promise<CliResult & { report: Record<string, unknown> }> {
  const r = await runCli([...args, '--format', 'json'], opts);
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout.slice(0, 500)}\n${r.stderr.slice(0, 2000)}`);
  }
  return { ...r, report };
}

/**
 * The built CLI in a child process, without blocking this one (a test's servers may share its event
 * loop). `code` is null when a signal ended it.
 */
export function spawnCli(args: string[], opts: CliOptions & { input?: string; timeoutMs?: number; exec?: string } = {}): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  // exec: run that file itself (an npm bin link, through its shebang) instead of `node dist/cli/main.js`
  const [cmd, argv] = opts.exec ? [opts.exec, args] : [process.execPath, [CLI, ...args]];
  return new Promise((done, fail) => {
    const child = spawn(cmd, argv, { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`mlvet ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 60_000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? -1, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}
