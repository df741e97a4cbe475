/**
 * Member names that would land outside the extraction directory, and member types that are not
 * regular files. Loaders that extract archives (tarfile.extractall before Python 3.14's filters,
 * many `unzip`-then-load scripts) write wherever the name says.
 */
import type { Location } from '../../model/facts.js';
import type { ScanContext } from '../types.js';
import { memberLocation } from './nested.js';

export type PathRisk = 'path-traversal' | 'absolute-path';

export function pathRisk(name: string): PathRisk | undefined {
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[A-Za-z]:\//.test(n)) return 'absolute-path';
  if (n.split('/').includes('..')) return 'path-traversal';
  return undefined;
}

/** Does a link target leave the directory holding `name`'s archive root? */
export function escapes(name: string, target: string): boolean {
  if (pathRisk(target) === 'absolute-path') return true;
  const parts = name.replace(/\\/g, '/').split('/').slice(0, -1);
  for (const p of target.replace(/\\/g, '/').split('/')) {
    if (p === '..') {
      if (parts.length === 0) return true;
      parts.pop();
    } else if (p !== '.' && p !== '') parts.push(p);
  }
  return false;
}

const MAX_PATH_FACTS = 100;

export function emitPathFacts(ctx: ScanContext, loc: Location, container: string, names: readonly string[]): void {
  let n = 0;
  for (const name of names) {
    const risk = pathRisk(name);
    if (!risk || n++ >= MAX_PATH_FACTS) continue;
    ctx.emit({ kind: `archive.${risk}`, location: memberLocation(loc, name), data: { container, name, key: `${risk}:${name}` } });
  }
}
