/**
 * Shared CLI plumbing: common flags, writing each requested format, and mapping errors to exit codes.
 */
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { isMlvetError, MlvetError, USAGE_CODES } from '../errors.js';
import { EXIT } from '../findings/report.js';
import type { Report } from '../findings/types.js';
import { RENDERERS } from '../reporters/index.js';

export interface OutputFlags {
  format: string[];
  output: string[];
  quiet?: boolean;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'text, json, sarif, html or junit (repeatable)').argParser(collect))
    .addOption(new Option('-o, --output <file>', 'write the matching --format here (repeatable, by position)').argParser(collect))
    .option('-q, --quiet', 'no text report on stdout when other outputs are written');
}

export function addPolicyOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails (exit 1)').choices(['critical', 'high', 'medium', 'low', 'none']))
    .option('-c, --config <file>', 'config file (default: mlvet.config.json if present)')
    .addOption(new Option('--rules <dir>', 'extra rule pack directory (repeatable)').argParser(collect))
    .option('--ignore <file>', 'ignore file (default: .mlvetignore if present)')
    .option('--offline', 'refuse all network access')
    .option('--concurrency <n>', 'files scanned at once', (v) => parseInt(v, 10))
    .option('--no-progress', 'no progress output on stderr');
}

/** Write every requested format. Returns after all writes; throws USAGE on a bad combination. */
export function writeOutputs(report: Report, flags: OutputFlags): void {
  const formats = flags.format?.length ? flags.format : ['text'];
  const outputs = flags.output ?? [];
  if (outputs.length > formats.length) {
    throw new MlvetError('USAGE', `more --output (${outputs.length}) than --format (${formats.length})`);
  }
  let stdoutUsed = false;
  formats.forEach((fmt, i) => {
    const render = RENDERERS[fmt];
    if (!render) throw new MlvetError('USAGE', `unknown format "${fmt}"; choose from ${Object.keys(RENDERERS).join(', ')}`);
    const out = outputs[i];
    if (out) {
      writeFileSync(out, render(report, { color: false }));
    } else {
      if (stdoutUsed) throw new MlvetError('USAGE', `format "${fmt}" has no --output and stdout is already used`);
      stdoutUsed = true;
      process.stdout.write(render(report, { color: fmt === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR }));
    }
  });
  if (!stdoutUsed && !flags.quiet && formats.every((f) => f !== 'text')) {
    process.stderr.write(RENDERERS.text!(report, { color: process.stderr.isTTY === true && !process.env.NO_COLOR }));
  }
}

/** Print an error without secrets and return the exit code it maps to. */
export function handleError(e: unknown): number {
  if (isMlvetError(e)) {
    process.stderr.write(`mlvet: ${e.code}: ${redact(e.message)}\n`);
    return USAGE_CODES.has(e.code) ? EXIT.USAGE : EXIT.INCONCLUSIVE;
  }
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`mlvet: error: ${redact(msg)}\n`);
  return EXIT.USAGE;
}

/** Strip anything that looks like a token or key before it reaches a terminal or a log. */
export function redact(s: string): string {
  return s
    .replace(/\bhf_[A-Za-z0-9]{8,}\b/g, 'hf_***')
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '$1***')
    .replace(/(authorization|x-amz-security-token|token|secret|password)(["'\s:=]+)([^\s"',;]+)/gi, '$1$2***')
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[private key redacted]');
}
