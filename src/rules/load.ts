/**
 * Loads rule packs: every `*.json` under a rules directory is a rule (`id`, `severity`, `match` …) or
 * a named allowlist (`list`, `entries`). Everything is validated before use: the file against its
 * schema, then each rule's conditions and check options as they are compiled. All problems are
 * reported together, each naming its file and field.
 */
import { readRegularFile } from '../files.js';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MlvetError } from '../errors.js';
import type { AllowEntry } from '../model/policy.js';
import { BUILTIN_RULES_DIR } from '../package.js';
import { compiledSchema, formatAjvErrors } from '../schemas.js';
import { compileRuleSet } from './compile.js';
import type { Rule, RuleSet } from './types.js';

function walkJson(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walkJson(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

interface Loaded {
  rules: Rule[];
  lists: Map<string, AllowEntry[]>;
  problems: string[];
}

function loadFile(file: string, dir: string, into: Loaded, seen: Map<string, string>): void {
  let doc: unknown;
  try {
    doc = JSON.parse(readRegularFile(file, 'rule file', 16 * 1024 * 1024)) as unknown;
  } catch (e) {
    into.problems.push(`${file}: not valid JSON: ${(e as Error).message}`);
    return;
  }
  if (doc && typeof doc === 'object' && 'list' in doc) {
    const validateList = compiledSchema<{ list: string; entries: AllowEntry[] }>('list.schema');
    if (!validateList(doc)) into.problems.push(`${file}: ${formatAjvErrors(validateList.errors)}`);
    else into.lists.set(doc.list, [...(into.lists.get(doc.list) ?? []), ...doc.entries]);
    return;
  }
  const validateRule = compiledSchema<Rule>('rule.schema');
  if (!validateRule(doc)) {
    into.problems.push(`${file}: ${formatAjvErrors(validateRule.errors)}`);
    return;
  }
  const expectedId = relative(dir, file)
    .replace(/\\/g, '/')
    .replace(/\.json$/, '');
  if (dir === BUILTIN_RULES_DIR && doc.id !== expectedId) {
    into.problems.push(`${file}: id "${doc.id}" must equal its path "${expectedId}"`);
  }
  if (seen.has(doc.id))
    into.problems.push(`${file}: duplicate rule id ${doc.id} (also in ${seen.get(doc.id)})`);
  seen.set(doc.id, file);
  into.rules.push({ ...doc, source: file });
}

/** Load and compile the packs in `dirs` (default: the built-in packs); throws RULES_INVALID with every problem. */
export function loadRuleSet(dirs: string[] = [BUILTIN_RULES_DIR]): RuleSet {
  const loaded: Loaded = { rules: [], lists: new Map(), problems: [] };
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    let files: string[];
    try {
      files = walkJson(dir);
    } catch (e) {
      throw new MlvetError('RULES_INVALID', `cannot read rules directory ${dir}: ${(e as Error).message}`, {
        path: dir,
      });
    }
    for (const file of files) loadFile(file, dir, loaded, seen);
  }
  loaded.rules.sort((a, b) => a.id.localeCompare(b.id));
  const set = compileRuleSet(loaded.rules, loaded.lists, (rule, text) =>
    loaded.problems.push(`${rule.source ?? rule.id}: ${text}`),
  );
  const { problems } = loaded;
  if (problems.length) {
    throw new MlvetError('RULES_INVALID', `invalid rules:\n  ${problems.join('\n  ')}`, { problems });
  }
  return set;
}
