/**
 * The command registry: command name → its module, loaded only when that command runs (all of
 * them only for help), so `mlvet scan` does not pay for the S3 client or Arrow at start-up. Each
 * module exports `register(program, ctx)`. Add a command by adding a line here.
 */
import type { Command } from 'commander';
import type { RunContext } from '../io.js';

/** `ctx` is the run's io and the exit code the command sets */
type CommandModule = { register(program: Command, ctx: RunContext): void };

export const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  scan: () => import('./scan.js'),
  verify: () => import('./verify.js'),
  sign: () => import('./sign.js'),
  keygen: () => import('./keygen.js'),
  profile: () => import('./profile.js'),
  validate: () => import('./validate.js'),
  rules: () => import('./rules.js'),
  report: () => import('./report.js'),
  audit: () => import('./audit.js'),
};

/** Register the command named in argv, or every command when none (or an unknown one) is named. */
export async function registerCommands(program: Command, argv: string[], ctx: RunContext): Promise<void> {
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) return;
  const name = args.find((a) => !a.startsWith('-'));
  const wanted = name !== undefined && name in COMMANDS ? [name] : Object.keys(COMMANDS);
  for (const n of wanted) (await COMMANDS[n]!()).register(program, ctx);
}
