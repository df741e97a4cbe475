/**
 * One file per output format; adding a format is a file plus a line here and in formats.ts (which
 * loads the heavy renderers on demand for the CLI). Every renderer is a pure function of
 * (report, options) and returns the whole document as a string.
 */
import { renderCodequality } from './codequality.js';
import { renderCyclonedx } from './cyclonedx/index.js';
import type { Renderer } from './formats.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export { formatForFile, FORMATS, isFormat, loadedRenderer, loadRenderer, type Renderer, type RenderOptions } from './formats.js';

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
