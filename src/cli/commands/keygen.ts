import { writeOutputFile } from '../../files.js';
import { Option, type Command } from 'commander';
import { generateKey, KEY_ALGS } from '../../lineage/keys.js';
import { atCwd, type RunContext } from '../io.js';
import { hiddenAlias } from '../flags.js';

interface KeygenFlags {
  alg: (typeof KEY_ALGS)[number];
  output: string;
  force?: boolean;
}

function writeNew(path: string, text: string, mode: number, force: boolean): void {
  writeOutputFile(path, text, { mode, exclusive: !force, what: 'key file' });
}

export function register(program: Command, { io }: RunContext): void {
  program
    .command('keygen')
    .description('make a signing key pair: NAME.key (PKCS#8 PEM, mode 0600; encrypted when MLVET_KEY_PASSPHRASE is set) and NAME.pub')
    .addOption(new Option('--alg <alg>', 'key type (p256 for model_signing compatibility)').choices([...KEY_ALGS]).default('ed25519'))
    .requiredOption('-o, --output <name>', 'file name stem: writes NAME.key and NAME.pub')
    .addOption(hiddenAlias('--out <name>', 'output'))
    .option('--force', 'overwrite existing files')
    .action((flags: KeygenFlags) => {
      const passphrase = io.env.MLVET_KEY_PASSPHRASE || undefined;
      const key = generateKey(flags.alg, passphrase);
      writeNew(atCwd(io, `${flags.output}.key`), key.privatePem, 0o600, flags.force === true);
      writeNew(atCwd(io, `${flags.output}.pub`), key.publicPem, 0o644, flags.force === true);
      io.stdout.write(
        `wrote ${flags.output}.key (${flags.alg}, ${passphrase ? 'encrypted' : 'not encrypted'}, mode 0600) and ${flags.output}.pub\n` +
          `key id (sha256 of DER SPKI):      ${key.ids.der}\n` +
          `model_signing hint (sha256 of PEM): ${key.ids.pem}\n`,
      );
    });
}
