import { Option, type Command } from 'commander';
import type { FailOn } from '../../model/report.js';
import type { RunContext } from '../io.js';
import { byteProgress } from '../progress.js';
import {
  addOutputOptions,
  addPolicyOptions,
  policyFromFlags,
  writeFailureReport,
  writeOutputs,
  type OutputFlags,
} from '../output.js';

interface VerifyFlags extends OutputFlags {
  manifest: string;
  trustedKey?: string[];
  trust?: string;
  sigstoreRoot?: string;
  identity?: string;
  issuer?: string;
  ignoreUnsigned?: boolean;
  hashing: 'signed' | 'files-sha256';
  failOn?: FailOn;
  config?: string;
  rules?: string[];
  ignore?: string;
  concurrency?: number;
  progress?: boolean;
  deep?: boolean;
  offline?: boolean;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function register(program: Command, ctx: RunContext): void {
  const { io } = ctx;
  const cmd = program
    .command('verify')
    .description(
      'check a directory, hf:// repo or s3:// prefix against a signed manifest (mlvet or OpenSSF model_signing): signature first, then every file and the lineage',
    )
    .argument(
      '<target>',
      'directory (or file) the manifest describes, or hf://org/repo@<commit>, s3://bucket/prefix/, https://…',
    )
    .requiredOption('--manifest <file>', 'signed manifest (Sigstore bundle)')
    .option('--trusted-key <file>', 'public key (or CA certificate) to trust (repeatable)', collect)
    .option('--trust <file>', 'trust file (mlvet-trust.json)')
    .option('--sigstore-root <file>', 'Sigstore trusted_root.json, to verify keyless bundles offline')
    .option(
      '--identity <san>',
      'keyless: the signer identity (certificate SAN, e.g. an email) that must have signed',
    )
    .option('--issuer <url>', 'keyless: the OIDC issuer of that identity')
    .option('--ignore-unsigned', 'files not in the manifest are not problems')
    .option(
      '--deep',
      "remote targets: download and hash every file (trust 'local') instead of trusting the store's sha256 (trust 'remote-claimed')",
    )
    .addOption(
      new Option(
        '--hashing <mode>',
        'signed: re-hash as the manifest says; files-sha256: as the model_signing CLI does',
      )
        .choices(['signed', 'files-sha256'])
        .default('signed'),
    );
  addOutputOptions(cmd);
  addPolicyOptions(cmd);
  cmd.action(async (target: string, flags: VerifyFlags) => {
    // lineage loads when a verify runs, not for `mlvet --help`
    const { verify } = await import('../../lineage/verify-report.js');
    const policy = policyFromFlags(flags, io);
    const bar = byteProgress(io, 'verifying', flags.progress !== false);
    let out;
    try {
      out = await verify({
        target,
        manifest: flags.manifest,
        ...(flags.trustedKey ? { trustedKeys: flags.trustedKey } : {}),
        ...(flags.trust ? { trustFile: flags.trust } : {}),
        ...(flags.sigstoreRoot
          ? { sigstoreRoot: flags.sigstoreRoot, identity: flags.identity, issuer: flags.issuer }
          : {}),
        ignoreUnsigned: flags.ignoreUnsigned === true,
        deep: flags.deep === true,
        offline: flags.offline === true,
        hashing: flags.hashing,
        policy,
        cwd: io.cwd,
        env: io.env,
        hash: {
          ...(flags.concurrency ? { threads: flags.concurrency } : {}),
          ...(bar.update ? { onProgress: bar.update } : {}),
        },
      }).finally(bar.end);
    } catch (e) {
      writeFailureReport('verify', target, e, flags, io);
      throw e;
    }
    writeOutputs(out.report, flags, io);
    ctx.exitCode = out.exitCode(flags.failOn ?? policy.failOn);
  });
}
