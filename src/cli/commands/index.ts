/**
 * The command registry: each command module exports `register(program)`. Add a command by adding
 * its module here.
 */
import type { Command } from 'commander';
import { register as rules } from './rules.js';
import { register as scan } from './scan.js';

export const COMMANDS: Array<(program: Command) => void> = [scan, rules];
