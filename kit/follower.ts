import { retryDelayMs } from './backoff.ts';
import type { Logger } from './logger.ts';

export interface FollowerOptions {
  /** What is followed, as the log says it: "the store sales", "the orders' changes". */
  feed: string;
  log: Logger;
  /**
   * Reads and applies everything new after the follower's watermark, page by page, moving the
   * watermark after each page it applied; resolves to how many items it applied. It should look at
   * `stopped()` between pages, so a stop does not wait for a long catch-up.
   */
  catchUp: (stopped: () => boolean) => Promise<number>;
  /** How often the feed is read when it is followed on a timer. @default 2000 */
  pollIntervalMs?: number;
  /** The wait after failed reads: exponential, with jitter, never shorter than the poll interval. */
  backoff?: { baseMs: number; maxMs: number };
}

/**
 * Follows another service's feed from a watermark this service keeps in its own database (the
 * inventory's store sales, the orders' fulfilments and changes, the customers' merges). The other
 * service may run on another database, so its feed is polled, not LISTENed to. What this adds to
 * the feed's own `catchUp`:
 * - one read at a time: a `catchUp()` while one runs shares it, and one more read follows for what
 *   arrived meanwhile;
 * - on a timer (`start`), a failed read (the other service down or refusing) is retried with
 *   backoff; nothing is lost, because the watermark moves only after a page is applied. An outage
 *   is logged when it starts and when it ends, not on every retry.
 */
export class Follower {
  readonly #options: FollowerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #again = false;
  #stopped = false;
  #failures = 0;

  constructor(options: FollowerOptions) {
    this.#options = options;
  }

  /**
   * Reads at once, then every poll interval (or later, after failures) until `stop()`. Resolves
   * once the first read ended, well or not (a failed one is retried, never thrown).
   */
  start(): Promise<void> {
    this.#stopped = false;
    return this.#tick();
  }

  /** Stops the timer and waits for a read under way, which ends at its next page. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => 0);
  }

  /** Applies everything new now; rejects when the read fails (the watermark stays where it was). */
  catchUp(): Promise<number> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #drain(): Promise<number> {
    let applied = 0;
    do {
      this.#again = false;
      applied += await this.#options.catchUp(() => this.#stopped);
    } while (this.#again && !this.#stopped);
    return applied;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    const pollIntervalMs = this.#options.pollIntervalMs ?? 2000;
    let delayMs = pollIntervalMs;
    try {
      await this.catchUp();
      if (this.#failures > 0) this.#options.log.info({ failedReads: this.#failures }, `following ${this.#options.feed} again`);
      this.#failures = 0;
    } catch (error) {
      this.#failures += 1;
      delayMs = Math.max(pollIntervalMs, retryDelayMs(this.#failures, this.#options.backoff ?? { baseMs: 1000, maxMs: 30_000 }));
      if (this.#failures === 1) this.#options.log.warn({ err: error, retryInMs: Math.round(delayMs) }, `could not read ${this.#options.feed}; reading on later from the watermark`);
    }
    this.#schedule(delayMs);
  }
}

/** Reads page after page until one comes back short (the feed's end) or the follower stops; resolves to the items read. */
export async function readPages(readPage: () => Promise<number>, pageSize: number, stopped: () => boolean): Promise<number> {
  let read = 0;
  for (;;) {
    const page = await readPage();
    read += page;
    if (page < pageSize || stopped()) return read;
  }
}
