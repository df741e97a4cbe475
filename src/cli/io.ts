/**
 * What one CLI run may touch of the outside world: two output streams, a working directory and an
 * environment. `main.ts` hands in the process's own; tests hand in strings and a temp directory, so
 * many runs share one process without sharing state (no `process.chdir`, no `process.exitCode`).
 */
import { resolve } from 'node:path';

/** The part of a stream the CLI uses: text out, and whether (and how wide) it is a terminal. */
export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  /** relative paths on the command line are resolved against this */
  cwd: string;
  /** read instead of process.env: MLVET_*, NO_COLOR, FORCE_COLOR, and the remote sources' variables */
  env: NodeJS.ProcessEnv;
}

/** One run's state: its io and the exit code its command chose. Made fresh by every `run()`. */
export interface RunContext {
  io: CliIo;
  exitCode: number;
}

export function processIo(): CliIo {
  return { stdout: pipeSafe(process.stdout), stderr: pipeSafe(process.stderr), cwd: process.cwd(), env: process.env };
}

/**
 * A reader that stops early (`mlvet rules list | head`) closes the pipe, and Node reports EPIPE as an
 * error event, which used to end the run with a stack trace. Now the rest of the output is dropped
 * and the run ends as it would have, with its own exit code; other stream errors still surface.
 */
export function pipeSafe(s: NodeJS.WriteStream): CliStream {
  let closed = false;
  s.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  return {
    write: (text) => closed || s.write(text),
    get isTTY() {
      return s.isTTY;
    },
    get columns() {
      return s.columns;
    },
  };
}

/** A path as the user meant it: relative to the run's working directory. */
export function atCwd(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

/** NO_COLOR wins, then FORCE_COLOR, then whether the stream is a terminal (https://no-color.org). */
export function colorFor(stream: CliStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
