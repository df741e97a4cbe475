/**
 * The prebuilt rule pack (rules/rulepack.generated, scripts/build-rulepack.mjs) is current, loads to
 * exactly what the rule files load to, and is refused as soon as any rule file, list or path changes.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_RULES_DIR } from '../../src/package.js';
import { buildRulePack, currentRulePack, loadRuleSet, RULEPACK_FILE } from '../../src/rules/load.js';
import type { RuleSet } from '../../src/rules/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'mlvet-rulepack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const rule = 'pickle/code-execution.json';
const list = 'lists/pickle-globals.json';
const PACK = 'rulepack.generated';

/** a small pack directory (two rules and a list from the built-in ones) with its own pack, for one case to change */
function smallPack(name: string): string {
  const dir = join(tmp, name);
  for (const f of [rule, 'pickle/dynamic-import.json', list]) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(BUILTIN_RULES_DIR, f), join(dir, f));
  }
  writeFileSync(join(dir, PACK), buildRulePack(dir).text);
  return dir;
}

const plain = (set: RuleSet, dir: string) => ({
  rules: set.rules.map((r) => ({ ...r, source: relative(dir, r.source!) })),
  lists: [...set.lists],
  byKind: [...set.byKind].map(([k, v]) => [k, v.map((c) => c.rule.id)]),
});

describe('rule pack', () => {
  it('is current (npm run build writes it)', () => {
    expect(readFileSync(RULEPACK_FILE, 'utf8')).toBe(buildRulePack().text);
    expect(currentRulePack()?.rules.length).toBeGreaterThan(100);
  });

  it('loads to what the files load to', () => {
    const copy = join(tmp, 'files'); // not the built-in directory: loaded from its files
    cpSync(BUILTIN_RULES_DIR, copy, { recursive: true });
    const fromPack = loadRuleSet();
    const fromFiles = loadRuleSet([copy]);
    expect(plain(fromPack, BUILTIN_RULES_DIR)).toEqual(plain(fromFiles, copy));
    expect(fromPack.lists.size).toBeGreaterThan(0);
  });

  const edits: Array<[string, boolean, (dir: string) => void]> = [
    ['unchanged', true, () => {}],
    ['a rule edited (one byte)', false, (d) => writeFileSync(join(d, rule), readFileSync(join(d, rule), 'utf8').replace('"high"', '"low"').replace('"critical"', '"medium"'))],
    ['a rule reformatted (same JSON)', false, (d) => writeFileSync(join(d, rule), `${readFileSync(join(d, rule), 'utf8')} `)],
    ['a list edited', false, (d) => writeFileSync(join(d, list), readFileSync(join(d, list), 'utf8').replace('"entries"', '"entries" '))],
    ['a rule added', false, (d) => writeFileSync(join(d, 'pickle', 'zz-new.json'), readFileSync(join(d, rule)))],
    ['a rule removed', false, (d) => unlinkSync(join(d, rule))],
    ['a rule renamed', false, (d) => renameSync(join(d, rule), join(d, 'pickle', 'code-execution2.json'))],
    ['a file that is not JSON added (ignored)', true, (d) => writeFileSync(join(d, 'pickle', 'README.md'), 'notes')],
    ['the pack truncated', false, (d) => writeFileSync(join(d, PACK), readFileSync(join(d, PACK), 'utf8').slice(0, 1000))],
    ['the pack of another format', false, (d) => writeFileSync(join(d, PACK), readFileSync(join(d, PACK), 'utf8').replace('"format":1', '"format":0'))],
    ['the pack missing', false, (d) => unlinkSync(join(d, PACK))],
  ];
  it.each(edits)('%s: pack used %s', (name, used, edit) => {
    const dir = smallPack(name.replace(/\W+/g, '-'));
    edit(dir);
    expect(currentRulePack(dir, join(dir, PACK)) !== undefined).toBe(used);
  });
});
