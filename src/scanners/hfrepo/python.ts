/**
 * Python source files. In a model repository they are what `trust_remote_code=True` imports (config
 * `auto_map` names them); inside a TorchScript archive they are compiled TorchScript, which the pickle
 * rules must not read as protocol-0 pickles. We report the file and leave judging it to rules.
 */
import type { ScanContext, Scanner, ScanInput } from '../types.js';

export const pythonScanner: Scanner = {
  id: 'python-source',
  formats: ['python'],
  scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const name = input.location.member ?? input.location.path;
    ctx.emit({
      kind: 'hf.python-file',
      location: { ...input.location },
      data: { name, inContainer: input.location.member !== undefined, bytes: input.reader.size, key: name },
    });
    return Promise.resolve();
  },
};
