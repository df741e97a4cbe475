/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- walks parsed SARIF */
/**
 * GitHub code scanning's rules for an uploaded SARIF file, as a checker: the limits table and the
 * supported-properties tables of docs.github.com "SARIF support for code scanning" (copied here, so
 * the test needs no network). Each rule has `check` (the problems it finds in a document) and
 * `breakIt` (a mutation of a good document that it must catch), so no rule is a check that cannot fail.
 */
import { gzipSync } from 'node:zlib';

type Json = Record<string, any>;

export interface GithubRule {
  id: string;
  check(doc: Json): string[];
  breakIt(doc: Json): void;
}

const runs = (d: Json): Json[] => d.runs ?? [];
const results = (d: Json): Json[] => runs(d).flatMap((r) => r.results ?? []);
const rules = (d: Json): Json[] => runs(d).flatMap((r) => r.tool?.driver?.rules ?? []);
const first = (d: Json): Json => runs(d)[0]!.results[0]!;
const firstLoc = (d: Json): Json => first(d).locations[0].physicalLocation;
const problems = (bad: unknown[], what: string): string[] => (bad.length ? [`${bad.length} ${what}`] : []);
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function uriProblem(a: Json | undefined): string | undefined {
  if (!a || typeof a.uri !== 'string' || a.uri === '') return 'no uri';
  if (a.uriBaseId !== undefined) {
    if (SCHEME.test(a.uri) || a.uri.startsWith('/')) return `absolute uri under a base: ${a.uri}`;
    if (a.uri.split('/').includes('..')) return `../ under a base: ${a.uri}`;
    return undefined;
  }
  return SCHEME.test(a.uri) ? undefined : `relative uri with no base: ${a.uri}`;
}

