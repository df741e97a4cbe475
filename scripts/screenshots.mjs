#!/usr/bin/env node
/**
 * Remake the README's report screenshots (docs/img/report-*.png): runs the browser check of the HTML
 * reports (test/reporters/browser.test.ts), which saves a 1280×1000 shot of the scan, drifted
 * validation and verify pages when MLVET_SCREENSHOTS names a directory. Needs Debian's chromium.
 *
 *   node scripts/screenshots.mjs [out-dir]     (default docs/img)
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'docs', 'img'));
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', 'test/reporters/browser.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, MLVET_SCREENSHOTS: out },
});
if (r.status === 0) console.log(`screenshots written to ${out}`);
process.exitCode = r.status ?? 1;
