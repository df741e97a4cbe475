/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- these tests walk parsed JSON documents */
import { describe, expect, it } from 'vitest';
import type { Severity } from '../../src/model/report.js';
import { FINGERPRINT_KEY, renderSarif } from '../../src/reporters/sarif.js';
import { errorsOf, sarifValidator } from '../schemas/validators.js';
import { finding, HOSTILE, kitchenSink, report, suppressed } from './sample.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const validate = sarifValidator();
const sarif = (r = kitchenSink(), opts = {}): Json => JSON.parse(renderSarif(r, opts)) as Json;
const run = (r = kitchenSink(), opts = {}): Json => sarif(r, opts).runs[0] as Json;
const resultFor = (r: Json, path: string): Json =>
  r.results.find((x: Json) => x.properties.evidence && JSON.stringify(x).includes(path));

describe('sarif: schema', () => {
  it.each([
    ['everything', kitchenSink(), {}],
    ['with a source root', kitchenSink(), { srcRoot: '/work/repo' }],
    ['an empty scan', report({}), {}],
    [
      'hostile strings',
      report({
        findings: [finding('x/y', 'high', { target: 'models', path: HOSTILE, member: HOSTILE })],
        inconclusive: [{ path: HOSTILE, code: 'PARSE_ERROR', message: HOSTILE }],
      }),
      {},
    ],
    [
      'a remote target',
      report({
        targets: [{ uri: 'hf://org/model@main', kind: 'hf', resolvedRevision: 'a'.repeat(40) }],
        findings: [
          finding('pickle/code-execution', 'critical', {
            target: 'hf://org/model@main',
            path: 'pytorch_model.bin',
            member: 'archive/data.pkl',
            offset: 3,
          }),
        ],
      }),
      {},
    ],
  ])('%s is valid SARIF 2.1.0', (_name, r, opts) => {
    expect(validate(sarif(r, opts)), errorsOf(validate)).toBe(true);
  });
});

