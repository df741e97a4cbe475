#!/usr/bin/env node
import { VERSION } from '../findings/report.js';

// `mlvet --version` answers before commander and the commands load (a hook or a CI step asking for
// the version should not wait for them); the answer is commander's own: the version and a newline
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const [{ processIo }, { run }] = await Promise.all([import('./io.js'), import('./run.js')]);
  process.exitCode = await run(process.argv, processIo());
}
