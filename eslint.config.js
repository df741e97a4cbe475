// @ts-check
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Stage boundaries: scripts/layers.json says what each folder of src/ may import. For every stage and
 * file depth this builds a `no-restricted-imports` block whose regex matches a relative import that
 * climbs out to a stage the table does not allow. test/meta/layers.test.ts checks the same table.
 */
/** @type {{ stages: Record<string, string[]> }} */
const layers = JSON.parse(readFileSync(new URL('./scripts/layers.json', import.meta.url), 'utf8'));
const stageNames = Object.keys(layers.stages);
const esc = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function boundaryBlocks() {
  const blocks = [];
  for (const [stage, allowed] of Object.entries(layers.stages)) {
    const banned = stageNames.filter((s) => s !== stage && !allowed.includes(s));
    if (!banned.length) continue;
    const names = banned.map(esc).join('|');
    const message = `src/${stage} may import only ${allowed.join(', ') || 'nothing in src'} (scripts/layers.json)`;
    // a top-level file (src/scan.ts) is at depth 0; a folder's files at depth 1 (src/x/a.ts), 2, 3 …
    const depths = [0, 1, 2, 3, 4];
    for (const depth of depths) {
      const files = depth === 0 ? [`src/${stage}.ts`] : [`src/${stage}/${'*/'.repeat(depth - 1)}*.ts`];
      const up = depth === 0 ? '\\./' : `(\\.\\./){${depth}}`;
      blocks.push({
        files,
        rules: {
          'no-restricted-imports': ['error', { patterns: [{ regex: `^${up}(${names})(/|\\.js$)`, message }] }],
        },
      });
    }
  }
  return blocks;
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'coverage/**', 'bench/.data/**', 'src/schemas/generated/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...boundaryBlocks(),
  { files: ['src/cli/**', 'bench/**', 'scripts/**', 'test/**'], rules: { 'no-console': 'off' } },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', performance: 'readonly' } },
  },
);
