import { EventEmitter, on } from 'node:events';
import type { Database, SqlClient } from './database.ts';
import type { Logger } from './logger.ts';
import { detached } from './telemetry.ts';

/**
 * Where a relay reads one service's transactional outbox: a table whose ids become visible in id
 * order (allocated under an advisory lock held to commit), and the NOTIFY channel its writers
 * signal on commit.
 */
export interface OutboxSource<Event extends { id: string }> {
  /** The NOTIFY channel the writers signal. */
  channel: string;
  /** The id of the newest event (0 when there is none). */
  lastId(db: SqlClient): Promise<number>;
  /** Events with an id above `afterId`, in id order, at most `limit`. */
  after(db: SqlClient, afterId: number, limit: number): Promise<Event[]>;
}

export interface OutboxRelayOptions<Event> {
  /**
   * How often the outbox is read even without a notification: the safety net for a NOTIFY lost
   * with a dropped connection. Events normally arrive through LISTEN within milliseconds.
   * @default 1000
   */
  pollIntervalMs?: number;
  /** @default 500 */
  batchSize?: number;
  /** Told of each event as it is handed to subscribers (the metrics count and time them). */
  onPublished?: (event: Event) => void;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;
const DEFAULT_BATCH_SIZE = 500;
const EVENT = 'outbox-event';

/**
 * Reads committed events from an outbox and hands them to this process's subscribers. Every
 * replica runs its own relay over the same table, so a subscriber on any replica sees every
 * change, and only changes that committed.
 */
export class OutboxRelay<Event extends { id: string }> {
  readonly #db: Database;
  readonly #log: Logger;
  readonly #source: OutboxSource<Event>;
  readonly #bus = new EventEmitter();
  readonly #pollIntervalMs: number;
  readonly #batchSize: number;
  readonly #onPublished: ((event: Event) => void) | undefined;
  #lastId = 0;
  #timer: NodeJS.Timeout | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #draining: Promise<void> | undefined;
  #drainAgain = false;
  #stopped = false;

  constructor(db: Database, log: Logger, source: OutboxSource<Event>, options: OutboxRelayOptions<Event> = {}) {
    this.#db = db;
    this.#log = log;
    this.#source = source;
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.#batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.#onPublished = options.onPublished;
    // Subscribers are long-lived WebSocket operations; thousands of them are normal.
    this.#bus.setMaxListeners(0);
  }

  /** The id of the last event handed to subscribers. */
  get lastEventId(): number {
    return this.#lastId;
  }

  /** Subscriptions following the feed in this process now. */
  get subscriberCount(): number {
    return this.#bus.listenerCount(EVENT);
  }

  async start(): Promise<void> {
    // Live subscriptions start from now: history is in the tables, not replayed here.
    this.#lastId = await this.#source.lastId(this.#db);
    // A notification may arrive in the context of the transaction that sent it: the relay's reads
    // are filed under no trace (each event carries its own traceparent instead).
    this.#unlisten = await this.#db.listen(this.#source.channel, () => void detached(() => this.drain()));
    this.#timer = setInterval(() => void this.drain(), this.#pollIntervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#unlisten?.();
    await this.#draining;
    this.#bus.emit('close');
  }

  /** Delivers every event committed since the last one delivered. Concurrent calls coalesce. */
  drain(): Promise<void> {
    if (this.#draining) {
      this.#drainAgain = true;
      return this.#draining;
    }
    this.#draining = this.#drainLoop().finally(() => {
      this.#draining = undefined;
    });
    return this.#draining;
  }

  async #drainLoop(): Promise<void> {
    do {
      this.#drainAgain = false;
      if (this.#stopped) return;
      try {
        let batch: Event[];
        do {
          batch = await this.#source.after(this.#db, this.#lastId, this.#batchSize);
          for (const event of batch) {
            this.#lastId = Number(event.id);
            this.#bus.emit(EVENT, event);
            this.#onPublished?.(event);
          }
        } while (batch.length === this.#batchSize && !this.#stopped);
      } catch (error) {
        // The next notification or poll retries from the same id: nothing is skipped.
        this.#log.error({ err: error }, 'reading the outbox failed');
      }
    } while (this.#drainAgain);
  }

  /**
   * Committed events after `afterId` that pass `accept`: those already in the outbox first, read a
   * page at a time as the subscriber takes them, then the live ones, each once and in id order,
   * until `signal` aborts or the relay stops. A subscriber that lost its connection resumes here
   * from the last event it had, without a gap.
   */
  async *eventsAfter(afterId: number, accept: (event: Event) => boolean, signal?: AbortSignal): AsyncGenerator<Event> {
    if (signal?.aborted) return;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    // Live events are taken from before the outbox is read: an event committed during the replay
    // is either in a page read or in this buffer (or both, and then skipped once).
    const live = this.events(accept, stop.signal);
    const started = live.next();
    try {
      let lastId = afterId;
      for (;;) {
        if (stop.signal.aborted || this.#stopped) return;
        const page = await this.#source.after(this.#db, lastId, this.#batchSize);
        for (const event of page) {
          lastId = Number(event.id);
          if (accept(event)) yield event;
        }
        if (page.length < this.#batchSize) break;
      }
      for (let next = await started; !next.done; next = await live.next()) {
        if (Number(next.value.id) > lastId) yield next.value;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stop.abort();
      await started.catch(() => undefined);
      await live.return(undefined);
    }
  }

  /** Committed events from now on that pass `accept`, until `signal` aborts or the relay stops. */
  async *events(accept: (event: Event) => boolean, signal?: AbortSignal): AsyncGenerator<Event> {
    if (signal?.aborted) return;
    const abort = new AbortController();
    const onClose = () => abort.abort();
    this.#bus.once('close', onClose);
    signal?.addEventListener('abort', onClose, { once: true });
    try {
      for await (const [event] of on(this.#bus, EVENT, { signal: abort.signal })) {
        if (accept(event as Event)) yield event as Event;
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    } finally {
      this.#bus.off('close', onClose);
      signal?.removeEventListener('abort', onClose);
    }
  }
}

/**
 * The generator `make` builds, whose return() (and throw()) also aborts the signal it was given.
 * graphql-ws ends a subscription with return(), which an async generator waiting for its next
 * event only runs once that event comes: for a quiet feed, never. Aborting the feed ends it now.
 */
export function endsOnReturn<T>(make: (signal: AbortSignal) => AsyncGenerator<T>): AsyncGenerator<T> {
  const stop = new AbortController();
  const inner = make(stop.signal);
  return {
    next: (...args) => inner.next(...args),
    return: (value) => {
      stop.abort();
      return inner.return(value);
    },
    throw: (error) => {
      stop.abort();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    [Symbol.asyncDispose]: () => inner.return(undefined).then(() => undefined),
  };
}
