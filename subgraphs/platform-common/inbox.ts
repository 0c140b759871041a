import { isDeepStrictEqual } from 'node:util';
import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import type { Sealer } from '../../kit/sealed.ts';
import { retryDelayMs } from '../../kit/backoff.ts';
import type { ShopperContact } from './order-sync.ts';
import { contextFromTraceparent, currentTraceparent, detached, recordFailure, SpanKind, withSpan, type Span } from '../../kit/telemetry.ts';

export interface InboxOptions {
  db: Database;
  log: Logger;
  /**
   * Processes one message; throwing schedules a retry with backoff, except an
   * `UnprocessableMessage`, which sets the message aside at once (retrying cannot help).
   */
  handle(topic: string, payload: unknown, contact?: ShopperContact): Promise<void>;
  /**
   * The shopper's contact on an order message (the platform dictionary's `shopperContactOf`),
   * taken from the payload as received, before the projection drops it, and kept sealed until the
   * message is applied; `handle` gets it back opened. @default none kept
   */
  contact?: { of(topic: string, payload: unknown): ShopperContact | null | undefined; sealer: Sealer };
  /**
   * The platform's allowlist projection (`toStoredOrder`): what is kept of a payload, so nothing
   * order sync does not read (names, e-mails, addresses, notes, IPs) is ever stored. Applied on
   * receipt, and on start to rows stored before it existed. @default keeps the payload as given
   */
  minimise?: (topic: string, payload: unknown) => unknown;
  /**
   * Days a processed message keeps its payload; then the payload is dropped and the row (its
   * delivery id) stays, so a late duplicate is still recognised.
   * @default PONTE_INBOX_RETENTION_DAYS, else DEFAULT_RETENTION_DAYS
   */
  retentionDays?: number;
  /** How often the retention purge runs. @default 3_600_000 (hourly) */
  purgeIntervalMs?: number;
  /**
   * How often due messages are looked for besides the nudge each new message gives.
   * @default 1000
   */
  pollIntervalMs?: number;
  /** @default 300_000 */
  maxBackoffMs?: number;
  /**
   * Whether a failure is the platform's outage (5xx, timeouts, unreachable) rather than the
   * message's own: such a message waits for `platformRecovered()` as well as for its backoff.
   * `startedAt` is when the attempt began (`performance.now()`), for a platform whose calls are
   * watched rather than its errors told apart (`PlatformReachability.failedSince`).
   * @default no failure is
   */
  waitsOnPlatform?: (error: unknown, startedAt: number) => boolean;
  /**
   * Which platform order a message is about. Messages with the same key are applied one after
   * another in arrival order (a cancellation never overtakes its order), by this worker and by any
   * other replica; messages about different orders are applied concurrently. null: ordered by nothing.
   * @default every message unordered
   */
  orderingKey?: (topic: string, payload: unknown) => string | null | undefined;
  /**
   * Messages applied at once. One at a time, the inbox fell minutes behind a storm of orders: each
   * message waits on the inventory (and, for Mercado Livre, on the platform) far longer than on CPU.
   * @default 16
   */
  concurrency?: number;
  /**
   * How long a claimed message is left alone by other replicas; renewed while it is being applied.
   * After a crash, the messages it was applying are taken up again once this has passed.
   * @default 10_000
   */
  claimMs?: number;
}

const DEFAULT_POLL_INTERVAL_MS = 1000;
/** @default 7 days: long enough to investigate a failed order, short enough to hold little. */
export const DEFAULT_RETENTION_DAYS = 7;
export const RETENTION_ENV = 'PONTE_INBOX_RETENTION_DAYS';
const DEFAULT_PURGE_INTERVAL_MS = 3_600_000;
const MINIMISE_BATCH = 200;

/** The retention PONTE_INBOX_RETENTION_DAYS asks for; a malformed value stops the service at start. */
export function retentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[RETENTION_ENV]?.trim();
  if (!raw) return DEFAULT_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isFinite(days) || days < 0) throw new Error(`${RETENTION_ENV}=${raw} must be a number of days (0 or more)`);
  return days;
}

/**
 * A message that no retry can apply (a signed body that is not an order): the worker records it
 * as rejected with this message, keeps no retry scheduled, and moves on.
 */
export class UnprocessableMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnprocessableMessage';
  }
}
const DEFAULT_MAX_BACKOFF_MS = 300_000;
const DEFAULT_CONCURRENCY = 16;
const DEFAULT_CLAIM_MS = 10_000;

