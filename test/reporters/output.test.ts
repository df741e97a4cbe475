import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planOutputs, writeOutputs, type OutputPlan } from '../../src/cli/output.js';
import { isMlvetError } from '../../src/errors.js';
import { formatForFile } from '../../src/reporters/index.js';
import { captureIo } from '../helpers/cli.js';
import { kitchenSink } from './sample.js';

describe('--format / --output planning', () => {
  it.each<[string, string[] | undefined, string[] | undefined, OutputPlan[]]>([
    ['nothing: text on stdout', undefined, undefined, [{ format: 'text' }]],
    ['one format to stdout', ['sarif'], undefined, [{ format: 'sarif' }]],
    [
      'outputs alone name their formats',
      undefined,
      ['r.sarif', 'r.html', 'r.xml'],
      [
        { format: 'sarif', path: 'r.sarif' },
        { format: 'html', path: 'r.html' },
        { format: 'junit', path: 'r.xml' },
      ],
    ],
    ['.sarif.json is SARIF', undefined, ['r.sarif.json'], [{ format: 'sarif', path: 'r.sarif.json' }]],
    [
      'pair by extension, rest to stdout',
      ['text', 'sarif'],
      ['out.sarif'],
      [{ format: 'text' }, { format: 'sarif', path: 'out.sarif' }],
    ],
    [
      'pair by position when the extension says nothing',
      ['json', 'sarif'],
      ['a.out', 'b.out'],
      [
        { format: 'json', path: 'a.out' },
        { format: 'sarif', path: 'b.out' },
      ],
    ],
    [
      '"-" is stdout',
      ['json', 'sarif'],
      ['-', 'x.sarif'],
      [{ format: 'json' }, { format: 'sarif', path: 'x.sarif' }],
    ],
    [
      'the same format twice',
      ['json', 'json'],
      ['a.json', 'b.json'],
      [
        { format: 'json', path: 'a.json' },
        { format: 'json', path: 'b.json' },
      ],
    ],
  ])('%s', (_name, format, output, plan) => {
    expect(planOutputs({ format, output })).toEqual(plan);
  });

  it.each<[string, string[] | undefined, string[] | undefined]>([
    ['unknown format', ['pdf'], undefined],
    ['two formats on stdout', ['json', 'sarif'], undefined],
    ['more outputs than formats', ['json'], ['a.json', 'b.json']],
    ['an output whose format cannot be told', undefined, ['report.out']],
  ])('%s is a usage error', (_name, format, output) => {
    let err: unknown;
    try {
      planOutputs({ format, output });
    } catch (e) {
      err = e;
    }
    expect(isMlvetError(err) && err.code).toBe('USAGE');
  });

  it.each([
    ['a.txt', 'text'],
    ['a.JSON', 'json'],
    ['a.sarif', 'sarif'],
    ['a.htm', 'html'],
    ['junit.xml', 'junit'],
    ['a.bin', undefined],
  ])('formatForFile(%s) = %s', (file, format) => expect(formatForFile(file)).toBe(format));
});

describe('writeOutputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlvet-out-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every file, and a text summary to stderr when nothing goes to stdout', () => {
    const io = captureIo();
    writeOutputs(kitchenSink(), { output: [join(dir, 'r.sarif'), join(dir, 'r.xml')], failOn: 'critical' }, io);
    expect(io.stdout.text()).toBe('');
    expect(io.stderr.text()).toMatch(/FAIL \(1 finding at or above critical\)/);
    expect(JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8'))).toMatchObject({ version: '2.1.0' });
    // failOn reaches the JUnit renderer: only the critical file fails
    expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toMatch(/<testsuites [^>]*failures="1"/);
  });

  it('an unwritable output is a usage error that names the file', () => {
    let err: unknown;
    try {
      writeOutputs(kitchenSink(), { output: [join(dir, 'missing', 'r.sarif')], quiet: true }, captureIo());
    } catch (e) {
      err = e;
    }
    expect(isMlvetError(err) && err.code).toBe('USAGE');
    expect(isMlvetError(err) && err.details.path).toBe(join(dir, 'missing', 'r.sarif'));
  });
});
