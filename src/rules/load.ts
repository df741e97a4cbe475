/**
 * Loads rule packs: every `*.json` under a rules directory is a rule (`id`, `severity`, `match` …) or
 * a named allowlist (`list`, `entries`). Everything is validated before use: the file against its
 * schema, then each rule's conditions and check options as they are compiled. All problems are
 * reported together, each naming its file and field.
 *
 * The built-in packs are also prebuilt at build time (`scripts/build-rulepack.mjs` →
 * `rules/rulepack.generated`): the rules and lists as validated, in one file. A run still reads every
 * rule file, but only to hash it; while the hash (of the files, their paths and the rule and list
 * schemas) equals the pack's, the pack stands in for parsing and validating 100+ files. An edited,
 * added or removed rule file changes the hash, and the files are loaded as before.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MlvetError } from '../errors.js';
import { readRegularBytes } from '../files.js';
import type { AllowEntry } from '../model/policy.js';
import { BUILTIN_RULES_DIR, packagePath } from '../package.js';
import { compiledSchema, formatAjvErrors } from '../schemas.js';
import { compileRuleSet } from './compile.js';
import { byCodeUnit } from './order.js';
import type { Rule, RuleSet } from './types.js';

/** The prebuilt pack of the built-in rules; not `*.json`, so the loader never reads it as a rule. */
export const RULEPACK_FILE = join(BUILTIN_RULES_DIR, 'rulepack.generated');
/** Bump when the pack's shape or what it stands for changes: every older pack is then stale. */
const RULEPACK_FORMAT = 1;
const MAX_RULE_FILE = 16 * 1024 * 1024;

/** The pack: its hash on the first line, then this as JSON. */
export interface RulePack {
  format: number;
  hash: string;
  /** the validated rules in load order, each with its file relative to the rules directory */
  rules: { file: string; doc: Rule }[];
  /** the named lists, entries merged in load order */
  lists: [string, AllowEntry[]][];
}

/** One rule file as read: its bytes, or why it could not be read. */
interface RuleFile {
  path: string;
  rel: string;
  bytes?: Buffer;
  error?: string;
}

/** Every `*.json` under `dir`, in code-unit order, with its path relative to `dir` (`pickle/x.json`). */
function walkJson(dir: string, prefix = '', out: { path: string; rel: string }[] = []): { path: string; rel: string }[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => byCodeUnit(a.name, b.name))) {
    const path = join(dir, entry.name);
    // a link is followed, as before; only links cost a stat
    const isDir = entry.isSymbolicLink() ? statSync(path).isDirectory() : entry.isDirectory();
    if (isDir) walkJson(path, `${prefix}${entry.name}/`, out);
    else if (entry.name.endsWith('.json')) out.push({ path, rel: prefix + entry.name });
  }
  return out;
}

function readRuleFiles(dir: string): RuleFile[] {
  let found: { path: string; rel: string }[];
  try {
    found = walkJson(dir);
  } catch (e) {
    throw new MlvetError('RULES_INVALID', `cannot read rules directory ${dir}: ${(e as Error).message}`, {
      path: dir,
    });
  }
  return found.map(({ path, rel }) => {
    try {
      return { path, rel, bytes: readRegularBytes(path, 'rule file', MAX_RULE_FILE) };
    } catch (e) {
      return { path, rel, error: (e as Error).message };
    }
  });
}

/** What the pack stands for: the format, the rule and list schemas, every file's path and bytes. */
function packHash(files: RuleFile[]): string | undefined {
  const h = createHash('sha256').update(`mlvet-rulepack ${RULEPACK_FORMAT}\0`);
  for (const schema of ['rule.schema.json', 'list.schema.json']) {
    const text = readFileSync(packagePath('schemas', schema));
    h.update(`${schema}\0${text.length}\0`).update(text);
  }
  for (const f of files) {
    if (!f.bytes) return undefined;
    h.update(`${f.rel}\0${f.bytes.length}\0`).update(f.bytes);
  }
  return h.digest('hex');
}

/** The prebuilt pack when it stands for exactly these files, else undefined (then the files are loaded). */
function currentPack(files: RuleFile[], packFile: string): RulePack | undefined {
  let text: string;
  try {
    text = readFileSync(packFile, 'utf8');
  } catch {
    return undefined;
  }
  const nl = text.indexOf('\n');
  const hash = packHash(files);
  if (nl < 0 || !hash || text.slice(0, nl) !== hash) return undefined;
  try {
    const pack = JSON.parse(text.slice(nl + 1)) as RulePack;
    return pack.format === RULEPACK_FORMAT && pack.hash === hash ? pack : undefined;
  } catch {
    return undefined;
  }
}

interface Loaded {
  rules: Rule[];
  lists: Map<string, AllowEntry[]>;
  problems: string[];
}

