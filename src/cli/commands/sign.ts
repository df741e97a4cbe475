import { writeOutputFile } from '../../files.js';
import { Option, type Command } from 'commander';
import { loadPrivateKey } from '../../lineage/keys.js';
import type { ManifestFormat } from '../../lineage/types.js';
import { atCwd, type RunContext } from '../io.js';
import { hiddenAlias, positiveInt, redact } from '../flags.js';
import { byteProgress } from '../progress.js';

interface SignFlags {
  key?: string;
  output: string;
  manifestFormat: ManifestFormat;
  source?: string[];
  transform?: string[];
  fromDvc?: string;
  base?: string;
  insecureKeyPerms?: boolean;
  threads?: number;
  progress?: boolean;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];
const MANIFEST_FORMATS: readonly ManifestFormat[] = ['mlvet', 'model-signing'];

export function register(program: Command, { io }: RunContext): void {
  program
    .command('sign')
    .description('hash directories and write a signed lineage manifest (Sigstore bundle v0.3 + DSSE + in-toto)')
    .argument('[target...]', 'directories (or files) to sign')
    .option('--key <file>', 'private key PEM (or set MLVET_SIGNING_KEY); must not be group/world-readable')
    .requiredOption('-o, --output <file>', 'manifest to write, e.g. model.sigstore.json')
    .addOption(hiddenAlias('--out <file>', 'output'))
    .addOption(new Option('--manifest-format <format>', 'manifest layout').choices([...MANIFEST_FORMATS]).default('mlvet'))
    // the old name: everywhere else --format is the report format
    .addOption(hiddenAlias('--format <format>', 'manifestFormat').choices([...MANIFEST_FORMATS]))
    .addOption(new Option('--source <name=uri>', 'a pinned input: hf://org/repo@<commit>, s3://b/k?versionId=…, https://…#sha256=…, git+https://…@<sha> (repeatable)').argParser(collect))
    .addOption(new Option('--transform <spec.json>', 'transform record(s): {id, command, resolvedDependencies, outputs} (repeatable)').argParser(collect))
    .option('--from-dvc <dvc.lock>', 'import DVC stages as transforms and their outputs as sets')
    .option('--base <dir>', 'directory set roots are relative to (the verify target)')
    .option('--insecure-key-perms', 'accept a key file other users can read')
    .option('--threads <n>', 'hashing threads (default: all cores)', positiveInt)
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (targets: string[], flags: SignFlags) => {
      // hashing and signing load when a sign runs, not for `mlvet --help`
      const { sign } = await import('../../lineage/sign.js');
      const key = loadPrivateKey({
        ...(flags.key ? { file: atCwd(io, flags.key) } : { pem: io.env.MLVET_SIGNING_KEY }),
        passphrase: io.env.MLVET_KEY_PASSPHRASE || undefined,
        insecurePerms: flags.insecureKeyPerms === true,
      });
      const bar = byteProgress(io, 'hashing', flags.progress !== false);
      const r = await sign({
        targets,
        key,
        out: flags.output,
        cwd: io.cwd,
        format: flags.manifestFormat,
        ...(flags.source ? { sources: flags.source } : {}),
        // the library reads transform files as given; resolve them as the user meant
        ...(flags.transform ? { transformFiles: flags.transform.map((t) => atCwd(io, t)) } : {}),
        ...(flags.fromDvc ? { fromDvc: flags.fromDvc } : {}),
        ...(flags.base ? { base: flags.base } : {}),
        hash: { ...(flags.threads ? { threads: flags.threads } : {}), ...(bar.update ? { onProgress: bar.update } : {}) },
      }).finally(bar.end);
      writeOutputFile(atCwd(io, flags.output), r.bundle, { what: '--output' });
      for (const w of r.warnings) io.stderr.write(`mlvet: warning: ${w.code}: ${redact(w.detail)}\n`);
      io.stdout.write(`signed ${r.files} files (${r.bytes} bytes) in ${r.format} format with key ${r.keyId}; wrote ${flags.output}\n`);
    });
}
