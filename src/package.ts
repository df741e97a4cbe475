/**
 * Where the installed package's own files are: rule packs, schemas, docs, and the worker scripts that
 * run on threads. One module, below every stage, so a parser that needs a worker does not import the
 * rule loader to find it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** package root: this file is `dist/package.js` or `src/package.ts` */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BUILTIN_RULES_DIR = join(PACKAGE_ROOT, 'rules');

/** A file shipped with the package: `packagePath('schemas', 'rule.schema.json')`. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/**
 * The compiled worker script `name` beside the calling module, or undefined when it is not built.
 * Built code finds it next to itself; code run from TypeScript sources (the tests) uses the same file
 * under `dist/`, because worker threads run JavaScript.
 *
 * @example workerScript(import.meta.url, './pool-worker.js')
 */
export function workerScript(callerUrl: string, name: string): string | undefined {
  const beside = fileURLToPath(new URL(name, callerUrl));
  if (existsSync(beside)) return beside;
  const fromSrc = relative(join(PACKAGE_ROOT, 'src'), beside);
  if (fromSrc.startsWith('..')) return undefined;
  const built = join(PACKAGE_ROOT, 'dist', fromSrc);
  return existsSync(built) ? built : undefined;
}
