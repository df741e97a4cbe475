/**
 * The container fixture table: every malicious fixture (fixtures/formats/expected.json) yields its
 * rules with a location naming the path inside the container; every benign fixture made by a real
 * producer yields no finding above info and nothing inconclusive.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { FIXTURES } from '../helpers/cli.js';

const DIR = join(FIXTURES, 'formats');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, { rules: string[]; member: string | null }>;

describe('malicious container fixtures', () => {
  it.each(Object.entries(expected))('%s', async (name, want) => {
    const r = await scan({ targets: [join(DIR, 'malicious', name)] });
    const ids = new Set(r.findings.map((f) => f.ruleId));
    for (const rule of want.rules) expect(ids, `${name} misses ${rule}`).toContain(rule);
    if (want.member !== null) {
      const members = r.findings.map((f) => f.location.member);
      expect(members, `${name}: no finding at ${want.member}`).toContain(want.member);
    }
  });
  it('lists every malicious fixture on disk', () => {
    expect(readdirSync(join(DIR, 'malicious')).sort()).toEqual(Object.keys(expected).sort());
  });
});

/**
 * Pickle-engine rules (owned by the pickle pack) that still fire on real TorchScript archives: the C++
 * unpickler resolves `__torch__.*` classes and `torch.jit._pickle.*` helpers itself. Reported to the
 * pickle-pack owner; remove entries as the allowlist learns them.
 */
const PICKLE_PACK_PENDING: Record<string, string[]> = {
};

describe('benign container fixtures (real producers or the spec)', () => {
  const files = readdirSync(join(DIR, 'benign')).sort();
  it.each(files)('%s', async (name) => {
    const r = await scan({ targets: [join(DIR, 'benign', name)] });
    const pending = new Set(PICKLE_PACK_PENDING[name] ?? []);
    const flagged = r.findings.filter((f) => f.severity !== 'info' && !pending.has(f.ruleId));
    expect(flagged.map((f) => `${f.ruleId} ${f.location.member ?? ''}`)).toEqual([]);
    expect(r.inconclusive.map((i) => `${i.code} ${i.member ?? ''}`)).toEqual([]);
  });
});
