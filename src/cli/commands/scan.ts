import type { Command } from 'commander';
import { exitCodeFor } from '../../findings/report.js';
import type { FailOn } from '../../model/report.js';
import { shardFromFlags } from '../../scanners/shard.js';
import type { RunContext } from '../io.js';
import { scanProgress } from '../progress.js';
import { addOutputOptions, addPolicyOptions, addShardOptions, policyFromFlags, writeOutputs, type OutputFlags } from '../output.js';

interface ScanFlags extends OutputFlags {
  failOn?: FailOn;
  config?: string;
  rules?: string[];
  ignore?: string;
  offline?: boolean;
  concurrency?: number;
  manifest?: string;
  shard?: string;
  shardCount?: string;
  shardIndex?: string;
  progress?: boolean;
  trustedKey?: string[];
  trust?: string;
}

export function register(program: Command, ctx: RunContext): void {
  const { io } = ctx;
  const cmd = program
    .command('scan')
    .description('scan files, directories, hf:// repos and s3:// buckets for unsafe serialization and unpinned sources')
    .argument('<target...>', 'local path, hf://org/repo[@rev], s3://bucket/prefix, https://…');
  addOutputOptions(cmd);
  addPolicyOptions(cmd);
  cmd
    .option('--manifest <file>', 'also verify the target against this signed manifest (see mlvet verify)')
    .option('--trusted-key <file>', 'public key trusted for --manifest (repeatable)', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .option('--trust <file>', 'trust file for --manifest (mlvet-trust.json)');
  addShardOptions(cmd, 'scan only shard K of N of the files (by hash of the path); merge with `mlvet report merge`');
  cmd.action(async (targets: string[], flags: ScanFlags) => {
    // the scanners load when a scan runs, not for `mlvet --help`
    const { scan } = await import('../../scan.js');
    const policy = policyFromFlags(flags, io);
    const progress = scanProgress(io, flags.progress !== false && !flags.quiet);
    const shard = shardFromFlags(flags, io.env);
    let report = await scan({
      ...(shard ? { shard } : {}),
      ...(progress.update ? { onProgress: progress.update } : {}),
      targets,
      policy,
      cwd: io.cwd,
      env: io.env,
      offline: flags.offline,
      concurrency: flags.concurrency,
    }).finally(progress.end);
    let manifestInvalid = false;
    if (flags.manifest) {
      // lineage (and through it the remote SDKs) loads only for --manifest: a plain scan starts faster
      const { addManifestCheck } = await import('../../lineage/scan-hook.js');
      const checked = await addManifestCheck(report, { targets, manifest: flags.manifest, trustedKeys: flags.trustedKey, trustFile: flags.trust, policy, offline: flags.offline, cwd: io.cwd, env: io.env });
      ({ report, manifestInvalid } = checked);
    }
    const failOn = flags.failOn ?? policy.failOn;
    // a target that could not be opened is in the report, and said on stderr as an error would be
    for (const i of report.inconclusive) if (i.scanner === 'source') io.stderr.write(`mlvet: ${i.code}: ${i.message}\n`);
    writeOutputs(report, flags, io, { failOn, rules: policy.rules.rules });
    ctx.exitCode = manifestInvalid ? 3 : exitCodeFor(report, failOn);
  });
}
