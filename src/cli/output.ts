/**
 * Shared CLI plumbing: common flags, writing each requested format, and mapping errors to exit codes.
 */
import { writeOutputFile } from '../files.js';
import { Option, type Command } from 'commander';
import { isMlvetError, MlvetError } from '../errors.js';
import { hiddenAlias, positiveInt } from './flags.js';
// re-exported: the commands that write reports take all their plumbing from here
export { addShardOptions, handleError, hiddenAlias, positiveInt, redact } from './flags.js';
import { loadConfig } from '../config/config.js';
import { loadPolicy, type Policy } from '../findings/policy.js';
import { failureReport } from '../findings/report.js';
import type { FailOn, Report } from '../model/report.js';
import { formatForFile, FORMATS, isFormat, loadedRenderer, loadRenderer, type Renderer, type RenderOptions } from '../reporters/formats.js';
import { atCwd, colorFor, type CliIo } from './io.js';
import { sarifRoot } from './sarif-root.js';

export interface OutputFlags {
  format?: string[];
  output?: string[];
  quiet?: boolean;
  /** read when the command has --fail-on: JUnit failures and the text verdict follow it */
  failOn?: FailOn;
  /** SARIF URIs are relative to it (default: the git top level, else the cwd) */
  sarifRoot?: string;
  sarifCategory?: string;
}

/** One document to write: a format and a file, or stdout when `path` is undefined. */
export interface OutputPlan {
  format: string;
  path?: string;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** `text, json, sarif, html or junit`: every report format, and a command's own (`gx`) */
function formatList(extra: readonly string[]): string {
  const all = [...FORMATS, ...extra];
  return `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]!}`;
}

/** `-f, --format`, `-o, --output` (with `--out` hidden), `-q`; `extraFormats` are listed in --help too. */
export function addOutputOptions(cmd: Command, extraFormats: readonly string[] = []): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', `${formatList(extraFormats)} (repeatable)`).argParser(collect))
    .addOption(
      new Option(
        '-o, --output <file>',
        'write a format to a file (repeatable); paired by extension (.sarif, .json, .html, .xml, .txt), else by position; "-" is stdout',
      ).argParser(collect),
    )
    .addOption(hiddenAlias('--out <file>', 'output').argParser(collect))
    .option('-q, --quiet', 'no text summary on stderr when every report goes to a file')
    .option('--sarif-root <dir>', 'SARIF URIs relative to this directory (default: the git top level, else the cwd)')
    .option('--sarif-category <id>', 'SARIF automationDetails category (default: mlvet/<command>/<target>)')
    .hook('preAction', async (_program, action) => {
      // a bad --format/--output combination is a usage error before any scanning starts, and the
      // renderers of the planned formats are loaded then (html and cyclonedx load only when asked for)
      await Promise.all(planOutputs(action.opts<OutputFlags>()).map((p) => loadRenderer(p.format)));
    });
}

export interface PolicyFlags {
  config?: string;
  rules?: string[];
  ignore?: string;
}

/** The findings policy the flags name: config, extra rule packs and ignore file, loaded once. */
export function policyFromFlags(flags: PolicyFlags, io: CliIo): Policy {
  const { config } = loadConfig(flags.config, io.cwd);
  return loadPolicy({ config, cwd: io.cwd, ...(flags.rules ? { rules: flags.rules } : {}), ...(flags.ignore ? { ignoreFile: flags.ignore } : {}) });
}

export function addPolicyOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails (exit 1)').choices([
        'critical',
        'high',
        'medium',
        'low',
        'none',
      ]),
    )
    .option('-c, --config <file>', 'config file (default: mlvet.config.json if present)')
    .addOption(new Option('--rules <dir>', 'extra rule pack directory (repeatable)').argParser(collect))
    .option('--ignore <file>', 'ignore file (default: .mlvetignore if present)')
    .option('--offline', 'refuse all network access')
    .option('--concurrency <n>', 'files scanned at once', positiveInt)
    .option('--no-progress', 'no progress output on stderr');
}

function checkFormat(fmt: string): void {
  if (!isFormat(fmt))
    throw new MlvetError(
      'USAGE',
      `unknown format "${fmt}"; choose from ${FORMATS.join(', ')}`,
    );
}

