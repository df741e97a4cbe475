/**
 * Python source files. In a model repository they are what `trust_remote_code=True` imports (config
 * `auto_map` names them); inside a TorchScript archive they are compiled TorchScript, which the pickle
 * rules must not read as protocol-0 pickles. We report the file, and for a repository file whether it
 * executes or fetches (so rules can rate auto_map code that does more than define a model higher);
 * judging it is left to rules.
 */
import { pythonReach } from '../../formats/hfrepo/python-reach.js';
import type { ScanContext, Scanner, ScanInput } from '../types.js';

/** a repository module this big is not read for its reach: it is `unread`, never `none` */
const MAX_SOURCE = 4 * 1024 * 1024;

async function reachOf(input: ScanInput): Promise<{ reach: string; reasons: string[] }> {
  if (input.reader.size > MAX_SOURCE) return { reach: 'unread', reasons: [] };
  return pythonReach(new TextDecoder('utf-8').decode(await input.reader.read(0, input.reader.size)));
}

export const pythonScanner: Scanner = {
  id: 'python-source',
  formats: ['python'],
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const name = input.location.member ?? input.location.path;
    const inContainer = input.location.member !== undefined;
    const reach = inContainer ? {} : await reachOf(input);
    ctx.emit({
      kind: 'hf.python-file',
      location: { ...input.location },
      data: { name, inContainer, bytes: input.reader.size, ...reach, key: name },
    });
  },
};
