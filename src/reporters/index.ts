/**
 * One file per output format; adding a format is a file plus a line here.
 */
import type { Report } from '../findings/types.js';
import { renderJson } from './json.js';
import { renderText } from './text.js';

export interface RenderOptions {
  /** colours (only when writing to a TTY) */
  color?: boolean;
}

export type Renderer = (report: Report, opts: RenderOptions) => string;

export const RENDERERS: Record<string, Renderer> = {
  text: renderText,
  json: renderJson,
};

export const FORMATS = () => Object.keys(RENDERERS);
