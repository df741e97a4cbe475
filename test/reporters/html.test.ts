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

/** A GX result as the validation report carries it. */
function gx(type: string, kwargs: Record<string, unknown>, success: boolean, result: Record<string, unknown> = {}) {
  return { success, expectation_config: { type, kwargs, meta: {} }, result, meta: {}, exception_info: { raised_exception: false, exception_traceback: null, exception_message: null } };
}

function validationReport(results: unknown[], extra: Record<string, unknown> = {}) {
  return { ...report({}), command: 'validate', validation: { success: true, results, suite_name: 'suite', meta: { mlvet: { rows_scanned: 100, ...extra } } } };
}

const svgCount = (html: string): number => html.match(/<svg /g)?.length ?? 0;

describe('html: validation', () => {
  const passed = Array.from({ length: 35 }, (_, i) => gx('expect_column_values_to_not_be_null', { column: `c${i}` }, true, { element_count: 100, unexpected_count: 0 }));
  const drift = [
    gx('expect_column_drift_score_to_be_at_most', { column: 'age' }, false, { observed_value: 1.75, details: { statistic: 1.75, threshold: 0.1, method: 'wasserstein_normed' } }),
    gx('expect_column_drift_score_to_be_at_most', { column: 'text' }, true, { observed_value: 0.05, details: { threshold: 0.1, method: 'jensenshannon' } }),
    gx('expect_column_label_distribution_shift_to_be_at_most', { column: 'label' }, false, { observed_value: 0.15, details: { classes: [{ label: 'neg', share: 0.3, baseline_share: 0.5 }, { label: 'pos', share: 0.7, baseline_share: 0.5 }] } }),
    gx('expect_column_values_to_be_between', { column: 'income', min_value: 484, max_value: 2514 }, false, { element_count: 10, unexpected_count: 2, unexpected_percent: 20, partial_unexpected_list: [3757, 5061] }),
  ];

  it('a clean validation says how many expectations passed, not "No findings"', () => {
    const html = renderHtml(validationReport(passed));
    expect(html).toContain('Clean: 35 expectations passed');
    expect(html).toContain('<summary class="pass">35 expectations passed</summary>');
    expect(html).not.toContain('No findings');
    expect(html.match(/<td class="pass">pass<\/td>/g)).toHaveLength(35);
  });

  it('draws the drift scores, the label distribution and the failed expectations with their examples', () => {
    const html = renderHtml(validationReport([...passed, ...drift]));
    expect(html).toContain('3 of 39 expectations failed');
    expect(html).toContain('<h2>Drift by column</h2>');
    expect(html).toMatch(/<title>age: 1\.75<\/title>/);
    expect(html).toMatch(/class="bar bad"><title>age/);
    expect(html).toMatch(/class="bar ok"><title>text/);
    expect(html).toContain('threshold 0.1');
    expect(html).toContain('<title>neg: baseline 50%</title>');
    expect(html).toContain('2 of 10 unexpected (20%)');
    expect(html).toContain('<code>3757; 5061</code>');
    expect(svgCount(html)).toBe(2); // drift and labels; no findings, so no severity strip
  });

  it('draws a histogram with the baseline overlaid when the validation carries column statistics', () => {
    const columns = [{ name: 'age', kind: 'number', rows: 10, nulls: 1, distinct: 7, histogram: { edges: [0, 1, 2, 3], counts: [1, 5, 4], baseline: [3, 4, 3] } }];
    const html = renderHtml(validationReport([gx('expect_column_mean_to_be_between', { column: 'age', min_value: 1, max_value: 2 }, true, { observed_value: 1.5 })], { columns }));
    expect(html).toContain('<svg class="chart" role="img"');
    expect(html).toContain('class="step"');
    expect(html).toMatch(/<dt>nulls<\/dt><dd>1<\/dd><dt>distinct<\/dt><dd>7<\/dd>/);
  });

  it.each([
    ['no results array', { results: 'x' }],
    ['odd entries', { results: [null, 3, { success: 'yes' }, { expectation_config: {} }] }],
    ['odd statistics', { results: [], meta: { mlvet: { columns: [{ name: 'a', histogram: { edges: [1], counts: [1, 2] } }, 7] } } }],
  ])('a malformed validation section (%s) leaves parts out instead of failing', (_name, validation) => {
    const html = renderHtml({ ...report({}), command: 'validate', validation });
    expect(html).toContain('</body></html>');
  });

  it('escapes column names, values and suite names', () => {
    const t = HOSTILE;
    const html = renderHtml(validationReport([gx('expect_column_drift_score_to_be_at_most', { column: t }, false, { observed_value: 2, details: { threshold: 0.1, examples: [{ row: 1, value: t }] } })], { columns: [{ name: t, top: [{ value: t, count: 3, baseline: 1 }] }] }));
    expect(html).not.toContain('<script');
  });
});

describe('html: verify', () => {
  const lineage = {
    manifest: 'model.sigstore.json',
    status: 'failed',
    signature: 'verified',
    signer: { name: 'release', keyId: 'd934eccd71de', alg: 'ed25519', via: 'key' },
    sets: [{ name: 'model', root: '.', files: 3, checked: 3, verified: 2, bytes: 5004 }],
    remote: { trust: { local: 1, 'remote-claimed': 2, none: 0 }, files: [{ set: 'model', path: 'a.bin', trust: 'remote-claimed' }, { path: 'b.json', trust: 'local' }] },
  };

  it('says who signed, with which key, and the trust of each file', () => {
    const r = { ...report({ findings: [finding('lineage/digest-mismatch', 'critical', { path: 'a.bin' })] }), command: 'verify', lineage };
    const html = renderHtml(r);
    expect(html).toContain('<th class="w-rule">signer</th><td><code>release</code>');
    expect(html).toContain('<th class="w-rule">key id</th><td><code>d934eccd71de</code>');
    expect(html).toMatch(/<td><code>a\.bin<\/code><\/td><td>model<\/td><td>remote-claimed<\/td><td class="fail">lineage\/digest-mismatch<\/td>/);
    expect(html).toMatch(/<td><code>b\.json<\/code><\/td><td><\/td><td>local<\/td><td class="pass">ok<\/td>/);
    expect(html).toContain('<td class="fail">2 of 3</td>');
    expect(html).toContain('Findings: signed by release; 2 of 3 files verified');
  });
});

describe('html: verify, hostile', () => {
  it('escapes the signer, key id, manifest, set names and remote file paths', () => {
    const t = HOSTILE;
    const lineage = { manifest: t, status: t, signature: t, signer: { name: t, keyId: t, alg: t, via: t }, sets: [{ name: t, root: t, files: 1, verified: 0, bytes: 1 }], remote: { trust: { local: 1 }, files: [{ set: t, path: t, trust: t }] } };
    const html = renderHtml({ ...report({ findings: [finding('lineage/x', 'high', { path: t })] }), command: 'verify', lineage });
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('html: scan', () => {
  it('groups findings by file in collapsible groups with their counts, clean files folded together', () => {
    const html = renderHtml(kitchenSink());
    expect(html).toMatch(/<details class="file" open><summary><code>a\.pkl<\/code> <span class="muted">\(pickle\)<\/span><span class="badge s-critical">1 critical<\/span><\/summary>/);
    expect(html).toContain('<summary>1 clean file</summary>');
    expect(html).toContain('<svg class="chart strip"');
  });
});