interface ClaimedMessage {
  id: number;
  deliveryId: string;
  topic: string;
  payload: unknown;
  contactSealed: string | null;
  attempts: number;
  traceParent: string | null;
}

/** The authenticated context of a message's sealed contact: it opens on that delivery's row only. */
export const inboxContactContext = (deliveryId: string) => `inbox_messages:${deliveryId}:contact_sealed`;

/**
 * Durable inbox for webhooks and notifications. The receiver only stores the message (deduplicated
 * on the platform's delivery id) and answers 200, which is what platforms want ("answer quickly");
 * this worker then applies them, retrying failures with backoff. It claims due messages (FOR
 * UPDATE SKIP LOCKED, held for a renewed lease) and applies up to `concurrency` at once; of the
 * messages about one order (`orderingKey`) only the oldest unprocessed one can be claimed, so they
 * are applied in arrival order. A crash loses nothing: a message not yet marked processed is
 * claimed again once its lease has passed, and the handlers' idempotency keys make the repeat harmless.
 */
export class Inbox {
  readonly #options: InboxOptions;
  readonly #log: Logger;
  readonly #retentionDays: number;
  #timer: NodeJS.Timeout | undefined;
  #purgeTimer: NodeJS.Timeout | undefined;
  /** Start-up minimisation and the first purge, awaited by stop(). */
  #housekeeping: Promise<void> | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  /** Wakes a worker waiting on messages in flight: new ones are due. */
  #wake: (() => void) | undefined;
  #stopped = false;
  /** When the platform was last seen to answer again (performance.now()). */
  #recoveredAt = Number.NEGATIVE_INFINITY;

