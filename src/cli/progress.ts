/**
 * One-line progress displays on stderr, drawn only when that stream is a terminal (never in CI logs
 * or in a test's captured output). The stream comes from the run's io, never from `process`.
 */
import type { CliStream } from './io.js';

export interface Progress<A extends unknown[]> {
  /** undefined when nothing will be drawn, so callers can skip the bookkeeping */
  update?: (...args: A) => void;
  end: () => void;
}

/** Redraw `render`'s line at most every `everyMs` (the last update always draws); clear it at the end. */
function ttyLine<A extends unknown[]>(stream: CliStream, enabled: boolean, everyMs: number, render: (...args: A) => { line: string; final: boolean }): Progress<A> {
  if (!enabled || stream.isTTY !== true) return { end: () => undefined };
  let last = 0;
  let drawn = false;
  return {
    update: (...args) => {
      const { line, final } = render(...args);
      const now = Date.now();
      if (!final && now - last < everyMs) return;
      last = now;
      drawn = true;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`\r\x1b[2K${line.length > width ? line.slice(0, width - 1) + '…' : line}`);
    },
    end: () => {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}

/** `scanning 3/10 path/to/file` */
export function scanProgress(stream: CliStream, enabled: boolean): Progress<[done: number, total: number, path: string]> {
  return ttyLine(stream, enabled, 80, (done: number, total: number, path: string) => ({ line: `scanning ${done}/${total} ${path}`, final: done >= total }));
}

/** `hashing [######...] 40% 120/300 MB` */
export function byteProgress(stream: CliStream, label: string, enabled: boolean): Progress<[done: number, total: number]> {
  const mb = (n: number): string => (n / 1e6).toFixed(0);
  return ttyLine(stream, enabled, 100, (done: number, total: number) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
    return { line: `${label} [${bar}] ${pct}% ${mb(done)}/${mb(total)} MB`, final: done >= total };
  });
}
