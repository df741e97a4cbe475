/**
 * Keeps rules, docs and tests in step: every rule loads against the schema with an id equal to its
 * path, has a doc page with the standard sections, and is named in at least one test file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../src/rules/load.js';
import { ROOT } from '../helpers/cli.js';

const set = loadRuleSet();

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : n.endsWith('.ts') ? [p] : [];
  });
}
const testText = walk(join(ROOT, 'test')).map((p) => readFileSync(p, 'utf8')).join('\n');

describe('rule catalogue', () => {
  it('loads and is non-empty', () => {
    expect(set.rules.length).toBeGreaterThan(10);
  });
  it.each(set.rules.map((r) => [r.id]))('%s has a doc page and a test', (id) => {
    const doc = join(ROOT, 'docs', 'rules', `${id}.md`);
    expect(existsSync(doc), `missing ${doc}`).toBe(true);
    const text = readFileSync(doc, 'utf8');
    expect(text).toMatch(/^# /m);
    expect(text).toMatch(/## (Why|What)/);
    expect(testText.includes(`'${id}'`) || testText.includes(`"${id}"`), `no test names ${id}`).toBe(true);
  });
  it('every allowlist entry gives a reason', () => {
    for (const [, entries] of set.lists) for (const e of entries) expect(e.reason.length).toBeGreaterThan(2);
  });
});
