/**
 * The CLI plumbing every command and run.ts need before any work starts: flag parsers, hidden
 * aliases and the error-to-exit-code mapping. Kept apart from output.ts, which loads the reporters,
 * the config and the findings policy, so `mlvet sign`, `keygen` and `profile` (and every run's error
 * path) do not load them.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { isMlvetError, redact, USAGE_CODES } from '../errors.js';
import { EXIT } from '../findings/report.js';
import type { CliIo } from './io.js';

// re-exported: commands print warnings through it
export { redact };

/** `--concurrency x` once became NaN workers, which scanned nothing and reported clean: refuse it */
export function positiveInt(v: string): number {
  if (!/^[1-9][0-9]*$/.test(v)) throw new InvalidArgumentError('expected a whole number of at least 1');
  return Number(v);
}

/**
 * An old flag that keeps working, out of --help, stored under the new flag's name. Commander keys a
 * value by the option's attribute name (a `--no-x` shares its `--x`'s the same way), so required
 * checks, repeatable parsers and defaults all see one option whichever spelling was used.
 */
export function hiddenAlias(flags: string, attribute: string): Option {
  const o = new Option(flags).hideHelp();
  o.attributeName = () => attribute;
  return o;
}

/** Print an error without secrets and return the exit code it maps to. */
export function handleError(e: unknown, io: Pick<CliIo, 'stderr'>): number {
  if (isMlvetError(e)) {
    io.stderr.write(`mlvet: ${e.code}: ${redact(e.message)}\n`);
    return USAGE_CODES.has(e.code) ? EXIT.USAGE : EXIT.INCONCLUSIVE;
  }
  const msg = e instanceof Error ? e.message : String(e);
  io.stderr.write(`mlvet: error: ${redact(msg)}\n`);
  return EXIT.USAGE;
}

/**
 * The one split of work across jobs, spelled two ways: `--shard K/N` (1-based) or `--shard-count N`
 * with a 0-based `--shard-index I` (default: a Kubernetes Indexed Job's or an AWS Batch array job's index).
 * `what` says what is split and what to do with the parts; `shardFromFlags` reads the three.
 */
export function addShardOptions(cmd: Command, what: string): Command {
  return cmd
    .option('--shard <K/N>', what)
    .option('--shard-count <N>', 'the same split as --shard, with a 0-based --shard-index')
    .option('--shard-index <I>', '0-based shard index (default: JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX)');
}
