/**
 * The whole CLI as a function: argv and io in, exit code out. `main.ts` runs it on the real process;
 * tests run it in-process. Nothing here (or in a command) writes to `process.*` or sets
 * `process.exitCode`, so two runs in one process cannot see each other.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, VERSION } from '../findings/report.js';
import { registerCommands } from './commands/index.js';
import { colorFor, type CliIo, type RunContext } from './io.js';
import { handleError } from './flags.js';

/** commander's own output (help, version, its usage errors) goes to the run's streams too */
function program(io: CliIo): Command {
  // commander's own default: the terminal's width, else 80
  const width = (s: CliIo['stdout']): number => (s.isTTY ? s.columns : undefined) ?? 80;
  return new Command()
    .name('mlvet')
    .description('Vet ML artifacts before you trust them: unsafe serialization, signed lineage, unpinned sources, poisoned data.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      getOutHelpWidth: () => width(io.stdout),
      getErrHelpWidth: () => width(io.stderr),
      getOutHasColors: () => colorFor(io.stdout, io.env),
      getErrHasColors: () => colorFor(io.stderr, io.env),
    });
}

const SHOWN = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * Run one command line (`argv` as in `process.argv`: node, script, then the arguments).
 *
 * @example
 * const code = await run(['node', 'mlvet', 'scan', 'models/'], { stdout, stderr, cwd: dir, env: {} });
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const ctx: RunContext = { io, exitCode: EXIT.CLEAN };
  try {
    const cmd = program(io);
    await registerCommands(cmd, argv, ctx);
    await cmd.parseAsync(argv);
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return SHOWN.has(e.code) ? EXIT.CLEAN : EXIT.USAGE;
    return handleError(e, io);
  }
}
