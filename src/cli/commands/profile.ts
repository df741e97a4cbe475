import { writeOutputFile } from '../../files.js';
import { datasetErrorExit as datasetExit } from '../../validation/exit.js';
import type { Command } from 'commander';
import { Option } from 'commander';
import { MlvetError } from '../../errors.js';
import { EXIT } from '../../findings/report.js';
import type { Baseline } from '../../validation/profile/baseline.js';
import { shardFromFlags, inShard } from '../../scanners/shard.js';
import type { ReaderOptions } from '../../validation/types.js';
import { parseMemoryLimit } from '../../validation/engine/duckdb.js';
import { atCwd, type CliIo, type RunContext } from '../io.js';
import { addShardOptions, handleError, hiddenAlias } from '../flags.js';
import { progressBar } from '../progress.js';
import type { DatasetProgress } from '../../validation/progress.js';

/** the progress bar of profile and validate: files and bytes done, then the pass, rows and rows per second */
export function datasetProgress(io: CliIo, label: string, wanted: boolean): { on?: (p: DatasetProgress) => void; end: () => void } {
  const bar = progressBar(io, label, wanted);
  const started = Date.now();
  const update = bar.update;
  if (!update) return { end: bar.end };
  return {
    on: (p) => {
      const s = Math.max(0.001, (Date.now() - started) / 1000);
      const pass = p.passes > 1 ? `pass ${p.pass}/${p.passes}  ` : '';
      update({ files: p.files, bytes: p.bytes, item: `${pass}${p.rows.toLocaleString('en-US')} rows  ${Math.round(p.rows / s).toLocaleString('en-US')} rows/s` });
    },
    end: bar.end,
  };
}

export interface ReaderFlags {
  csvType?: string[];
  csvInfer?: boolean;
  memoryLimit?: string;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function readerFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--csv-type <column=type>', 'CSV/TSV: force a column to string|number|boolean|auto (repeatable)').argParser(collect))
    .option('--no-csv-infer', 'CSV/TSV: keep every value as text')
    .option('--memory-limit <size>', 'memory for the dataset engine before it spills to a temp directory (default 128MB; e.g. 2GB is faster on very large data)');
}

export function readerOptions(f: ReaderFlags): ReaderOptions {
  return {
    ...(f.csvType?.length ? { csvTypes: csvTypeOption(f.csvType) } : {}),
    ...(f.csvInfer === false ? { csvInfer: false } : {}),
    ...(f.memoryLimit !== undefined ? { engineMemory: parseMemoryLimit(f.memoryLimit) } : {}),
  };
}

/** A dataset that cannot be read at all is a usage-level failure (exit 3), not "inconclusive". */
/** One rule for datasets (src/validation/exit.ts): unreadable content exit 2, usage exit 3. */
export function datasetErrorExit(e: unknown, io: CliIo): number {
  handleError(e, io);
  return datasetExit(e);
}

function csvTypeOption(specs: string[]): NonNullable<ReaderOptions['csvTypes']> {
  const out: NonNullable<ReaderOptions['csvTypes']> = {};
  for (const s of specs) {
    const m = /^(.+)=(string|number|boolean|auto)$/.exec(s);
    if (!m) throw new MlvetError('USAGE', `--csv-type ${s}: expected column=string|number|boolean|auto`);
    out[m[1]!] = m[2] as 'string';
  }
  return out;
}

interface ProfileFlags extends ReaderFlags {
  output: string;
  label?: string;
  id?: string[];
  progress?: boolean;
  suiteOut?: string;
  suiteName?: string;
  shard?: string;
  shardCount?: string;
  shardIndex?: string;
  edgesFrom?: string;
}

