import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/reporters/html.js';
import { finding, HOSTILE, kitchenSink, report, suppressed } from './sample.js';

/** Every place a scanned file or a user controls a string, holding a script tag. */
function hostileReport() {
  const t = HOSTILE;
  return report({
    targets: [{ uri: t, resolvedRevision: t }],
    findings: [
      finding(
        `x/${t}`,
        'critical',
        { target: t, path: t, member: t, offset: 1 },
        { message: t, evidence: { payload: t }, technique: t },
      ),
    ],
    inconclusive: [{ path: t, member: t, code: 'PARSE_ERROR', message: t, scanner: t }],
    suppressed: [suppressed(finding('x/y', 'low', { target: t, path: t }, { message: t }), t)],
    files: [{ path: t, format: t, scanners: [t] }],
  });
}

describe('html', () => {
  it('escapes every string that came from the scan', () => {
    const html = renderHtml(hostileReport());
    expect(html).not.toContain('<script');
    expect(html).not.toContain('alert("x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39;');
  });

  it.each([['<script'], ['<link'], [' src='], ['@import'], ['url('], ['<iframe'], ['<object']])(
    'is self-contained: no %s',
    (needle) => {
      expect(renderHtml(kitchenSink()).toLowerCase()).not.toContain(needle);
    },
  );

  it('forbids scripts and remote loads with a CSP, in case an escape is ever missed', () => {
    expect(renderHtml(kitchenSink())).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'/,
    );
  });

  it('has the summary, findings by severity, inconclusive and suppressed sections', () => {
    const html = renderHtml(kitchenSink());
    const order = ['critical', 'high', 'medium', 'low', 'info'].map((s) =>
      html.indexOf(`<td class="sev s-${s}">${s}</td>`),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('<h2>Inconclusive (1)</h2>');
    expect(html).toContain('<h2>Suppressed (1)</h2>');
    expect(html).toContain('class="verdict v-findings"');
  });

  it.each([
    ['clean', report({}), 'v-clean'],
    [
      'inconclusive only',
      report({ inconclusive: [{ path: 'a', code: 'TRUNCATED', message: 'm' }] }),
      'v-inconclusive',
    ],
    [
      'info only is good news',
      report({ findings: [finding('safetensors/header-valid', 'info', { path: 'w' })] }),
      'v-clean',
    ],
  ])('verdict: %s', (_name, r, cls) => {
    expect(renderHtml(r)).toContain(`class="verdict ${cls}"`);
  });
});
