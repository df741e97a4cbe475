/**
 * The command registry: each command module exports `register(program)`. Add a command by adding
 * its module here.
 */
import type { Command } from 'commander';
import { register as rules } from './rules.js';
import { register as scan } from './scan.js';
import { register as keygen } from './keygen.js';
import { register as sign } from './sign.js';
import { register as verify } from './verify.js';
import { register as profile } from './profile.js';
import { register as validate } from './validate.js';

export const COMMANDS: Array<(program: Command) => void> = [scan, rules, verify, sign, keygen, profile, validate];