export const GITHUB_RULES: GithubRule[] = [
  {
    id: 'runs per file ≤ 20',
    check: (d) => (runs(d).length > 20 ? [`${runs(d).length} runs`] : []),
    breakIt: (d) => d.runs.push(...Array.from({ length: 20 }, () => d.runs[0])),
  },
  {
    id: 'results per run ≤ 25,000',
    check: (d) => runs(d).flatMap((r) => ((r.results ?? []).length > 25_000 ? [`${r.results.length} results`] : [])),
    breakIt: (d) => {
      const r = d.runs[0].results;
      while (r.length <= 25_000) r.push(r[0]);
    },
  },
  {
    id: 'rules per run ≤ 25,000',
    check: (d) => runs(d).flatMap((r) => ((r.tool.driver.rules ?? []).length > 25_000 ? ['too many rules'] : [])),
    breakIt: (d) => {
      const r = d.runs[0].tool.driver.rules;
      while (r.length <= 25_000) r.push(r[0]);
    },
  },
  {
    id: 'locations per result: 1 to 1,000',
    check: (d) => problems(results(d).filter((x) => !x.locations?.length || x.locations.length > 1000), 'results with 0 or > 1,000 locations'),
    breakIt: (d) => (first(d).locations = []),
  },
  {
    id: 'tags per rule ≤ 10 shown (20 accepted)',
    check: (d) => problems(rules(d).filter((r) => (r.properties?.tags ?? []).length > 10), 'rules with more than 10 tags'),
    breakIt: (d) => (rules(d)[0]!.properties.tags = Array.from({ length: 11 }, (_, i) => `t${i}`)),
  },
  {
    id: 'gzip-compressed file ≤ 10 MB',
    check: (d) => {
      const text = JSON.stringify(d);
      // gzip never makes JSON bigger than it is, so a small document needs no compressing
      if (text.length <= 10 * 1024 * 1024) return [];
      const n = gzipSync(text, { level: 1 }).length;
      return n > 10 * 1024 * 1024 ? [`${n} bytes gzipped`] : [];
    },
    // base64 of random bytes gzips to about 3/4 of its length: 16 MB of it is over the limit
    breakIt: (d) => {
      const bytes = new Uint8Array(12 * 1024 * 1024);
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
      d.runs[0].properties.padding = Buffer.from(bytes).toString('base64');
    },
  },
  {
    id: 'rule name ≤ 255, short and full description ≤ 1,024 characters',
    check: (d) =>
      problems(
        rules(d).filter((r) => (r.name ?? '').length > 255 || (r.shortDescription?.text ?? '').length > 1024 || (r.fullDescription?.text ?? '').length > 1024),
        'rules over a length limit',
      ),
    breakIt: (d) => (rules(d)[0]!.fullDescription.text = 'x'.repeat(1025)),
  },
  {
    id: 'defaultConfiguration.level is note, warning or error',
    check: (d) => problems(rules(d).filter((r) => r.defaultConfiguration && !['note', 'warning', 'error'].includes(r.defaultConfiguration.level)), 'rules with another level'),
    breakIt: (d) => (rules(d)[0]!.defaultConfiguration.level = 'none'),
  },
  {
    id: 'security-severity is a score in (0, 10]',
    check: (d) =>
      problems(
        rules(d).filter((r) => {
          const s = r.properties?.['security-severity'];
          return s !== undefined && !(typeof s === 'string' && Number(s) > 0 && Number(s) <= 10);
        }),
        'rules with a bad security-severity',
      ),
    breakIt: (d) => (rules(d)[0]!.properties['security-severity'] = '11'),
  },
  {
    id: 'ruleIndex in range and naming its rule',
    check: (d) =>
      runs(d).flatMap((run) =>
        problems(
          (run.results ?? []).filter((x: Json) => x.ruleIndex !== undefined && (x.ruleIndex < 0 || run.tool.driver.rules[x.ruleIndex]?.id !== x.ruleId)),
          'results with a bad ruleIndex',
        ),
      ),
    breakIt: (d) => (first(d).ruleIndex = -1),
  },
  {
    id: 'message.text is not empty',
    check: (d) => problems(results(d).filter((x) => !x.message?.text), 'results without a message'),
    breakIt: (d) => (first(d).message.text = ''),
  },
  {
    id: 'every result has region.startLine ≥ 1',
    check: (d) => problems(results(d).filter((x) => !(x.locations?.[0]?.physicalLocation?.region?.startLine >= 1)), 'results without a startLine'),
    breakIt: (d) => delete firstLoc(d).region,
  },
  {
    id: 'artifact URIs: relative under a base (no ../, not absolute), absolute without one',
    check: (d) => results(d).flatMap((x) => (x.locations ?? []).map((l: Json) => uriProblem(l.physicalLocation?.artifactLocation)).filter(Boolean)),
    breakIt: (d) => (firstLoc(d).artifactLocation = { uri: '../outside/a.pkl', uriBaseId: '%SRCROOT%' }),
  },
  {
    id: 'automationDetails.id has a category',
    check: (d) => runs(d).flatMap((r) => (typeof r.automationDetails?.id === 'string' && r.automationDetails.id.lastIndexOf('/') > 0 ? [] : ['no category'])),
    breakIt: (d) => (d.runs[0].automationDetails = { id: 'no category' }),
  },
  {
    id: 'partialFingerprints.primaryLocationLineHash is <hash>:<n>',
    check: (d) => problems(results(d).filter((x) => !/^[0-9a-f]+:[1-9][0-9]*$/.test(x.partialFingerprints?.primaryLocationLineHash ?? '')), 'results without a line hash'),
    breakIt: (d) => delete first(d).partialFingerprints.primaryLocationLineHash,
  },
  {
    id: 'tool.driver.name is set',
    check: (d) => runs(d).flatMap((r) => (r.tool?.driver?.name ? [] : ['no driver name'])),
    breakIt: (d) => (d.runs[0].tool.driver.name = ''),
  },
];

/** Every problem GitHub would have with `doc`, as `rule: problem`. */
export function githubProblems(doc: Json): string[] {
  return GITHUB_RULES.flatMap((r) => r.check(doc).map((p) => `${r.id}: ${p}`));
}
