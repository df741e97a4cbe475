import { describe, expect, it } from 'vitest';
import type { FailOn } from '../../src/model/report.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { finding, HOSTILE, kitchenSink, report } from './sample.js';

/**
 * A small well-formedness check (no XML parser is a dependency): tags balance, attribute values are
 * quoted without raw `<`, text has no raw `<` and every `&` starts an entity, and no character XML
 * 1.0 forbids appears.
 */
function assertWellFormed(xml: string): void {
  // eslint-disable-next-line no-control-regex -- looking for control characters
  expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  const body = xml.replace(/^<\?xml[^?]*\?>\n/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(body))) {
    consumed = token.lastIndex;
    const [, close, name, attrs, selfClose, text] = m;
    for (const raw of [text ?? '', attrs ?? ''])
      expect(raw.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toContain('&');
    if (text !== undefined) continue;
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name!);
  }
  expect(consumed).toBe(body.length);
  expect(stack).toEqual([]);
}

const count = (xml: string, tag: string): number => xml.split(`<${tag} `).length - 1;

describe('junit', () => {
  it('is well-formed with hostile strings, and escapes them', () => {
    const t = HOSTILE;
    const xml = renderJunit(
      report({
        targets: [{ uri: t }],
        findings: [finding(`x/${t}`, 'critical', { target: t, path: t, member: t }, { message: t })],
        inconclusive: [{ path: t, code: 'PARSE_ERROR', message: t }],
      }),
    );
    assertWellFormed(xml);
    expect(xml).toContain('&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&apos;\\u0001');
  });

  it('the kitchen sink is well-formed', () =>
    assertWellFormed(renderJunit(kitchenSink(), { failOn: 'medium' })));

  it.each<[FailOn | undefined, number]>([
    [undefined, 4],
    ['low', 4],
    ['medium', 3],
    ['high', 2],
    ['critical', 1],
    ['none', 0],
  ])('--fail-on %s: %i failing files', (failOn, failures) => {
    const xml = renderJunit(kitchenSink(), failOn ? { failOn } : {});
    expect(count(xml, 'failure')).toBe(failures);
    expect(xml).toMatch(new RegExp(`<testsuites [^>]*failures="${failures}"`));
  });

  it('one testcase per file; inconclusive entries are errors; the rest is in system-out', () => {
    const xml = renderJunit(kitchenSink(), { failOn: 'critical' });
    // a.pkl, model.bin, cfg.json, data.csv, w.safetensors, broken.pkl, internal.pkl, clean.pkl
    expect(count(xml, 'testcase')).toBe(8);
    expect(count(xml, 'error')).toBe(1);
    expect(xml).toContain('<error type="TRUNCATED"');
    expect(xml).toMatch(/<system-out>[^<]*HIGH pickle\/file-access/);
    expect(xml).toMatch(/<system-out>[^<]*SUPPRESSED MEDIUM pickle\/unknown-global/);
  });

  it('one testsuite per target', () => {
    const r = report({
      targets: [{ uri: 'a' }, { uri: 'b' }],
      findings: [
        finding('x/y', 'high', { target: 'a', path: 'f.pkl' }),
        finding('x/y', 'high', { target: 'b', path: 'f.pkl' }),
      ],
    });
    const xml = renderJunit(r);
    expect(count(xml, 'testsuite')).toBe(2);
    expect(xml).toMatch(/<testsuite name="a" tests="1" failures="1"/);
    expect(xml).toMatch(/<testsuite name="b" tests="1" failures="1"/);
  });
});

