#!/usr/bin/env node
// Prebuilds the built-in rules (rules/**/*.json, lists included) into one file, rules/rulepack.generated:
// the rules and lists as validated, with a hash of the rule files, their paths and the rule and list
// schemas on its first line. src/rules/load.ts uses it only while that hash matches the files, and
// loads the files otherwise, so an edited rule is never run from a stale pack. The pack is built by the
// loader's own code (dist/rules/load.js: `npm run build` runs this after tsc), and an invalid rule fails.
// test/startup/rulepack.test.ts checks the committed pack is current and loads as the files do.
//   node scripts/build-rulepack.mjs           write the pack if it changed
//   node scripts/build-rulepack.mjs --check   exit 1 if it is not current
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { buildRulePack, RULEPACK_FILE } = await import(pathToFileURL(join(ROOT, 'dist', 'rules', 'load.js')).href);

const { text } = buildRulePack();
let current = '';
try {
  current = readFileSync(RULEPACK_FILE, 'utf8');
} catch {
  // not built yet
}
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error(`${RULEPACK_FILE} is not current: run npm run build`);
    process.exit(1);
  }
} else if (current !== text) {
  writeFileSync(RULEPACK_FILE, text);
  console.error(`wrote ${RULEPACK_FILE}`);
}
