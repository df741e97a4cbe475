import { describe, expect, it } from 'vitest';
import type { FailOn } from '../../src/model/report.js';
import { renderText } from '../../src/reporters/text.js';
import { finding, kitchenSink, report } from './sample.js';

// eslint-disable-next-line no-control-regex -- ANSI escapes start with ESC
const ANSI = /\x1b\[[0-9;]*m/;

describe('text', () => {
  it.each([
    [false, false],
    [true, true],
  ])('colour %s → ANSI escapes %s', (color, ansi) => {
    expect(ANSI.test(renderText(kitchenSink(), { color }))).toBe(ansi);
  });

  it('groups by file: one header per file, files with problems worst first, then clean files', () => {
    const lines = renderText(kitchenSink()).split('\n');
    const header = (path: string): number[] =>
      lines.flatMap((l, i) =>
        l.startsWith(`${path}  (`) || l === path || l.startsWith(`✓ ${path}  `) ? [i] : [],
      );
    const order = [
      'a.pkl',
      'model.bin',
      'cfg.json',
      'data.csv',
      'broken.pkl',
      'w.safetensors',
      'internal.pkl',
      'clean.pkl',
    ];
    const at = order.map((p) => header(p));
    expect(at.map((x) => x.length)).toEqual(order.map(() => 1));
    const first = at.map((x) => x[0]!);
    expect([...first].sort((a, b) => a - b)).toEqual(first);
  });

  it.each([
    ['byte offset', 'pickle/code-execution  @ byte 112'],
    ['member', 'pickle/file-access  archive/data.pkl @ byte 40'],
    ['text position', 'pickle/unknown-global  :3:7'],
    ['row', 'pickle/trailing-data  row 12'],
    ['inconclusive', 'INCONCLUSIVE  TRUNCATED  @ byte 9'],
    ['an info finding as info, under its clean file', '✓ w.safetensors  (safetensors)  clean\n  INFO      safetensors/header-valid\n            safetensors header valid'],
    ['suppressed count in the file', '1 finding suppressed'],
    [
      'suppression with reason and source',
      'reviewed by the ML platform team (.mlvetignore:3, until 2099-01-01)',
    ],
  ])('shows %s', (_name, needle) => {
    expect(renderText(kitchenSink())).toContain(needle);
  });

  it.each<[string, FailOn | undefined, RegExp]>([
    ['no threshold', undefined, /— FINDINGS$/],
    ['at or above medium', 'medium', /— FAIL \(3 findings at or above medium\)$/],
    ['inconclusive shows when nothing reaches the threshold', 'none', /— INCONCLUSIVE/],
  ])('verdict: %s', (_name, failOn, re) => {
    expect(renderText(kitchenSink(), failOn ? { failOn } : {}).trimEnd()).toMatch(re);
  });

  it.each([
    ['clean', report({}), /— clean$/],
    [
      'info only',
      report({ findings: [finding('safetensors/header-valid', 'info', { path: 'w' })] }),
      /— clean$/,
    ],
    [
      'inconclusive',
      report({ inconclusive: [{ path: 'a', code: 'TRUNCATED', message: 'm' }] }),
      /— INCONCLUSIVE/,
    ],
  ])('verdict of a %s report', (_name, r, re) => {
    expect(renderText(r).trimEnd()).toMatch(re);
  });

  it('counts clean files past twenty instead of listing them', () => {
    const files = Array.from({ length: 25 }, (_, i) => ({
      path: `f${String(i).padStart(2, '0')}.pkl`,
      format: 'pickle',
      scanners: ['pickle'],
    }));
    const out = renderText(report({ files }));
    expect(out.match(/^✓ f\d+\.pkl/gm)).toHaveLength(20);
    expect(out).toContain('✓ 5 more files clean');
  });

  it('names targets with several of them, and a file target by itself', () => {
    const r = report({
      targets: [{ uri: 'data' }, { uri: 'models/a.pkl' }],
      findings: [
        finding('x/y', 'high', { target: 'data', path: 'b.pkl' }),
        finding('x/y', 'high', { target: 'models/a.pkl', path: 'a.pkl' }),
      ],
    });
    const out = renderText(r);
    expect(out).toContain('\ndata › b.pkl');
    expect(out).toContain('\nmodels/a.pkl\n');
  });
});

describe('text: info findings', () => {
  it.each([
    ['in a clean file', report({ findings: [finding('safetensors/header-valid', 'info', { path: 'w' })] })],
    ['in a file with problems', report({ findings: [finding('pickle/code-execution', 'critical', { path: 'w' }), finding('safetensors/header-valid', 'info', { path: 'w' })] })],
  ])('%s: labelled INFO, never behind a ✓', (_name, r) => {
    const out = renderText(r);
    expect(out).toMatch(/^ {2}INFO {6}safetensors\/header-valid$/m);
    expect(out).not.toMatch(/✓ safetensors\/header-valid|✓ .*safetensors\/header-valid message/);
  });
});
