import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { exitCodeFor } from '../../findings/report.js';
import type { FailOn } from '../../findings/types.js';
import { scan } from '../../scan.js';
import { addOutputOptions, addPolicyOptions, writeOutputs, type OutputFlags } from '../output.js';

interface ScanFlags extends OutputFlags {
  failOn?: FailOn;
  config?: string;
  rules?: string[];
  ignore?: string;
  offline?: boolean;
  concurrency?: number;
}

export function register(program: Command): void {
  const cmd = program
    .command('scan')
    .description('scan files, directories, hf:// repos and s3:// buckets for unsafe serialization and unpinned sources')
    .argument('<target...>', 'local path, hf://org/repo[@rev], s3://bucket/prefix, https://…');
  addOutputOptions(cmd);
  addPolicyOptions(cmd);
  cmd.action(async (targets: string[], flags: ScanFlags) => {
    const { config } = loadConfig(flags.config);
    const report = await scan({
      targets,
      config,
      rules: flags.rules,
      ignoreFile: flags.ignore,
      offline: flags.offline,
      concurrency: flags.concurrency,
    });
    writeOutputs(report, flags);
    process.exitCode = exitCodeFor(report, flags.failOn ?? config.failOn ?? 'medium');
  });
}
