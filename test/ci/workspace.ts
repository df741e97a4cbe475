/** A CI checkout for the pipeline tests: a directory with a `.git` (the SARIF root) and fixtures copied in. */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** `files` maps a path in the workspace to the file copied there. */
export function gitWorkspace(dir: string, files: Record<string, string>): string {
  mkdirSync(join(dir, '.git'), { recursive: true });
  for (const [to, from] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, to)), { recursive: true });
    copyFileSync(from, join(dir, to));
  }
  return dir;
}
