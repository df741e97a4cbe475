/**
 * Loads rule packs: every `*.json` under a rules directory is a rule (`id`, `severity`, `match` …) or
 * a named allowlist (`list`, `entries`). Everything is validated with ajv before use and all problems
 * are reported together, each naming its file and field.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MlvetError } from '../errors.js';
import { BUILTIN_RULES_DIR } from '../package.js';
import { compiledSchema, formatAjvErrors } from '../schemas.js';
import type { AllowEntry } from '../model/policy.js';
import type { Rule, RuleSet } from './types.js';


function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

function walkJson(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...walkJson(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

export function loadRuleSet(dirs: string[] = [BUILTIN_RULES_DIR]): RuleSet {
  const validateRule = compiledSchema<Rule>('rule.schema');
  const validateList = compiledSchema<{ list: string; entries: AllowEntry[] }>('list.schema');
  const rules: Rule[] = [];
  const lists = new Map<string, AllowEntry[]>();
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    let files: string[];
    try {
      files = walkJson(dir);
    } catch (e) {
      throw new MlvetError('RULES_INVALID', `cannot read rules directory ${dir}: ${(e as Error).message}`, { path: dir });
    }
    for (const file of files) {
      const rel = relative(dir, file);
      let doc: unknown;
      try {
        doc = readJson(file);
      } catch (e) {
        problems.push(`${file}: not valid JSON: ${(e as Error).message}`);
        continue;
      }
      if (doc && typeof doc === 'object' && 'list' in doc) {
        if (!validateList(doc)) problems.push(`${file}: ${formatAjvErrors(validateList.errors)}`);
        else lists.set(doc.list, [...(lists.get(doc.list) ?? []), ...doc.entries]);
        continue;
      }
      if (!validateRule(doc)) {
        problems.push(`${file}: ${formatAjvErrors(validateRule.errors)}`);
        continue;
      }
      const expectedId = rel.replace(/\\/g, '/').replace(/\.json$/, '');
      if (dir === BUILTIN_RULES_DIR && doc.id !== expectedId) {
        problems.push(`${file}: id "${doc.id}" must equal its path "${expectedId}"`);
      }
      if (seen.has(doc.id)) problems.push(`${file}: duplicate rule id ${doc.id} (also in ${seen.get(doc.id)})`);
      seen.set(doc.id, file);
      for (const [field, cond] of Object.entries(doc.match.where ?? {})) {
        if (cond.regex !== undefined) {
          try {
            new RegExp(cond.regex, 'u');
          } catch (e) {
            problems.push(`${file}: match.where.${field}.regex: ${(e as Error).message}`);
          }
        }
      }
      rules.push({ ...doc, source: file });
    }
  }
  if (problems.length) {
    throw new MlvetError('RULES_INVALID', `invalid rules:\n  ${problems.join('\n  ')}`, { problems });
  }
  rules.sort((a, b) => a.id.localeCompare(b.id));
  return { rules, lists };
}