export function register(program: Command, ctx: RunContext): void {
  const { io } = ctx;
  const cmd = program
    .command('profile')
    .description('infer a trusted baseline (statistics, sketches, row hashes) and a GX suite from clean data')
    .argument('<dataset>', 'CSV/TSV/JSONL/Parquet/Arrow file (optionally .gz/.zst) or a directory of shards; or `merge`, then shard baselines')
    .argument('[baselines...]', 'with `merge`: the shard baselines to merge (one mlvet version and format) into --output')
    .requiredOption('-o, --output <file>', 'baseline JSON to write')
    .addOption(hiddenAlias('--out <file>', 'output'))
    .option('-l, --label <column>', 'label column')
    .addOption(new Option('--id <column>', 'identifier column, instead of detecting them (repeatable)').argParser(collect))
    .option('--suite-out <file>', 'also write an inferred GX 1.x expectation suite')
    .option('--suite-name <name>', 'name for the inferred suite')
    .option('--no-progress', 'no progress output on stderr')
    .option('--edges-from <baseline>', 'take kinds, identifiers, bin edges and robust bounds from this baseline (every shard the same), so shard profiles merge');
  addShardOptions(cmd, 'profile only shard K of N of the files (by hash of the path, as scan --shard); merge with `mlvet profile merge`');
  readerFlags(cmd);
  cmd.action(async (dataset: string, more: string[], flags: ProfileFlags) => {
    // the profiler and the dataset readers load when a profile runs, not for `mlvet --help`
    const lib = await profileLib();
    const { profile, loadBaseline } = lib;
    // `profile merge a.json b.json … -o out.json`: an operand, not a commander subcommand, since the
    // program passes options after a subcommand to `profile`, which would take `-o` for itself
    if (dataset === 'merge') {
      ctx.exitCode = mergeCommand(lib, io, more, flags);
      return;
    }
    if (more.length) {
      ctx.exitCode = datasetErrorExit(new MlvetError('USAGE', `profile takes one dataset (a file or a directory of shards), got ${more.length + 1}; to merge shard baselines: mlvet profile merge a.json b.json … -o out.json`), io);
      return;
    }
    const progress = datasetProgress(io, 'profiling', flags.progress !== false);
    try {
      const shard = shardFromFlags(flags, io.env);
      const edgesFrom: Baseline | undefined = flags.edgesFrom ? loadBaseline(atCwd(io, flags.edgesFrom)) : undefined;
      const out = await profile({
        ...(shard ? { select: (p: string) => inShard(p, shard) } : {}),
        ...(edgesFrom ? { edgesFrom } : {}),
        ...(progress.on ? { onProgress: progress.on } : {}),
        dataset,
        label: flags.label,
        ...(flags.id?.length ? { ids: flags.id } : {}),
        suiteName: flags.suiteName,
        reader: readerOptions(flags),
        cwd: io.cwd,
        env: io.env,
      }).finally(progress.end);
      writeOutputFile(atCwd(io, flags.output), JSON.stringify(out.baseline) + '\n', { what: '--output' });
      if (flags.suiteOut) writeOutputFile(atCwd(io, flags.suiteOut), JSON.stringify(out.suite, null, 2) + '\n', { what: '--suite-out' });
      for (const p of out.problems.slice(0, 20)) io.stderr.write(`mlvet: ${p.file}: row ${p.row}: ${p.message}\n`);
      io.stderr.write(`mlvet: profiled ${out.baseline.rows} rows, ${out.baseline.columns.length} columns → ${flags.output}${flags.suiteOut ? `, suite → ${flags.suiteOut}` : ''}\n`);
      // a baseline built while skipping rows is not a clean baseline: say so with exit 2
      ctx.exitCode = out.problems.length ? EXIT.INCONCLUSIVE : EXIT.CLEAN;
    } catch (e) {
      ctx.exitCode = datasetErrorExit(e, io);
    }
  });
}

/** What `profile` runs, loaded on first use. */
async function profileLib(): Promise<{
  profile: typeof import('../../validation/profile.js').profile;
  loadBaseline: typeof import('../../validation/profile/baseline.js').loadBaseline;
  mergeBaselines: typeof import('../../validation/profile/merge.js').mergeBaselines;
  inferSuite: typeof import('../../validation/profile/suite.js').inferSuite;
}> {
  const [{ profile }, { loadBaseline }, { mergeBaselines }, { inferSuite }] = await Promise.all([
    import('../../validation/profile.js'),
    import('../../validation/profile/baseline.js'),
    import('../../validation/profile/merge.js'),
    import('../../validation/profile/suite.js'),
  ]);
  return { profile, loadBaseline, mergeBaselines, inferSuite };
}

const MERGE_IGNORES: Array<keyof ProfileFlags> = ['label', 'id', 'shard', 'shardCount', 'shardIndex', 'edgesFrom', 'csvType'];

/** `mlvet profile merge`: shard baselines (profile --shard K/N --edges-from B) into the baseline of all their rows */
function mergeCommand({ loadBaseline, mergeBaselines, inferSuite }: Awaited<ReturnType<typeof profileLib>>, io: CliIo, paths: string[], flags: ProfileFlags): number {
  try {
    const wrong = MERGE_IGNORES.filter((k) => flags[k] !== undefined);
    if (wrong.length) throw new MlvetError('USAGE', `profile merge reads baselines; --${wrong.map((k) => k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())).join(', --')} belong to profiling a dataset`);
    if (paths.length === 0) throw new MlvetError('USAGE', 'profile merge needs at least one baseline: mlvet profile merge a.json b.json … -o out.json');
    const merged = mergeBaselines(paths.map((p) => ({ path: p, baseline: loadBaseline(atCwd(io, p)) })));
    writeOutputFile(atCwd(io, flags.output), JSON.stringify(merged) + '\n', { what: '--output' });
    if (flags.suiteOut) writeOutputFile(atCwd(io, flags.suiteOut), JSON.stringify(inferSuite(merged, flags.suiteName ?? 'dataset'), null, 2) + '\n', { what: '--suite-out' });
    io.stderr.write(`mlvet: merged ${paths.length} baselines, ${merged.rows} rows, ${merged.columns.length} columns → ${flags.output}\n`);
    return EXIT.CLEAN;
  } catch (e) {
    return datasetErrorExit(e, io);
  }
}
