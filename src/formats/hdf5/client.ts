/**
 * The HDF5 worker of this thread: started on first use and kept for every later file, because a
 * fresh thread plus a h5wasm load costs 0.6–1.3 s, against milliseconds for the read itself. It is
 * ended only when a round runs out of time (the HDF5 C library can loop forever inside one call, and
 * only terminating the thread stops it); the next round starts a fresh worker. It is unref'd, so an
 * idle worker never keeps the process alive.
 *
 * Rounds run one at a time, and a round's timer starts when it reaches the worker: a file's time
 * budget is spent only on its own rounds, never waiting behind another file's.
 */
import { Worker } from 'node:worker_threads';
import { MlvetError } from '../../errors.js';
import type { EndRequest, RoundReply, RoundRequest } from './protocol.js';

/** One file's read. Its chunks live on the worker that served its last round (`holder`). */
export interface Session {
  readonly sid: number;
  /** worker time this file may still use, in ms */
  msLeft: number;
  holder?: Worker;
}

/** A round's content; `fresh` says the serving worker holds none of the session's chunks yet. */
export type RoundBody = (fresh: boolean) => Omit<RoundRequest, 'rid' | 'sid'>;

export class H5Client {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private ids = 0;
  /** workers started so far: one per thread unless a round timed out or a worker died */
  starts = 0;

  constructor(private readonly script: string) {}

  session(msLeft: number): Session {
    return { sid: ++this.ids, msLeft };
  }

  /** Run one round after those queued before it. Rejects with a coded error; never hangs. */
  round(s: Session, body: RoundBody): Promise<RoundReply> {
    const run = this.queue.then(() => this.dispatch(s, body));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Free the session's image on its worker (if that worker is still the live one). */
  end(s: Session): void {
    if (s.holder !== undefined && s.holder === this.worker)
      s.holder.postMessage({ sid: s.sid, end: true } satisfies EndRequest);
    s.holder = undefined;
  }

  private live(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.script);
    w.unref();
    // Always listened to: an idle worker's error must not become the process's uncaught exception.
    w.on('error', () => this.forget(w));
    w.on('exit', () => this.forget(w));
    this.starts++;
    this.worker = w;
    return w;
  }

  private forget(w: Worker): void {
    if (this.worker === w) this.worker = undefined;
  }

  private kill(w: Worker): void {
    this.forget(w);
    w.terminate().catch(() => undefined);
  }

  private dispatch(s: Session, body: RoundBody): Promise<RoundReply> {
    const w = this.live();
    const fresh = s.holder !== w;
    s.holder = w;
    const rid = ++this.ids;
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const fail = (e: MlvetError): void => {
        settle();
        this.kill(w);
        reject(e);
      };
      const timer = setTimeout(
        () => {
          fail(
            new MlvetError(
              'LIMIT_EXCEEDED',
              `HDF5 library did not finish within ${Math.round(Math.max(0, s.msLeft) / 1000)} s (malformed file?)`,
            ),
          );
        },
        Math.max(0, s.msLeft),
      );
      const onMessage = (r: RoundReply): void => {
        if (r.rid !== rid) return;
        settle();
        resolve(r);
      };
      const onError = (e: Error): void =>
        fail(new MlvetError('PARSE_ERROR', `HDF5 reader failed: ${e.message}`));
      const onExit = (code: number): void =>
        fail(new MlvetError('PARSE_ERROR', `HDF5 reader exited (code ${code})`));
      const settle = (): void => {
        clearTimeout(timer);
        s.msLeft -= Date.now() - started;
        w.off('message', onMessage).off('error', onError).off('exit', onExit);
      };
      w.on('message', onMessage).on('error', onError).on('exit', onExit);
      try {
        w.postMessage({ ...body(fresh), rid, sid: s.sid } satisfies RoundRequest);
      } catch (e) {
        // the message could not be cloned: this round fails, the worker is fine
        settle();
        reject(
          new MlvetError(
            'PARSE_ERROR',
            `HDF5 reader request failed: ${e instanceof Error ? e.message : String(e)}`,
          ),
        );
      }
    });
  }
}
