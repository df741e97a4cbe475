import { readRegularFile } from '../../files.js';
import type { Command } from 'commander';
import { MlvetError } from '../../errors.js';
import { exitCodeFor } from '../../findings/report.js';
import type { FailOn, Report } from '../../model/report.js';
import { atCwd, type RunContext } from '../io.js';
import { addOutputOptions, writeOutputs, type OutputFlags } from '../output.js';

export function register(program: Command, ctx: RunContext): void {
  const { io } = ctx;
  const report = program.command('report').description('work with JSON reports');
  const merge = report
    .command('merge')
    .description('merge JSON reports of sharded runs (scan --shard K/N) into one')
    .argument('<report...>', 'JSON reports written with --format json');
  addOutputOptions(merge);
  merge.option('--fail-on <severity>', 'lowest severity that fails (exit 1)', 'medium').action(async (files: string[], flags: OutputFlags & { failOn: FailOn }) => {
    const { mergeReports } = await import('../../findings/merge.js');
    const reports = files.map((f) => {
      const text = readRegularFile(atCwd(io, f), 'report');
      try {
        return JSON.parse(text) as Report;
      } catch (e) {
        throw new MlvetError('USAGE', `cannot read report ${f}: ${(e as Error).message}`, { path: f });
      }
    });
    const merged = mergeReports(reports);
    writeOutputs(merged, flags, io, { failOn: flags.failOn });
    ctx.exitCode = exitCodeFor(merged, flags.failOn);
  });
}
