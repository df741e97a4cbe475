/**
 * The pinning scanner: unpinned and untrusted sources named inside a repo or directory — Python that
 * downloads from the Hub without a commit or trusts remote code, requirements and pyproject entries
 * without exact pins, `auto_map` code from other repos, plain-HTTP model URLs. These are source files,
 * so they are chosen by name (the name is what Python and pip use), and only up to a size cap.
 */
import { MlvetError } from '../../errors.js';
import { PythonSyntaxError } from '../../formats/python/tokenize.js';
import type { Fact } from '../../model/facts.js';
import type { Probe, ScanContext, Scanner, ScanInput } from '../types.js';
import { configFacts } from './config.js';
import { pyprojectFacts } from './pyproject.js';
import { pythonFacts } from './python.js';
import { requirementsFacts } from './requirements.js';

const MAX_SOURCE = 4 * 1024 * 1024;

type Kind = 'python' | 'requirements' | 'pyproject' | 'config';

export function sourceKind(name: string): Kind | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1).slice(name.lastIndexOf('!') + 1);
  if (/\.pyw?$/i.test(base)) return 'python';
  if (/^(requirements|constraints)[\w.-]*\.(txt|in)$/i.test(base) || /\.requirements\.txt$/i.test(base)) return 'requirements';
  if (base === 'pyproject.toml') return 'pyproject';
  if (/\.json$/i.test(base)) return 'config';
  return undefined;
}

function nameOf(p: Probe, input?: ScanInput): string {
  return input?.location.member ?? p.path;
}

const EXTRACT: Record<Kind, (src: string, path: string) => Fact[]> = {
  python: pythonFacts,
  requirements: requirementsFacts,
  pyproject: pyprojectFacts,
  config: configFacts,
};

export const pinningScanner: Scanner = {
  id: 'pinning',
  formats: ['unknown', 'json', 'python', 'text', 'jinja'],
  required: (p) => sourceKind(p.path) !== undefined,
  async scan(input: ScanInput, ctx: ScanContext): Promise<void> {
    const kind = sourceKind(nameOf(input.probe, input));
    if (!kind) return;
    const where = { path: input.location.path, ...(input.location.member ? { member: input.location.member } : {}) };
    if (input.reader.size > MAX_SOURCE) {
      if (kind !== 'config') ctx.inconclusive({ ...where, code: 'LIMIT_EXCEEDED', message: `pinning: source file larger than ${MAX_SOURCE} bytes`, scanner: 'pinning' });
      return;
    }
    const bytes = await input.reader.read(0, input.reader.size);
    const src = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
    try {
      for (const f of EXTRACT[kind](src, input.location.path)) {
        ctx.emit({ ...f, location: { ...f.location, ...(input.location.member ? { member: input.location.member } : {}) } });
      }
    } catch (e) {
      if (e instanceof PythonSyntaxError) throw new MlvetError('PARSE_ERROR', e.message, { path: input.location.path, row: e.line });
      throw e;
    }
  },
};