describe('junit: validate has one testcase per expectation and check', () => {
  const gx = (type: string, column: string | undefined, success: boolean, raised = false): Record<string, unknown> => ({
    success,
    expectation_config: { type, kwargs: { ...(column ? { column } : {}), min_value: 0 }, meta: {} },
    result: success ? { observed_value: 3 } : { unexpected_count: 2, unexpected_percent: 20, partial_unexpected_list: [31, 40] },
    meta: {},
    exception_info: { raised_exception: raised, exception_traceback: null, exception_message: raised ? 'boom' : null },
  });
  const validation = (results: unknown[]): Record<string, unknown> => ({ results, statistics: { evaluated_expectations: results.length } });
  const rep = (): ReturnType<typeof report> => {
    const r = report({
      targets: [{ uri: 'data/train.csv' }],
      findings: [
        finding('validation/expectation-failed', 'high', { target: 'data/train.csv', path: 'data/train.csv', row: 3 }, { evidence: { key: 'expect_column_values_to_be_between:x' } }),
        finding('validation/check-failed', 'low', { target: 'data/train.csv', path: 'data/train.csv' }, { evidence: { key: 'mlvet_label_flip_rate:label' } }),
      ],
      suppressed: [{ ...finding('validation/expectation-failed', 'high', { target: 'data/train.csv', path: 'data/train.csv' }, { evidence: { key: 'expect_column_values_to_not_be_null:y' } }), suppression: { reason: 'known gaps', source: '.mlvetignore:1' } }],
      inconclusive: [{ path: 'data/train.csv', code: 'PARSE_ERROR', message: 'row 9: bad quote' }],
    });
    return {
      ...r,
      command: 'validate',
      validation: validation([
        gx('expect_column_values_to_be_between', 'x', false),
        gx('expect_column_to_exist', 'x', true),
        gx('mlvet_label_flip_rate', 'label', false),
        gx('expect_column_values_to_not_be_null', 'y', false),
        gx('expect_column_mean_to_be_between', 'z', false, true),
      ]),
    };
  };

  it('is well-formed', () => assertWellFormed(renderJunit(rep(), { failOn: 'medium' })));

  it.each<[string, RegExp]>([
    ['a failed expectation at or above --fail-on is a failure with expected and observed', /<testcase name="expect_column_values_to_be_between\(x\)"[^>]*>\s*<failure type="validation\/expectation-failed"[^>]*>expected \{&quot;min_value&quot;:0\}\n2 unexpected \(20\.00%\); examples \[31,40\]\nHIGH/],
    ['a passed one passes, saying what was observed', /<testcase name="expect_column_to_exist\(x\)"[^>]*>\s*<system-out>passed: expected [^<]*observed 3<\/system-out>/],
    ['a failed check below --fail-on passes with a note', /<testcase name="mlvet_label_flip_rate\(label\)"[^>]*>\s*<system-out>failed below --fail-on \(low\)/],
    ['a suppressed one is skipped with its reason', /<testcase name="expect_column_values_to_not_be_null\(y\)"[^>]*>\s*<skipped message="suppressed: known gaps \(.mlvetignore:1\)"\/>/],
    ['one that raised is an error', /<testcase name="expect_column_mean_to_be_between\(z\)"[^>]*>\s*<error type="EXPECTATION_ERROR" message="boom"\/>/],
    ['unread rows are one more errored case', /<testcase name="all rows read"[^>]*>\s*<error type="PARSE_ERROR"/],
    ['the totals count cases', /<testsuites name="mlvet validate" tests="6" failures="1" errors="2" skipped="1">/],
  ])('%s', (_name, re) => {
    expect(renderJunit(rep(), { failOn: 'medium' })).toMatch(re);
  });

  it('without a suite result (an old report) it falls back to one case per file', () => {
    const xml = renderJunit({ ...rep(), validation: undefined }, { failOn: 'medium' });
    expect(count(xml, 'testcase')).toBe(1);
    expect(xml).toContain('<testcase name="data/train.csv"');
  });

  it('the CLI: validate a CSV with a failing suite, one case per evaluated expectation', async () => {
    const r = await runCli(['validate', 'fixtures/datasets/small.csv', '--suite', 'fixtures/datasets/suite-failing.json', '--format', 'junit'], { cwd: ROOT });
    assertWellFormed(r.stdout);
    const json = await runCli(['validate', 'fixtures/datasets/small.csv', '--suite', 'fixtures/datasets/suite-failing.json', '--format', 'json'], { cwd: ROOT });
    const evaluated = (JSON.parse(json.stdout) as { validation: { statistics: { evaluated_expectations: number } } }).validation.statistics.evaluated_expectations;
    expect(evaluated).toBeGreaterThan(0);
    expect(count(r.stdout, 'testcase')).toBe(evaluated);
    expect(r.stdout).toMatch(/<testcase name="expect_column_values_to_be_between\(x\)"[^>]*>\s*<failure /);
  });
});
