/**
 * The Markdown job summary: verdict line, targets, findings worst first, what could not be read, and
 * everything from a scanned file escaped (GitHub renders HTML inside a summary).
 */
import { describe, expect, it } from 'vitest';
import { cell, MAX_ROWS, renderMarkdown } from '../../src/reporters/markdown.js';
import { finding, HOSTILE, kitchenSink, report } from './sample.js';

describe('markdown summary', () => {
  it.each([
    ['findings', kitchenSink(), /^## ❌ mlvet scan: 4 findings \(1 critical, 1 high, 1 medium, 1 low\)$/m],
    ['inconclusive only', report({ inconclusive: [{ path: 'a.pkl', code: 'TRUNCATED', message: 'cut' }] }), /^## ⚠️ mlvet scan: inconclusive: 1 entry could not be fully read$/m],
    ['clean', report({}), /^## ✅ mlvet scan: clean$/m],
  ])('%s: the verdict line', (_name, r, line) => {
    expect(renderMarkdown(r)).toMatch(line);
  });

  it('findings worst first, one table row each, and the not-fully-read table', () => {
    const md = renderMarkdown(kitchenSink(), { failOn: 'medium' });
    const rows = md.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \|/.test(l));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| critical', '| high', '| medium', '| low', '| info']);
    expect(md).toContain('| TRUNCATED | broken.pkl @ byte 9 |');
    expect(md).toContain('Fails on: **medium** and above.');
    expect(md).toContain('1 finding suppressed');
  });

  it('hostile text cannot add markup, break a row or start a new one', () => {
    const r = report({ findings: [finding('x/y', 'high', { target: 'models', path: `${HOSTILE}|x\n| fake |` }, { message: '**bold** [link](javascript:1) <img src=x>' })] });
    const row = renderMarkdown(r).split('\n').find((l) => l.startsWith('| high'))!;
    expect(row).not.toMatch(/<(script|img)/);
    expect(row.split(/(?<!&#124;)\|/).length).toBe(6);
    expect(row).not.toContain('**');
    expect(cell('a|b\nc')).toBe('a&#124;b c');
  });

  it(`at most ${MAX_ROWS} finding rows, and it says how many more`, () => {
    const many = Array.from({ length: MAX_ROWS + 5 }, (_, i) => finding('x/y', 'low', { target: 'models', path: `f${i}` }));
    const md = renderMarkdown(report({ findings: many }));
    expect(md.split('\n').filter((l) => l.startsWith('| low')).length).toBe(MAX_ROWS);
    expect(md).toContain('… and 5 more');
  });

  it('a validation says how many expectations passed', () => {
    const r = { ...report({}), command: 'validate', validation: { suite_name: 'train', statistics: { evaluated_expectations: 36, successful_expectations: 35 } } };
    expect(renderMarkdown(r)).toContain('Validation (train): **35 of 36** expectations and checks passed.');
  });
});
