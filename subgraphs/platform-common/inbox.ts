import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';

export interface InboxOptions {
  db: Database;
  log: Logger;
  /** Processes one message; throwing schedules a retry with backoff. */
  handle(topic: string, payload: unknown): Promise<void>;
  /**
   * How often due messages are looked for besides the nudge each new message gives.
   * @default 1000
   */
  pollIntervalMs?: number;
  /** @default 300_000 */
  maxBackoffMs?: number;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;
const DEFAULT_MAX_BACKOFF_MS = 300_000;
const BATCH = 20;

/**
 * Durable inbox for webhooks and notifications. The receiver only stores the message (deduplicated
 * on the platform's delivery id) and answers 200, which is what platforms want ("answer quickly");
 * this worker then applies messages in arrival order, retrying failures with backoff. A crash
 * between receipt and processing loses nothing: the row is still there on restart.
 */
export class Inbox {
  readonly #options: InboxOptions;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: InboxOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'inbox' });
  }

  /** Stores a message; false when this delivery id was already received (a redelivery). */
  async receive(deliveryId: string, topic: string, payload: unknown): Promise<boolean> {
    const rows = await this.#options.db.query(
      'INSERT INTO inbox_messages (delivery_id, topic, payload) VALUES ($1, $2, $3::jsonb) ON CONFLICT (delivery_id) DO NOTHING RETURNING id',
      [deliveryId, topic, JSON.stringify(payload)],
    );
    if (rows.length === 1) void this.drain();
    return rows.length === 1;
  }

  /** Whether this delivery id was received already (processed or not). */
  async has(deliveryId: string): Promise<boolean> {
    return (await this.#options.db.query('SELECT 1 FROM inbox_messages WHERE delivery_id = $1', [deliveryId])).length > 0;
  }

  start(): void {
    this.#timer = setInterval(() => void this.drain(), this.#options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    this.#timer.unref();
    void this.drain();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Processes every due message; resolves when none is left (tests wait on it). */
  drain(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async pending(): Promise<number> {
    const [row] = await this.#options.db.query<{ count: number }>('SELECT count(*)::int AS count FROM inbox_messages WHERE processed_at IS NULL');
    return row!.count;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      let batch: Array<{ id: number; topic: string; payload: unknown; attempts: number }>;
      do {
        if (this.#stopped) return;
        batch = await this.#options.db.query(
          `SELECT id, topic, payload, attempts FROM inbox_messages
            WHERE processed_at IS NULL AND next_attempt_at <= now() ORDER BY id LIMIT ${BATCH}`,
        );
        for (const message of batch) {
          if (this.#stopped) return;
          await this.#process(message);
        }
      } while (batch.length === BATCH);
    } while (this.#again);
  }

  async #process(message: { id: number; topic: string; payload: unknown; attempts: number }): Promise<void> {
    try {
      await this.#options.handle(message.topic, message.payload);
      await this.#options.db.query('UPDATE inbox_messages SET processed_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1', [message.id]);
    } catch (error) {
      const attempts = message.attempts + 1;
      // Exponential backoff with full jitter: a platform outage does not become a thundering herd.
      const backoffMs = Math.random() * Math.min(this.#options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS, 500 * 2 ** attempts);
      this.#log.warn({ err: error, messageId: message.id, topic: message.topic, attempts }, 'inbox message failed; will retry');
      await this.#options.db.query(
        `UPDATE inbox_messages SET attempts = $2, last_error = $3, next_attempt_at = now() + ($4::text || ' milliseconds')::interval WHERE id = $1`,
        [message.id, attempts, String((error as Error).message ?? error).slice(0, 1000), Math.round(backoffMs)],
      );
    }
  }
}
