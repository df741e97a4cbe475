/**
 * A counting semaphore: bounds requests in flight so a directory of 10 000 files does not open 10 000
 * sockets, and so one slow object cannot starve the rest for long.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((res) => this.waiting.push(res));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

const shared = new Map<number, Limiter>();

/** One limiter per configured size, shared by every reader in the process. */
export function sharedLimiter(max: number): Limiter {
  let l = shared.get(max);
  if (!l) shared.set(max, (l = new Limiter(max)));
  return l;
}