  constructor(options: InboxOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'inbox' });
    this.#retentionDays = options.retentionDays ?? retentionDaysFromEnv();
    if (!Number.isFinite(this.#retentionDays) || this.#retentionDays < 0) throw new Error(`Inbox retention must be 0 or more days, got ${this.#retentionDays}`);
  }

  /** Stores a message; false when this delivery id was already received (a redelivery). */
  async receive(deliveryId: string, topic: string, payload: unknown): Promise<boolean> {
    const rows = await this.#options.db.query(
      `INSERT INTO inbox_messages (delivery_id, topic, payload, trace_parent, ordering_key, contact_sealed) VALUES ($1, $2, $3::jsonb, $4, $5, $6)
       ON CONFLICT (delivery_id) DO NOTHING RETURNING id`,
      [deliveryId, topic, JSON.stringify(this.#minimise(topic, payload)), currentTraceparent() ?? null, this.orderingKey(topic, payload), this.#sealedContact(deliveryId, topic, payload)],
    );
    // The worker's own reads belong to no delivery's trace; each message continues its own.
    if (rows.length === 1) this.#drainLater();
    return rows.length === 1;
  }

  /** Whether this delivery id was received already (processed or not). */
  async has(deliveryId: string): Promise<boolean> {
    return (await this.#options.db.query('SELECT 1 FROM inbox_messages WHERE delivery_id = $1', [deliveryId])).length > 0;
  }

  start(): void {
    this.#timer = setInterval(() => this.#drainLater(), this.#options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    this.#timer.unref();
    const housekeeping = () =>
      void this.purgeProcessed().catch((error: unknown) => this.#log.warn({ err: error }, 'inbox retention purge failed; will retry'));
    this.#purgeTimer = setInterval(housekeeping, this.#options.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS);
    this.#purgeTimer.unref();
    // Rows stored before the projection existed are minimised first, then old payloads purged.
    this.#housekeeping = this.minimiseStored()
      .catch((error: unknown) => this.#log.warn({ err: error }, 'could not minimise stored inbox payloads'))
      .then(() => this.resealContacts())
      .catch((error: unknown) => this.#log.warn({ err: error }, 'could not re-seal stored inbox contacts'))
      .then(housekeeping);
    this.#drainLater();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    clearInterval(this.#timer);
    clearInterval(this.#purgeTimer);
    await this.#housekeeping;
    await this.#running;
  }

  /**
   * Drops the payload of every message processed more than the retention ago; the row, its
   * delivery id and its times stay. Returns how many payloads were dropped.
   */
  async purgeProcessed(retentionDays = this.#retentionDays): Promise<number> {
    const rows = await this.#options.db.query(
      `UPDATE inbox_messages SET payload = NULL, contact_sealed = NULL, purged_at = now()
        WHERE (payload IS NOT NULL OR contact_sealed IS NOT NULL) AND processed_at IS NOT NULL AND processed_at < now() - make_interval(secs => $1)
        RETURNING id`,
      [retentionDays * 86_400],
    );
    if (rows.length > 0) this.#log.info({ purged: rows.length, retentionDays }, 'inbox payloads past retention dropped');
    return rows.length;
  }

  /** Applies the projection to payloads already stored (written before it existed); returns how many changed. */
  async minimiseStored(): Promise<number> {
    if (!this.#options.minimise) return 0;
    let changed = 0;
    let after = 0;
    for (;;) {
      const batch = await this.#options.db.query<{ id: number; topic: string; payload: unknown }>(
        'SELECT id, topic, payload FROM inbox_messages WHERE payload IS NOT NULL AND id > $1 ORDER BY id LIMIT $2',
        [after, MINIMISE_BATCH],
      );
      for (const row of batch) {
        const minimal = this.#minimise(row.topic, row.payload);
        // jsonb orders keys its own way: compare values, not texts.
        if (isDeepStrictEqual(minimal, row.payload)) continue;
        await this.#options.db.query('UPDATE inbox_messages SET payload = $2::jsonb WHERE id = $1', [row.id, JSON.stringify(minimal)]);
        changed++;
      }
      if (batch.length < MINIMISE_BATCH) break;
      after = batch.at(-1)!.id;
    }
    if (changed > 0) this.#log.info({ changed }, 'stored inbox payloads minimised');
    return changed;
  }

  /**
   * The platform answers again after an outage: the messages that failed for it (not for their
   * own content) are due at once instead of after their backoff, each once (failing again, its
   * backoff holds). Returns how many were made due.
   */
  async platformRecovered(): Promise<number> {
    this.#recoveredAt = performance.now();
    const woken = await this.#options.db.query(
      `UPDATE inbox_messages SET next_attempt_at = now(), waits_on_platform = false, woken_on_recovery = true
        WHERE waits_on_platform AND processed_at IS NULL AND next_attempt_at > now()
        RETURNING id`,
    );
    if (woken.length > 0) {
      this.#log.info({ messages: woken.length }, 'platform answers again; messages that failed for its outage are due now');
      if (!this.#stopped) this.#drainLater();
    }
    return woken.length;
  }

  #waitsOnPlatform(error: unknown, startedAt: number): boolean {
    try {
      return this.#options.waitsOnPlatform?.(error, startedAt) ?? false;
    } catch {
      return false;
    }
  }

  /** Messages set aside because they can never be applied, newest first (ids and reasons only). */
  async rejected(limit = 100): Promise<Array<{ deliveryId: string; topic: string; reason: string; rejectedAt: string }>> {
    return this.#options.db.query(
      `SELECT delivery_id AS "deliveryId", topic, last_error AS reason,
              to_char(rejected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "rejectedAt"
         FROM inbox_messages WHERE rejected_at IS NOT NULL ORDER BY id DESC LIMIT $1`,
      [limit],
    );
  }

  /** The key that orders this message among others about the same order (see `orderingKey`). */
  orderingKey(topic: string, payload: unknown): string | null {
    try {
      return this.#options.orderingKey?.(topic, payload) ?? null;
    } catch {
      return null;
    }
  }

  #sealedContact(deliveryId: string, topic: string, payload: unknown): string | null {
    if (!this.#options.contact) return null;
    let contact: ShopperContact | null | undefined;
    try {
      contact = this.#options.contact.of(topic, payload);
    } catch {
      // Not the shape the dictionary knows: the message is unprocessable anyway; nothing kept.
      return null;
    }
    if (!contact || Object.values(contact).every((value) => value === null || value === undefined || value === '')) return null;
    return this.#options.contact.sealer.seal(JSON.stringify(contact), inboxContactContext(deliveryId));
  }

  #openContact(message: ClaimedMessage): ShopperContact | undefined {
    if (!message.contactSealed || !this.#options.contact) return undefined;
    try {
      return JSON.parse(this.#options.contact.sealer.open(message.contactSealed, inboxContactContext(message.deliveryId))) as ShopperContact;
    } catch (error) {
      // A key removed too early, or an altered value: the order is still applied, without its shopper.
      this.#log.warn({ messageId: message.id, reason: (error as Error).message }, 'inbox message contact cannot be opened; applied without it');
      return undefined;
    }
  }

  /**
   * Re-seals the contacts not under the current data key (key rotation, docs/privacy.md); run at
   * start. Returns how many moved.
   */
  async resealContacts(): Promise<number> {
    const sealer = this.#options.contact?.sealer;
    if (!sealer) return 0;
    const rows = await this.#options.db.query<{ id: number; deliveryId: string; sealed: string }>(
      'SELECT id, delivery_id AS "deliveryId", contact_sealed AS sealed FROM inbox_messages WHERE contact_sealed IS NOT NULL AND contact_sealed NOT LIKE $1',
      [`${sealer.currentKeyId}:%`],
    );
    let moved = 0;
    for (const row of rows) {
      const resealed = sealer.reseal(row.sealed, inboxContactContext(row.deliveryId));
      if (resealed) moved += (await this.#options.db.query('UPDATE inbox_messages SET contact_sealed = $2 WHERE id = $1 AND contact_sealed = $3 RETURNING id', [row.id, resealed, row.sealed])).length;
    }
    if (moved > 0) this.#log.info({ moved }, 'sealed inbox contacts moved to the current data key');
    return moved;
  }

  #minimise(topic: string, payload: unknown): unknown {
    if (!this.#options.minimise) return payload;
    try {
      return this.#options.minimise(topic, payload);
    } catch {
      // Not the shape the projection knows (it is then unprocessable too): keep nothing of it.
      return null;
    }
  }

  /** A drain nobody waits for (a delivery's arrival, the poll, a retry coming due), in a trace of its own. */
  #drainLater(): void {
    void detached(() => this.drain());
  }

  /** Processes every due message; resolves when none is left (tests wait on it). */
  drain(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      this.#wake?.();
      return this.#running;
    }
    // Like the listing sync's and the outbox relay's: a failed claim (the database gone for a moment)
    // is logged and left to the next poll or wake-up; callers that do not wait never see a rejection.
    this.#running = this.#loop()
      .catch((error: unknown) => this.#log.warn({ err: error }, 'inbox drain failed; the next poll tries again'))
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  async pending(): Promise<number> {
    const [row] = await this.#options.db.query<{ count: number }>('SELECT count(*)::int AS count FROM inbox_messages WHERE processed_at IS NULL');
    return row!.count;
  }

  async #loop(): Promise<void> {
    const concurrency = Math.max(1, this.#options.concurrency ?? DEFAULT_CONCURRENCY);
    const claimMs = this.#options.claimMs ?? DEFAULT_CLAIM_MS;
    const inFlight = new Map<number, { attempts: number; done: Promise<void> }>();
    // While messages are being applied, their leases are renewed: a slow inventory call must not
    // hand a message to another replica. A renewal never touches a message already answered for.
    const renewal = setInterval(() => {
      if (inFlight.size === 0) return;
      const held = [...inFlight];
      void this.#options.db
        .query(
          `UPDATE inbox_messages m SET next_attempt_at = now() + make_interval(secs => $3)
             FROM unnest($1::bigint[], $2::int[]) AS held(id, attempts)
            WHERE m.id = held.id AND m.attempts = held.attempts AND m.processed_at IS NULL`,
          [held.map(([id]) => id), held.map(([, message]) => message.attempts), claimMs / 1000],
        )
        .catch((error: unknown) => this.#log.warn({ err: error }, 'could not renew the inbox claims'));
    }, claimMs / 3);
    renewal.unref();
    try {
      do {
        this.#again = false;
        for (;;) {
          if (this.#stopped) break;
          // Set again by a drain() that came while this claim was on its way: claim once more
          // rather than wait for a wake-up that was already spent.
          this.#again = false;
          const free = concurrency - inFlight.size;
          const claimed = free > 0 ? await this.#claim(free, [...inFlight.keys()], claimMs) : [];
          for (const message of claimed) {
            const done = this.#process(message)
              .catch((error: unknown) => this.#log.error({ err: error, messageId: message.id }, 'inbox message outcome not recorded; it will be claimed again'))
              .finally(() => inFlight.delete(message.id));
            inFlight.set(message.id, { attempts: message.attempts, done });
          }
          if (inFlight.size === 0) break;
          if (this.#again) continue;
          // A finished message may free a slot, or the next message about its order; a new one may be due.
          const woken = new Promise<void>((resolve) => (this.#wake = resolve));
          await Promise.race([woken, ...[...inFlight.values()].map((message) => message.done)]);
          this.#wake = undefined;
        }
      } while (this.#again && !this.#stopped);
    } finally {
      await Promise.all([...inFlight.values()].map((message) => message.done));
      clearInterval(renewal);
    }
  }

  /**
   * Takes due messages for this worker, oldest first, by moving their next attempt past the lease:
   * SKIP LOCKED so replicas claiming at once take different rows, and only the oldest unprocessed
   * message of each order, so two messages about one order are never applied at the same time.
   */
  async #claim(limit: number, inFlight: number[], claimMs: number): Promise<ClaimedMessage[]> {
    // A claimed message waits on nothing: a recovery must not make it due under its worker.
    const rows = await this.#options.db.query<ClaimedMessage>(
      `UPDATE inbox_messages SET next_attempt_at = now() + make_interval(secs => $3), waits_on_platform = false
        WHERE id IN (SELECT m.id FROM inbox_messages m
                      WHERE m.processed_at IS NULL AND m.next_attempt_at <= now() AND m.id <> ALL($2::bigint[])
                        AND (m.ordering_key IS NULL OR NOT EXISTS (
                              SELECT 1 FROM inbox_messages earlier
                               WHERE earlier.ordering_key = m.ordering_key AND earlier.processed_at IS NULL AND earlier.id < m.id))
                      ORDER BY m.id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, delivery_id AS "deliveryId", topic, payload, contact_sealed AS "contactSealed", attempts, trace_parent AS "traceParent"`,
      [limit, inFlight, claimMs / 1000],
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Applies one message as a child of the webhook that stored it (its stored traceparent). */
  #process(message: ClaimedMessage): Promise<void> {
    return withSpan(
      `inbox ${message.topic}`,
      { kind: SpanKind.CONSUMER, parent: contextFromTraceparent(message.traceParent), attributes: { 'messaging.system': 'ponte-inbox', 'messaging.operation.name': 'process', 'messaging.message.id': String(message.id), 'ponte.inbox.attempt': message.attempts + 1 } },
      (span) => this.#apply(message, span),
    );
  }

  async #apply(message: ClaimedMessage, span: Span): Promise<void> {
    const startedAt = performance.now();
    try {
      const contact = this.#openContact(message);
      await (contact === undefined ? this.#options.handle(message.topic, message.payload) : this.#options.handle(message.topic, message.payload, contact));
      // Applied: the customers subgraph holds the contact now; the inbox keeps none of it.
      await this.#options.db.query('UPDATE inbox_messages SET processed_at = now(), attempts = attempts + 1, last_error = NULL, contact_sealed = NULL WHERE id = $1', [message.id]);
    } catch (error) {
      recordFailure(span, error);
      if (error instanceof UnprocessableMessage) {
        // Retrying cannot help; keeping it visible (rejected()) does. The payload is not logged.
        this.#log.error({ messageId: message.id, topic: message.topic, reason: error.message }, 'inbox message cannot be applied; set aside');
        await this.#options.db.query(
          'UPDATE inbox_messages SET processed_at = now(), rejected_at = now(), attempts = attempts + 1, last_error = $2, contact_sealed = NULL WHERE id = $1',
          [message.id, error.message.slice(0, 1000)],
        );
        return;
      }
      const attempts = message.attempts + 1;
      // Exponential backoff with full jitter: a platform outage does not become a thundering herd.
      const backoffMs = retryDelayMs(attempts, { baseMs: 500, maxMs: this.#options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS });
      const outage = this.#waitsOnPlatform(error, startedAt);
      // The platform came back while this attempt was failing: the wake has passed it by, so it
      // goes again at once, as the wake would have sent it.
      const recoveredMeanwhile = outage && this.#recoveredAt >= startedAt;
      this.#log.warn({ err: error, messageId: message.id, topic: message.topic, attempts, outage }, 'inbox message failed; will retry');
      // A message that waits on the platform's recovery is not tried meanwhile (its tries would
      // spend the platform's rate limit for nothing, and leave none for the catch-up): the longest
      // backoff stands in case the recovery is never seen.
      await this.#options.db.query(
        `UPDATE inbox_messages SET attempts = $2, last_error = $3,
                next_attempt_at = now() + ((CASE WHEN woken_on_recovery OR NOT $5 THEN $4 WHEN $7 THEN 0 ELSE $6 END)::text || ' milliseconds')::interval,
                waits_on_platform = $5 AND NOT $7 AND NOT woken_on_recovery,
                woken_on_recovery = woken_on_recovery OR $7
          WHERE id = $1`,
        [message.id, attempts, String((error as Error).message ?? error).slice(0, 1000), Math.round(backoffMs), outage, this.#options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS, recoveredMeanwhile],
      );
    }
  }
}
