/**
 * A one-line hashing progress bar for a TTY (stderr). Redraws at most ten times a second; silent
 * when the stream is not a terminal.
 */
export function progressBar(stream: NodeJS.WriteStream, label: string, enabled: boolean): { onProgress?: (done: number, total: number) => void; end: () => void } {
  if (!enabled || !stream.isTTY) return { end: () => undefined };
  let last = 0;
  let drawn = false;
  const mb = (n: number): string => (n / 1e6).toFixed(0);
  return {
    onProgress: (done, total) => {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      drawn = true;
      const pct = total ? Math.floor((done / total) * 100) : 100;
      const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
      stream.write(`\r${label} [${bar}] ${pct}% ${mb(done)}/${mb(total)} MB`);
    },
    end: () => {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
