/**
 * The repo stands alone: no code, test, bench or script reaches for the shared folder beside the clone
 * (where the research notes and vectors once were). Vendored copies live in fixtures/.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

// built from parts, so this file does not match itself (or the before-stop hook's grep)
const SIBLING = ['sh', 'ared'].join('');
const OUTSIDE = new RegExp(`\\.\\./${SIBLING}\\b|['"]\\.\\.['"],\\s*['"]${SIBLING}['"]`);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|mjs|js|sh|py|json)$/.test(n) || n === 'run' ? [p] : [];
  });
}

describe('a lone clone', () => {
  const files = ['src', 'test', 'bench', 'scripts', '.ci'].flatMap((d) => walk(join(ROOT, d)));

  it('reads the files it checks', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  it('depends on no folder outside the repo', () => {
    const bad = files.filter((f) => OUTSIDE.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(bad).toEqual([]);
  });
});
