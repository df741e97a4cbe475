/**
 * Goldens: scan small fixture sets (made by fixtures/make-fixtures.mjs), render every format, and
 * compare with test/golden/__golden__/ after normalising the version and absolute paths (the scan
 * time is pinned). `npx vitest run test/golden -u` rewrites them. SARIF goldens are validated against
 * the official SARIF 2.1.0 schema and JSON goldens against schemas/report.schema.json.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { RENDERERS } from '../../src/reporters/index.js';
import { scan } from '../../src/scan.js';
import { ROOT } from '../helpers/cli.js';
import { errorsOf, reportValidator, sarifValidator } from '../schemas/validators.js';

const FIX = join(ROOT, 'test', 'golden', 'fixtures');
const NOW = new Date('2026-01-02T03:04:05.000Z');
const EXT: Record<string, string> = { text: 'txt', json: 'json', sarif: 'sarif', html: 'html', junit: 'xml' };

interface Set {
  set: string;
  targets: string[];
  ignoreFile?: string;
  exit: string;
}

const SETS: Set[] = [
  { set: 'clean', targets: ['clean'], exit: 'clean' },
  { set: 'malicious', targets: ['malicious'], exit: 'findings' },
  { set: 'truncated', targets: ['truncated'], exit: 'findings+inconclusive' },
  { set: 'suppressed', targets: ['suppress'], ignoreFile: 'suppress.mlvetignore', exit: 'clean' },
  { set: 'multi-target', targets: ['clean', 'malicious/malicious-os-system.pkl'], exit: 'findings' },
];

/** Pin what changes between runs and machines: version, time (already pinned) and absolute paths. */
function normalise(text: string): string {
  return text.split(pathToFileURL(ROOT).href).join('file:///__ROOT__').split(ROOT).join('__ROOT__');
}

const reports = new Map<string, Report>();

beforeAll(async () => {
  for (const s of SETS) {
    const report = await scan({
      targets: s.targets,
      cwd: FIX,
      ...(s.ignoreFile ? { ignoreFile: s.ignoreFile } : {}),
      now: NOW,
    });
    reports.set(s.set, { ...report, tool: { ...report.tool, version: '0.0.0-golden' } });
  }
});

function raw(set: string, format: string, color = false): string {
  return RENDERERS[format]!(reports.get(set)!, { color, failOn: 'medium', srcRoot: FIX });
}

const render = (set: string, format: string, color = false): string => normalise(raw(set, format, color));

describe('golden reports', () => {
  const cases = SETS.flatMap((s) => Object.keys(EXT).map((format) => ({ set: s.set, format })));
  it.each(cases)('$format of $set matches its golden', async ({ set, format }) => {
    await expect(render(set, format)).toMatchFileSnapshot(join('__golden__', `${set}.${EXT[format]!}`));
  });

  it('coloured text for a TTY matches its golden', async () => {
    await expect(render('truncated', 'text', true)).toMatchFileSnapshot(
      join('__golden__', 'truncated.color.txt'),
    );
  });

  it.each(SETS)('$set: the scan outcome is what the fixture is for ($exit)', ({ set, exit }) => {
    const r = reports.get(set)!;
    const got =
      [r.findings.length ? 'findings' : '', r.inconclusive.length ? 'inconclusive' : '']
        .filter(Boolean)
        .join('+') || 'clean';
    expect(got).toBe(exit);
    if (set === 'suppressed') expect(r.suppressed.map((s) => s.ruleId)).toEqual(['pickle/unknown-global']);
  });
});

describe('golden outputs validate against their schemas', () => {
  const sarif = sarifValidator();
  const json = reportValidator();
  // the real output, before normalising, is what must be valid
  it.each(SETS)('SARIF of $set is valid SARIF 2.1.0', ({ set }) => {
    const ok = sarif(JSON.parse(raw(set, 'sarif')));
    expect(ok, errorsOf(sarif)).toBe(true);
  });
  it.each(SETS)('JSON of $set is valid against schemas/report.schema.json', ({ set }) => {
    const ok = json(JSON.parse(raw(set, 'json')));
    expect(ok, errorsOf(json)).toBe(true);
  });
});
