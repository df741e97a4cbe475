/**
 * The output formats by name, and each renderer loaded when its format is asked for: the CLI names
 * and checks formats at start-up but renders one or two, so the HTML page (its CSS and script) and
 * CycloneDX (its BOM model) load only for `--format html` / `--format cyclonedx` (the CLI awaits
 * loadRenderer for the planned formats before the command runs). The light renderers are plain
 * imports. `RENDERERS` in index.ts is every renderer, loaded, for the library.
 */
import type { FailOn, Report } from '../model/report.js';
import type { Rule } from '../rules/types.js';
import { renderCodequality } from './codequality.js';
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

// html and cyclonedx are loaded by loadRenderer; the rest are here from the start
const LOADED: Record<string, Renderer> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  markdown: renderMarkdown,
  codequality: renderCodequality,
};

const LOADERS: Readonly<Record<string, () => Promise<Renderer>>> = {
  html: async () => (await import('./html.js')).renderHtml,
  cyclonedx: async () => (await import('./cyclonedx/index.js')).renderCyclonedx,
};

/** Every format name, in the order --help lists them. */
export const FORMATS: readonly string[] = ['text', 'json', 'sarif', 'html', 'junit', 'cyclonedx', 'markdown', 'codequality'];

export function isFormat(name: string): boolean {
  return FORMATS.includes(name);
}

/** The renderer of a format named in `FORMATS`, loading its module on first use. */
export async function loadRenderer(format: string): Promise<Renderer> {
  if (!isFormat(format)) throw new Error(`unknown format "${format}"`);
  return (LOADED[format] ??= await LOADERS[format]!());
}

/** The renderer of a format if it is loaded (the light ones always are; html and cyclonedx after loadRenderer). */
export function loadedRenderer(format: string): Renderer | undefined {
  return isFormat(format) ? LOADED[format] : undefined;
}

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
