import { describe, expect, it } from 'vitest';
import type { FailOn } from '../../src/model/report.js';
import { renderJunit } from '../../src/reporters/junit.js';
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
