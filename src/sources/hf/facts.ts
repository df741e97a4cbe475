/**
 * Facts an `hf://` target contributes before any byte is read: an unpinned revision (with the commit
 * to pin), and the Hub's own per-file scan verdicts, normalised so rules can show them beside ours.
 */
import type { RemoteFileSpec } from '../../artifact/remote/index.js';
import type { Fact } from '../../model/facts.js';
import { COMMIT_RE, pinnedUri, type HubTarget } from './uri.js';

export function unpinnedFact(t: HubTarget, target: string, commit: string): Fact | undefined {
  if (t.revision && COMMIT_RE.test(t.revision)) return undefined;
  return {
    kind: 'source.unpinned',
    location: { path: '.' },
    data: {
      scheme: 'hf',
      target,
      ref: t.revision ?? '(default branch)',
      commit,
      pinTo: pinnedUri(t, commit),
      key: target,
    },
  };
}

export interface HubVerdict {
  /** overall: safe | unsafe | suspicious | caution | queued | unscanned | error */
  status: string;
  /** per scanner (avScan, pickleImportScan, jFrogScan, protectAiScan, …) */
  scanners: Record<string, string>;
  /** `module.name` of imports the Hub rates dangerous or suspicious */
  flaggedImports: string[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Two shapes are served: `securityFileStatus` ({status, avScan:{status}, pickleImportScan:{status,
 * pickleImports:[{module,name,safety}]}, …}) and the older `security` ({safe, avScan:{virusFound},
 * pickleImportScan:{highestSafetyLevel, imports}}).
 */
export function normalizeVerdict(raw: unknown): HubVerdict | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const scanners: Record<string, string> = {};
  const flagged: string[] = [];
  for (const [k, v] of Object.entries(r)) {
    if (!v || typeof v !== 'object' || !k.endsWith('Scan')) continue;
    const s = v as Record<string, unknown>;
    const st = str(s.status) ?? str(s.highestSafetyLevel) ?? (typeof s.virusFound === 'boolean' ? (s.virusFound ? 'unsafe' : 'safe') : undefined);
    if (st) scanners[k] = st;
    const imports = (s.pickleImports ?? s.imports) as Array<Record<string, unknown>> | undefined;
    for (const i of Array.isArray(imports) ? imports : []) {
      if (i.safety === 'dangerous' || i.safety === 'suspicious') flagged.push(`${String(i.module)}.${String(i.name)}`);
    }
  }
  const status = str(r.status) ?? (typeof r.safe === 'boolean' ? (r.safe ? 'safe' : 'unsafe') : 'unscanned');
  return { status, scanners, flaggedImports: [...new Set(flagged)].sort() };
}

export function hubFacts(t: HubTarget, target: string, commit: string, specs: RemoteFileSpec[]): Fact[] {
  const facts: Fact[] = [];
  const u = unpinnedFact(t, target, commit);
  if (u) facts.push(u);
  for (const s of specs) {
    const v = normalizeVerdict(s.meta?.hubScan);
    if (!v) continue;
    facts.push({
      kind: 'remote.scan-verdict',
      location: { path: s.path },
      data: { service: 'huggingface', ...v, key: s.path },
    });
  }
  return facts;
}