describe('sarif: rules and results', () => {
  it('describes exactly the referenced rules, and every ruleIndex points at its rule', () => {
    const r = run();
    const ids = r.tool.driver.rules.map((x: Json) => x.id);
    expect(ids).toEqual([...new Set(ids as string[])].sort());
    for (const res of r.results) expect(r.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
  });

  it.each<[Severity, string, string | undefined]>([
    ['critical', 'error', '9.5'],
    ['high', 'error', '8.0'],
    ['medium', 'warning', '5.5'],
    ['low', 'note', '3.0'],
    ['info', 'none', undefined],
  ])('%s → level %s, security-severity %s', (severity, level, score) => {
    const r = run(
      report({
        findings: [finding('custom/rule', severity, { target: 'models', path: 'a.pkl', offset: 1 })],
      }),
    );
    expect(r.results[0].level).toBe(level);
    // GitHub accepts only note, warning and error as a rule's default level
    expect(r.tool.driver.rules[0].defaultConfiguration.level).toBe(level === 'none' ? 'note' : level);
    expect(r.tool.driver.rules[0].properties['security-severity']).toBe(score);
  });

  it('builtin rules carry title, help link, tags and CWE', () => {
    const rule = run().tool.driver.rules.find((x: Json) => x.id === 'pickle/code-execution');
    expect(rule.helpUri).toBe('https://github.com/mlvet/mlvet/blob/main/docs/rules/pickle/code-execution.md');
    expect(rule.shortDescription.text.length).toBeGreaterThan(3);
    expect(rule.properties.tags).toEqual(
      expect.arrayContaining(['security', 'pickle', 'external/cwe/cwe-502']),
    );
  });

  it('a rule nobody loaded still gets a descriptor, and docsBaseUri moves help links', () => {
    const r = run(
      report({ findings: [finding('custom/my-rule', 'high', { target: 'models', path: 'a.pkl' })] }),
      { docsBaseUri: 'https://example.test/rules' },
    );
    expect(r.tool.driver.rules[0]).toMatchObject({
      id: 'custom/my-rule',
      helpUri: 'https://example.test/rules/custom/my-rule.md',
    });
  });

  it('partialFingerprints come from our fingerprint', () => {
    const rep = kitchenSink();
    const r = run(rep);
    const f = rep.findings[0]!;
    expect(r.results[0].partialFingerprints[FINGERPRINT_KEY]).toBe(f.fingerprint.slice('sha256:'.length));
  });

  it('suppressed findings stay as results with an external, accepted suppression and its reason', () => {
    const r = run();
    const sup = r.results.filter((x: Json) => x.suppressions);
    expect(sup).toHaveLength(1);
    expect(sup[0].suppressions[0]).toMatchObject({
      kind: 'external',
      status: 'accepted',
      justification: 'reviewed by the ML platform team',
    });
    expect(sup[0].suppressions[0].properties).toMatchObject({
      source: '.mlvetignore:3',
      expires: '2099-01-01',
    });
  });
});

describe('sarif: locations', () => {
  it.each([
    ['byte offset in a file', 'a.pkl', { uri: 'models/a.pkl', uriBaseId: '%SRCROOT%' }, { startLine: 1, byteOffset: 112 }, undefined],
    ['member of a container', 'model.bin', { uri: 'models/model.bin', uriBaseId: '%SRCROOT%' }, { startLine: 1 }, 'model.bin!archive/data.pkl'],
    ['text position', 'cfg.json', { uri: 'models/cfg.json', uriBaseId: '%SRCROOT%' }, { startLine: 3, startColumn: 7 }, undefined],
    ['CSV row 12 is line 13, after the header', 'data.csv', { uri: 'models/data.csv', uriBaseId: '%SRCROOT%' }, { startLine: 13 }, undefined],
    ['no position at all is line 1', 'w.safetensors', { uri: 'models/w.safetensors', uriBaseId: '%SRCROOT%' }, { startLine: 1 }, undefined],
  ])('%s', (_name, path, artifact, region, logical) => {
    const loc = resultFor(run(), path).locations[0];
    expect(loc.physicalLocation.artifactLocation).toEqual(artifact);
    expect(loc.physicalLocation.region).toEqual(region);
    expect(loc.logicalLocations?.[0]?.fullyQualifiedName).toBe(logical);
  });

  it.each([
    ['train.csv', 12, 13],
    ['train.tsv.gz', 12, 13],
    ['train.jsonl', 12, 12],
    ['train.ndjson', 1, 1],
    ['train.parquet', 12, 1],
    ['train.arrow', 12, 1],
  ])('a row of %s (row %i) is on line %i', (path, row, line) => {
    const r = run(report({ findings: [finding('validation/x', 'high', { target: 'models', path, row })] }));
    expect(r.results[0].locations[0].physicalLocation.region).toEqual({ startLine: line });
    expect(r.results[0].properties.row).toBe(row);
  });

  it('a member is named in the message, since its offset is not an offset into the file', () => {
    expect(resultFor(run(), 'model.bin').message.text).toContain('archive/data.pkl at byte 40');
  });

  const REV = 'c'.repeat(40);
  it.each<[string, string, string, string | undefined, Record<string, string>, string?]>([
    ['file target', 'models/sub/a.pkl', 'a.pkl', undefined, { uri: 'models/sub/a.pkl', uriBaseId: '%SRCROOT%' }],
    ['current directory', '.', 'x/a b.pkl', undefined, { uri: 'x/a%20b.pkl', uriBaseId: '%SRCROOT%' }],
    ['validate: the path is the target', 'data/train.csv', 'data/train.csv', undefined, { uri: 'data/train.csv', uriBaseId: '%SRCROOT%' }],
    ['absolute directory inside the root', '/work/repo/models', 'a.pkl', '/work/repo', { uri: 'models/a.pkl', uriBaseId: '%SRCROOT%' }],
    ['absolute directory outside the root', '/data/models', 'a.pkl', '/work/repo', { uri: 'file:///data/models/a.pkl' }],
    ['../ target from a subdirectory stays inside', '../models', 'a.pkl', '/work/repo', { uri: 'models/a.pkl', uriBaseId: '%SRCROOT%' }, '/work/repo/sub'],
    ['../ target out of the root', '../../elsewhere', 'a.pkl', '/work/repo', { uri: 'file:///work/elsewhere/a.pkl' }, '/work/repo/sub'],
    ['s3 prefix', 's3://bucket/prefix', 'd/a.pkl', undefined, { uri: 's3://bucket/prefix/d/a.pkl' }],
    ['s3 key', 's3://bucket/prefix/a.pkl', 'a.pkl', undefined, { uri: 's3://bucket/prefix/a.pkl' }],
    ['https file', 'https://example.test/m/model.pkl', 'model.pkl', undefined, { uri: 'https://example.test/m/model.pkl' }],
    ['hf model, pinned', 'hf://org/model@main', 'sub/pytorch_model.bin', undefined, { uri: `https://huggingface.co/org/model/blob/${REV}/sub/pytorch_model.bin` }],
    ['hf dataset subfolder', 'hf://datasets/org/data@main/train', 'a.parquet', undefined, { uri: `https://huggingface.co/datasets/org/data/blob/${REV}/train/a.parquet` }],
  ])('%s: an artifact URI GitHub can resolve', (_name, target, path, srcRoot, artifact, cwd) => {
    const r = run(
      report({
        targets: [{ uri: target, ...(target.startsWith('hf://') ? { resolvedRevision: REV } : {}) }],
        findings: [finding('x/y', 'high', { target, path, offset: 1 })],
      }),
      { ...(srcRoot ? { srcRoot } : {}), ...(cwd ? { cwd } : {}) },
    );
    expect(r.results[0].locations[0].physicalLocation.artifactLocation).toEqual(artifact);
  });

  it('srcRoot declares %SRCROOT% and the working directory', () => {
    const r = run(kitchenSink(), { srcRoot: '/work/repo' });
    expect(r.originalUriBaseIds['%SRCROOT%']).toMatchObject({ uri: 'file:///work/repo/' });
    expect(r.invocations[0].workingDirectory).toEqual({ uri: 'file:///work/repo/' });
  });
});

describe('sarif: inconclusive entries are never dropped', () => {
  it('each one is an error notification, and the invocation did not succeed', () => {
    const inv = run().invocations[0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications).toHaveLength(1);
    expect(inv.toolExecutionNotifications[0]).toMatchObject({
      level: 'error',
      descriptor: { id: 'TRUNCATED' },
      properties: { code: 'TRUNCATED', offset: 9 },
    });
    expect(inv.toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'models/broken.pkl',
    );
  });

  it('a complete scan succeeded and has no notifications', () => {
    const inv = run(report({ findings: [finding('x/y', 'high', { target: 'models', path: 'a.pkl' })] }))
      .invocations[0];
    expect(inv).toMatchObject({ executionSuccessful: true, toolExecutionNotifications: [] });
  });

  it("a suppressed finding in a file is kept alongside the file's inconclusive entry", () => {
    const f = finding('x/y', 'high', { target: 'models', path: 'a.pkl', offset: 1 });
    const r = run(
      report({
        suppressed: [suppressed(f)],
        inconclusive: [{ path: 'a.pkl', code: 'TRUNCATED', message: 'cut' }],
      }),
    );
    expect(r.results).toHaveLength(1);
    expect(r.invocations[0].toolExecutionNotifications).toHaveLength(1);
  });
});
