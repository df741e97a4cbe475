import { writeOutputFile } from '../../files.js';
import type { Command } from 'commander';
import { Option } from 'commander';
import { exitCodeFor } from '../../findings/report.js';
import type { FailOn } from '../../model/report.js';
import type { Level } from '../../validation/gx/result-format.js';
import { atCwd, type RunContext } from '../io.js';
import { addOutputOptions, addPolicyOptions, policyFromFlags, writeFailureReport, writeOutputs, type OutputFlags } from '../output.js';
import { datasetErrorExit, datasetProgress, readerFlags, readerOptions, type ReaderFlags } from './profile.js';

interface ValidateFlags extends OutputFlags, ReaderFlags {
  offline?: boolean;
  gxStdout?: boolean;
  progress?: boolean;
  suite?: string;
  checks?: string;
  baseline?: string;
  label?: string;
  id?: string[];
  poisoning?: boolean;
  resultFormat?: Level;
  param?: string[];
  gxOut?: string;
  failOn?: FailOn;
  config?: string;
  rules?: string[];
  ignore?: string;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/**
 * GX's own JSON is the report's `validation` field; `--format gx` prints just that on stdout
 * (`--gx-out FILE` writes it to a file). It is taken out of --format before the shared output
 * planner sees it, because the report renderers do not know it.
 */
function takeGxFormat(cmd: Command): void {
  cmd.hook('preAction', (_p, action) => {
    const formats = (action.opts<ValidateFlags>().format ?? []);
    if (!formats.includes('gx')) return;
    action.setOptionValue('format', formats.filter((f) => f !== 'gx'));
    action.setOptionValue('gxStdout', true);
  });
}

export function register(program: Command, ctx: RunContext): void {
  const { io } = ctx;
  const cmd = program
    .command('validate')
    .description('run a Great Expectations suite and/or the poisoning checks against a baseline')
    .argument('<dataset>', 'CSV/TSV/JSONL/Parquet/Arrow file (optionally .gz/.zst) or a directory of shards')
    .option('-s, --suite <file>', 'GX expectation suite (1.x or 0.x JSON); a sibling <name>.mlvet.json is read too')
    .option('--checks <file>', 'mlvet check suite / thresholds (*.mlvet.json)')
    .option('-b, --baseline <file>', 'baseline from `mlvet profile`')
    .option('-l, --label <column>', 'label column (for conflict, flip, shift and trigger checks)')
    .addOption(new Option('--id <column>', 'identifier column, replacing the baseline\'s detected ones (repeatable)').argParser(collect))
    .option('--poisoning', 'run the row and text poisoning checks even without a baseline or label')
    .option('--no-poisoning', 'run only the GX suite')
    .addOption(new Option('--result-format <level>', 'GX result_format default').choices(['BOOLEAN_ONLY', 'BASIC', 'SUMMARY', 'COMPLETE']))
    .addOption(new Option('--param <name=value>', 'suite parameter (repeatable)').argParser(collect))
    .option('--gx-out <file>', 'also write the pure GX 1.x validation result here');
  readerFlags(cmd);
  takeGxFormat(cmd);
  addOutputOptions(cmd, ['gx']);
  addPolicyOptions(cmd);
  cmd.action(async (dataset: string, flags: ValidateFlags) => {
    // the dataset readers and checks load when a validation runs, not for `mlvet --help`
    const [{ validate }, { stringifyPy }] = await Promise.all([import('../../validation/validate.js'), import('../../validation/suite/json.js')]);
    const gxStdout = flags.gxStdout === true;
    const policy = policyFromFlags(flags, io);
    let out;
    const progress = datasetProgress(io, 'validating', flags.progress !== false && !flags.quiet);
    try {
      out = await validate({
        dataset,
        ...(progress.on ? { onProgress: progress.on } : {}),
        ...(flags.offline ? { offline: true } : {}),
        suite: flags.suite,
        checks: flags.checks,
        baseline: flags.baseline,
        label: flags.label,
        ...(flags.poisoning !== undefined ? { poisoning: flags.poisoning } : {}),
        ...(flags.id?.length ? { ids: flags.id } : {}),
        resultFormat: flags.resultFormat,
        params: Object.fromEntries((flags.param ?? []).map((p) => {
          const [k, ...v] = p.split('=');
          const s = v.join('=');
          return [k!, s !== '' && !Number.isNaN(Number(s)) ? Number(s) : s];
        })),
        reader: readerOptions(flags),
        policy,
        cwd: io.cwd,
        env: io.env,
      }).finally(progress.end);
    } catch (e) {
      writeFailureReport('validate', dataset, e, flags, io);
      ctx.exitCode = datasetErrorExit(e, io);
      return;
    }
    if (flags.gxOut) writeOutputFile(atCwd(io, flags.gxOut), stringifyPy(out.validation) + '\n', { what: '--gx-out' });
    if (gxStdout) io.stdout.write(stringifyPy(out.validation) + '\n');
    if (!gxStdout || flags.format?.length || flags.output?.length) writeOutputs(out.report, flags, io);
    ctx.exitCode = exitCodeFor(out.report, flags.failOn ?? policy.failOn);
  });
}
