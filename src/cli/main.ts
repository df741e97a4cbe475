#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from '../findings/report.js';
import { registerCommands } from './commands/index.js';
import { handleError } from './output.js';

async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('mlvet')
    .description('Vet ML artifacts before you trust them: unsafe serialization, signed lineage, unpinned sources, poisoned data.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError();
  try {
    await registerCommands(program, argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 3;
    }
    return handleError(e);
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = handleError(e);
  },
);
