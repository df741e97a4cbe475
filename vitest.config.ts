import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
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
