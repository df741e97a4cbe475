/**
 * The SARIF root: `--sarif-root DIR`, else the git top level above the cwd, else the cwd. GitHub
 * resolves a SARIF uri against the repository root, so that is where URIs start. The top level is
 * found by walking up to a `.git` entry (a directory, or a file in worktrees and submodules): no git
 * process, nothing read from it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export function gitTopLevel(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (let i = 0; i < 256; i++) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

export function sarifRoot(flag: string | undefined, cwd: string): string {
  return flag !== undefined ? resolve(cwd, flag) : (gitTopLevel(cwd) ?? resolve(cwd));
}