function addList(into: Loaded, name: string, entries: AllowEntry[]): void {
  into.lists.set(name, [...(into.lists.get(name) ?? []), ...entries]);
}

function addRule(into: Loaded, seen: Map<string, string>, doc: Rule, file: string): void {
  if (seen.has(doc.id))
    into.problems.push(`${file}: duplicate rule id ${doc.id} (also in ${seen.get(doc.id)})`);
  seen.set(doc.id, file);
  into.rules.push({ ...doc, source: file });
}

function loadFile(f: RuleFile, dir: string, into: Loaded, seen: Map<string, string>): void {
  const file = f.path;
  let doc: unknown;
  try {
    if (f.error !== undefined) throw new Error(f.error);
    doc = JSON.parse(f.bytes!.toString('utf8')) as unknown;
  } catch (e) {
    into.problems.push(`${file}: not valid JSON: ${(e as Error).message}`);
    return;
  }
  if (doc && typeof doc === 'object' && 'list' in doc) {
    const validateList = compiledSchema<{ list: string; entries: AllowEntry[] }>('list.schema');
    if (!validateList(doc)) into.problems.push(`${file}: ${formatAjvErrors(validateList.errors)}`);
    else addList(into, doc.list, doc.entries);
    return;
  }
  const validateRule = compiledSchema<Rule>('rule.schema');
  if (!validateRule(doc)) {
    into.problems.push(`${file}: ${formatAjvErrors(validateRule.errors)}`);
    return;
  }
  const expectedId = f.rel.replace(/\.json$/, '');
  if (dir === BUILTIN_RULES_DIR && doc.id !== expectedId) {
    into.problems.push(`${file}: id "${doc.id}" must equal its path "${expectedId}"`);
  }
  addRule(into, seen, doc, file);
}

function loadDir(dir: string, into: Loaded, seen: Map<string, string>): void {
  const files = readRuleFiles(dir);
  const pack = dir === BUILTIN_RULES_DIR ? currentPack(files, RULEPACK_FILE) : undefined;
  if (!pack) {
    for (const f of files) loadFile(f, dir, into, seen);
    return;
  }
  for (const r of pack.rules) addRule(into, seen, r.doc, join(dir, r.file));
  for (const [name, entries] of pack.lists) addList(into, name, entries);
}

/** The pack in `packFile` if it stands for the files under `dir` as they are now (for tests and tools). */
export function currentRulePack(dir: string = BUILTIN_RULES_DIR, packFile: string = RULEPACK_FILE): RulePack | undefined {
  return currentPack(readRuleFiles(dir), packFile);
}

function throwProblems(problems: string[]): void {
  if (problems.length) {
    throw new MlvetError('RULES_INVALID', `invalid rules:\n  ${problems.join('\n  ')}`, { problems });
  }
}

/** Load and compile the packs in `dirs` (default: the built-in packs); throws RULES_INVALID with every problem. */
export function loadRuleSet(dirs: string[] = [BUILTIN_RULES_DIR]): RuleSet {
  const loaded: Loaded = { rules: [], lists: new Map(), problems: [] };
  const seen = new Map<string, string>();
  for (const dir of dirs) loadDir(dir, loaded, seen);
  loaded.rules.sort((a, b) => byCodeUnit(a.id, b.id));
  const set = compileRuleSet(loaded.rules, loaded.lists, (rule, text) =>
    loaded.problems.push(`${rule.source ?? rule.id}: ${text}`),
  );
  throwProblems(loaded.problems);
  return set;
}

/**
 * The pack of the built-in rules as the files load now, always from the files (never the prebuilt
 * pack), compiled once so an invalid rule fails the build. Its text is what `rules/rulepack.generated` holds.
 */
export function buildRulePack(dir: string = BUILTIN_RULES_DIR): { pack: RulePack; text: string } {
  const files = readRuleFiles(dir);
  const loaded: Loaded = { rules: [], lists: new Map(), problems: [] };
  const seen = new Map<string, string>();
  for (const f of files) loadFile(f, dir, loaded, seen);
  const hash = packHash(files);
  compileRuleSet(loaded.rules, loaded.lists, (rule, text) => loaded.problems.push(`${rule.source ?? rule.id}: ${text}`));
  throwProblems(loaded.problems);
  if (!hash) throw new MlvetError('RULES_INVALID', `cannot hash the rule files under ${dir}`, { path: dir });
  const relOf = new Map(files.map((f) => [f.path, f.rel]));
  const pack: RulePack = {
    format: RULEPACK_FORMAT,
    hash,
    rules: loaded.rules.map(({ source, ...doc }) => ({ file: relOf.get(source!)!, doc })),
    lists: [...loaded.lists],
  };
  return { pack, text: `${hash}\n${JSON.stringify(pack)}\n` };
}
