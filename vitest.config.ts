import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that share one fork's module graph (no module reset between files, measured: about a
 * third less CPU for these 63 files, mostly the src/ import graph evaluated once per fork instead of
 * once per file). They restore what they change (env through withEnv, servers closed in afterAll) and
 * are checked to pass in any order on a shared worker. The other folders still get fresh modules for
 * every file; their owners can move a folder here once it passes with `--project shared`.
 */
const SHARED = ['sources', 'audit', 'formats', 'cli', 'golden', 'reporters', 'ci', 'meta', 'schemas'].map((d) => `test/${d}/**/*.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // isolate: false here reuses a fork across files (no process start and dependency load per
    // file); whether modules are reset between files is each project's `isolate` below
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
    projects: [
      { extends: true, test: { name: 'shared', include: SHARED, poolOptions: { forks: { isolate: false } } } },
      { extends: true, test: { name: 'isolated', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...SHARED], poolOptions: { forks: { isolate: true } } } },
    ],
    // `npm run coverage` only; plain `vitest run` stays uninstrumented. json-summary is the figure
    // a change's report quotes (coverage/coverage-summary.json); coverage/ is git-ignored.
    coverage: {
      provider: 'v8',
      include: ['src/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      // On a loaded machine one remote-source test can time out; the figures are still wanted.
      reportOnFailure: true,
    },
  },
});