/**
 * Pair formats with outputs. Without --format, each --output's extension names its format (and no
 * output at all means text on stdout). With --format, an output whose extension names one of the
 * requested formats takes it; the rest pair by position; formats left over go to stdout, and only
 * one may. Everything is checked before anything is written.
 */
export function planOutputs(flags: Pick<OutputFlags, 'format' | 'output'>): OutputPlan[] {
  const outputs = (flags.output ?? []).map((o) => (o === '-' ? undefined : o));
  let formats = flags.format ?? [];
  if (!formats.length) {
    formats = outputs.map((o) => {
      if (o === undefined) return 'text';
      const f = formatForFile(o);
      if (!f)
        throw new MlvetError('USAGE', `cannot tell the format of --output ${o} from its name; add --format`);
      return f;
    });
    if (!formats.length) formats = ['text'];
  }
  formats.forEach(checkFormat);
  if (outputs.length > formats.length) {
    throw new MlvetError('USAGE', `more --output (${outputs.length}) than --format (${formats.length})`);
  }
  const plan: Array<OutputPlan | undefined> = formats.map(() => undefined);
  const free: Array<string | undefined> = [];
  for (const o of outputs) {
    const f = o === undefined ? undefined : formatForFile(o);
    const i = f === undefined ? -1 : formats.findIndex((x, j) => x === f && plan[j] === undefined);
    if (i >= 0) plan[i] = { format: formats[i]!, path: o };
    else free.push(o);
  }
  formats.forEach((format, i) => {
    if (plan[i] === undefined) plan[i] = { format, ...(free.length ? { path: free.shift() } : {}) };
  });
  const done = plan as OutputPlan[];
  const toStdout = done.filter((p) => p.path === undefined);
  if (toStdout.length > 1) {
    throw new MlvetError(
      'USAGE',
      `only one format can go to stdout; give --output for ${toStdout.map((p) => p.format).join(' or ')}`,
    );
  }
  return done;
}

/** addOutputOptions' hook loaded the planned formats' renderers before the command ran */
function rendererOf(format: string): Renderer {
  const r = loadedRenderer(format);
  if (!r) throw new Error(`the ${format} renderer is not loaded: await loadRenderer('${format}') first`);
  return r;
}

/**
 * Render and write every requested format. Rendering happens first, so a renderer error leaves no
 * half-written set of files. When nothing goes to stdout, a text summary goes to stderr unless --quiet.
 */
export function writeOutputs(report: Report, flags: OutputFlags, io: CliIo, extra: RenderOptions = {}): void {
  const plan = planOutputs(flags);
  const base: RenderOptions = {
    srcRoot: sarifRoot(flags.sarifRoot, io.cwd),
    cwd: io.cwd,
    ...(flags.sarifCategory ? { sarifCategory: flags.sarifCategory } : {}),
    ...(flags.failOn ? { failOn: flags.failOn } : {}),
    ...extra,
  };
  const docs = plan.map((p) => ({
    ...p,
    text: rendererOf(p.format)(report, {
      ...base,
      color: p.path === undefined && p.format === 'text' && colorFor(io.stdout, io.env),
    }),
  }));
  for (const d of docs) {
    if (d.path === undefined) continue;
    writeOutputFile(atCwd(io, d.path), d.text, { what: '--output' });
  }
  const out = docs.find((d) => d.path === undefined);
  if (out) io.stdout.write(out.text);
  else if (!flags.quiet) io.stderr.write(rendererOf('text')(report, { ...base, color: colorFor(io.stderr, io.env) }));
}

/**
 * A command that failed before it could read its target still writes the reports it was asked for,
 * with one inconclusive entry for the target, so a CI job that reads them never finds nothing. The
 * error is printed as well; the exit code is the caller's.
 */
export function writeFailureReport(command: string, target: string, e: unknown, flags: OutputFlags, io: CliIo): void {
  if (!isMlvetError(e) || !(flags.format?.length || flags.output?.length)) return;
  writeOutputs(failureReport(command, target, e), { ...flags, quiet: true }, io);
}
