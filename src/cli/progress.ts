/** A one-line progress display on stderr, only when stderr is a terminal (never in CI logs). */
export function progressLine(enabled: boolean): ((done: number, total: number, path: string) => void) & { end(): void } {
  const tty = enabled && process.stderr.isTTY === true;
  let last = 0;
  const fn = ((done: number, total: number, path: string) => {
    if (!tty) return;
    const now = Date.now();
    if (done < total && now - last < 80) return;
    last = now;
    const width = Math.max(20, (process.stderr.columns ?? 80) - 1);
    const line = `scanning ${done}/${total} ${path}`;
    process.stderr.write(`\r\x1b[2K${line.length > width ? line.slice(0, width - 1) + '…' : line}`);
  }) as ((done: number, total: number, path: string) => void) & { end(): void };
  fn.end = () => {
    if (tty) process.stderr.write('\r\x1b[2K');
  };
  return fn;
}
