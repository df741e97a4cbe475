/**
 * One file per output format; adding a format is a file plus a line here. Every renderer is a pure
 * function of (report, options) and returns the whole document as a string.
 */
import type { FailOn, Report } from '../model/report.js';
import type { Rule } from '../rules/types.js';
import { renderCodequality } from './codequality.js';
import { renderCyclonedx } from './cyclonedx/index.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export interface RenderOptions {
  /** ANSI colours (text only; the caller decides, from isTTY and NO_COLOR/FORCE_COLOR) */
  color?: boolean;
  /** the --fail-on threshold: JUnit failures and the text verdict use it */
  failOn?: FailOn;
  /** the rule set the scan used; SARIF describes rules from it (built-in rules are loaded otherwise) */
  rules?: readonly Rule[];
  /** base URI of the rule docs (`<base><pack>/<name>.md`); default: docs/rules in the repository */
  docsBaseUri?: string;
  /** absolute SARIF root (`%SRCROOT%`): local URIs are relative to it; the CLI uses --sarif-root, else the git top level, else the cwd */
  srcRoot?: string;
  /** absolute directory relative targets were given in (default: srcRoot) */
  cwd?: string;
  /** SARIF `automationDetails.id` category (default `mlvet/<command>/<target>`) */
  sarifCategory?: string;
}

export type Renderer = (report: Report, opts?: RenderOptions) => string;

export const RENDERERS: Record<string, Renderer> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  html: renderHtml,
  junit: renderJunit,
  cyclonedx: renderCyclonedx,
  markdown: renderMarkdown,
  codequality: renderCodequality,
};


/** The format a file name implies (`report.sarif` → sarif), for `--output` without `--format`. */
export function formatForFile(path: string): string | undefined {
  if (/\.sarif\.json$/i.test(path)) return 'sarif';
  if (/\.(cdx|bom)\.json$/i.test(path)) return 'cyclonedx';
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  const byExt: Record<string, string> = {
    txt: 'text',
    json: 'json',
    sarif: 'sarif',
    html: 'html',
    htm: 'html',
    xml: 'junit',
    md: 'markdown',
  };
  return ext ? byExt[ext] : undefined;
}
