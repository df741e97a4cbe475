/**
 * The one progress display every long command draws on stderr: a bar, the percentage, files and bytes
 * done of the total, the rate and the time left, e.g.
 *
 *   scanning [███████████░░░░░░░░░░░░░░]  44%  108/244 files  1.2/2.7 GB  96 MB/s  ETA 0:16  models/b.bin
 *
 * It is drawn only when stderr is a terminal and `CI` is not set (a CI log or a test's captured output
 * gets nothing), redrawn at most every 100 ms, and cleared at the end. The stream and environment come
 * from the run's io, never from `process`.
 */
import type { CliIo, CliStream } from './io.js';

export interface ProgressUpdate {
  files?: { done: number; total: number };
  bytes?: { done: number; total: number };
  /** what is being worked on (a path) */
  item?: string;
}

export interface Progress<A extends unknown[]> {
  /** undefined when nothing will be drawn, so callers can skip the bookkeeping */
  update?: (...args: A) => void;
  end: () => void;
}

/** where to draw: the run's io (stderr and env), or just a stream (then `CI` cannot be seen) */
export type ProgressTarget = CliStream | Pick<CliIo, 'stderr' | 'env'>;

export interface BarOptions {
  /** milliseconds clock, for tests */
  now?: () => number;
  everyMs?: number;
}

const BAR = 24;
const EVERY_MS = 100;

function streamOf(t: ProgressTarget): { stream: CliStream; env: NodeJS.ProcessEnv } {
  return 'stderr' in t ? { stream: t.stderr, env: t.env } : { stream: t, env: {} };
}

/** Whether a bar will be drawn: asked for, a terminal, and not a CI job. */
export function progressEnabled(t: ProgressTarget, wanted: boolean): boolean {
  const { stream, env } = streamOf(t);
  return wanted && stream.isTTY === true && !(env.CI && env.CI !== 'false' && env.CI !== '0');
}

/** `1.2 GB`, `96 MB`, `512 B` (decimal units, as download tools show them) */
export function sizeText(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** `0:16`, `12:05`, `1:02:03` */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** The line for one state, `elapsed` seconds after the start. Pure, so the test reads it directly. */
export function progressLine(label: string, u: ProgressUpdate, elapsed: number): string {
  const { files, bytes } = u;
  const measure = bytes && bytes.total > 0 ? bytes : files;
  const share = measure && measure.total > 0 ? Math.min(1, measure.done / measure.total) : 0;
  const fill = Math.round(share * BAR);
  const parts = [`${label} [${'█'.repeat(fill)}${'░'.repeat(BAR - fill)}]`, `${String(Math.floor(share * 100)).padStart(3)}%`];
  if (files) parts.push(`${files.done}/${files.total} files`);
  if (bytes) parts.push(`${sizeText(bytes.done)}/${sizeText(bytes.total)}`);
  if (measure && elapsed > 0.5 && measure.done > 0) {
    const rate = measure.done / elapsed;
    parts.push(measure === bytes ? `${sizeText(rate)}/s` : `${rate.toFixed(rate < 10 ? 1 : 0)} files/s`);
    if (measure.done < measure.total) parts.push(`ETA ${durationText((measure.total - measure.done) / rate)}`);
  }
  if (u.item) parts.push(u.item);
  return parts.join('  ');
}

/** The bar itself: `update` with the latest state, `end` to clear the line. */
export function progressBar(t: ProgressTarget, label: string, wanted: boolean, o: BarOptions = {}): Progress<[ProgressUpdate]> {
  if (!progressEnabled(t, wanted)) return { end: () => undefined };
  const { stream } = streamOf(t);
  const now = o.now ?? Date.now;
  const start = now();
  let last = -Infinity;
  let drawn = false;
  return {
    update: (u) => {
      const measure = u.bytes ?? u.files;
      const final = measure !== undefined && measure.done >= measure.total;
      const at = now();
      if (!final && at - last < (o.everyMs ?? EVERY_MS)) return;
      last = at;
      drawn = true;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const line = progressLine(label, u, (at - start) / 1000);
      stream.write(`\r\x1b[2K${line.length > width ? line.slice(0, width - 1) + '…' : line}`);
    },
    end: () => {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}

/** For scan and audit: files done of total, bytes when the caller knows them, and the current path. */
export function scanProgress(t: ProgressTarget, enabled: boolean, label = 'scanning'): Progress<[done: number, total: number, path: string, bytes?: { done: number; total: number }]> {
  const bar = progressBar(t, label, enabled);
  if (!bar.update) return { end: bar.end };
  const update = bar.update;
  return { update: (done, total, path, bytes) => update({ files: { done, total }, ...(bytes ? { bytes } : {}), item: path }), end: bar.end };
}

/** For hashing (sign, verify) and reading datasets (validate, profile): bytes done of total. */
export function byteProgress(t: ProgressTarget, label: string, enabled: boolean): Progress<[done: number, total: number]> {
  const bar = progressBar(t, label, enabled);
  if (!bar.update) return { end: bar.end };
  const update = bar.update;
  return { update: (done, total) => update({ bytes: { done, total } }), end: bar.end };
}
