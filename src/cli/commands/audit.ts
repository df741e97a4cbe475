import type { Command } from 'commander';
import { exitCodeFor } from '../../findings/report.js';
import type { FailOn } from '../../model/report.js';
import { shardFromFlags } from '../../scanners/shard.js';
import type { RunContext } from '../io.js';
import { scanProgress } from '../progress.js';
import { addOutputOptions, addPolicyOptions, addShardOptions, policyFromFlags, redact, writeOutputs, type OutputFlags } from '../output.js';

interface AuditFlags extends OutputFlags {
  failOn?: FailOn;
  config?: string;
  rules?: string[];
  ignore?: string;
  offline?: boolean;
  concurrency?: number;
  state?: string;
  manifest?: string;
  trustedKey?: string[];
  trust?: string;
  shard?: string;
  shardCount?: string;
  shardIndex?: string;
  inventory?: string;
  rescan?: boolean;
  progress?: boolean;
}

export function register(program: Command, ctx: RunContext): void {
  const { io } = ctx;
  const cmd = program
    .command('audit')
    .description('scheduled audit of an s3:// prefix, hf:// organisation or repo, or a directory: scans only what changed since the last run, resumes after a kill, reports what changed')
    .argument('<target>', 's3://bucket/prefix, hf://org, hf://[datasets/]org/name, or a directory');
  addOutputOptions(cmd);
  addPolicyOptions(cmd);
  cmd
    .option('--state <file|s3://bucket/key>', 'where the audit remembers objects (default for s3://: s3://bucket/.mlvet/<prefix hash>/state.json)')
    .option('--rescan', 'read every object again, whatever the state says')
    .option('--manifest <file>', 'also report objects unsigned, changed since signing, or gone, against this signed manifest')
    .option('--trusted-key <file>', 'public key trusted for --manifest (repeatable)', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .option('--trust <file>', 'trust file for --manifest (mlvet-trust.json)')
    .option('--inventory <manifest.json>', 'list the objects from this S3 Inventory report (local or s3://) instead of ListObjectsV2');
  addShardOptions(cmd, 'audit only shard K of N of the objects (by hash of the path), with its own state part');
  cmd.action(async (target: string, flags: AuditFlags) => {
    // the S3 and Hub clients load when an audit runs, not for `mlvet --help`
    const { audit } = await import('../../audit/index.js');
    const policy = policyFromFlags(flags, io);
    const shard = shardFromFlags(flags, io.env);
    const progress = scanProgress(io, flags.progress !== false && !flags.quiet, 'auditing');
    const failOn = flags.failOn ?? policy.failOn;
    let report = await audit({
      target,
      failOn,
      policy,
      cwd: io.cwd,
      env: io.env,
      ...(shard ? { shard } : {}),
      ...(flags.state ? { state: flags.state } : {}),
      ...(flags.inventory ? { inventory: flags.inventory } : {}),
      ...(flags.rescan ? { rescan: true } : {}),
      ...(flags.offline ? { offline: true } : {}),
      ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
      ...(progress.update ? { onProgress: progress.update } : {}),
      onWarning: (m) => void io.stderr.write(`mlvet: warning: ${redact(m)}\n`),
    }).finally(progress.end);
    let manifestInvalid = false;
    if (flags.manifest) {
      const { auditManifest } = await import('../../audit/manifest.js');
      ({ report, manifestInvalid } = await auditManifest(report, { target, manifest: flags.manifest, trustedKeys: flags.trustedKey, trustFile: flags.trust, policy, cwd: io.cwd, env: io.env }));
    }
    for (const i of report.inconclusive) if (i.scanner === 'source') io.stderr.write(`mlvet: ${i.code}: ${i.message}\n`);
    writeOutputs(report, flags, io, { failOn, rules: policy.rules.rules });
    ctx.exitCode = manifestInvalid ? 3 : exitCodeFor(report, failOn);
  });
}
