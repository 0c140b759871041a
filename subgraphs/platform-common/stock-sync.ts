import type { Client } from 'graphql-ws';
import type { Database } from '../../kit/database.ts';
import { ErrorCode, PonteError } from '../../kit/errors.ts';
import type { Logger } from '../../kit/logger.ts';
import { createServiceFeed } from '../../kit/service-feed.ts';
import { contextFromTraceparent, linkFromTraceparent, SpanKind, withSpan } from '../../kit/telemetry.ts';
import { retryDelayMs } from '../../kit/backoff.ts';
import { listingQueueFromEnv } from './listing-queue-pgboss.ts';
import { InventoryClient, serviceHeaders, type InventoryError } from './inventory-client.ts';
import type { PlatformMetrics } from './metrics.ts';

/** The `platform_state` row holding the latest drift check: `{ at, checked, drifted, sample }`. */
export const LAST_RECONCILIATION_STATE = 'listing_sync.lastReconciliation';

/** Bounds on `replay…ListingSync(skus:)`, as the inventory bounds SKUs in its inputs. */
const MAX_REPLAYED_SKUS = 1000;
const MAX_SKU_LENGTH = 100;
const DEFAULT_GATHER_MS = 1000;
const DEFAULT_CLAIM_MS = 6000;

/** One listing's wanted quantity. */
export interface ListingQuantity {
  sku: string;
  quantity: number;
  /** The canonical stockVersion the quantity comes from; platforms that need idempotency keys derive them from it. */
  stockVersion?: number;
}

/**
 * What a platform answered for one SKU of a push: PUSHED; RETRY (throttled, down, timed out —
 * try again later, after `retryAfterMs` if the platform said); FAILED (it will not work by
 * retrying, e.g. the SKU is not listed there: kept as a dead letter for review and replay).
 */
export type PushResult =
  | { sku: string; outcome: 'PUSHED' }
  | {
      sku: string;
      outcome: 'RETRY';
      error: string;
      retryAfterMs?: number;
      /**
       * The platform itself failed (5xx, timeout, unreachable), not this listing: the push waits
       * for `platformRecovered()` as well as for its backoff.
       */
      platformDown?: boolean;
      /**
       * Not a failure: the pusher sends this one later on purpose (the listing was written moments
       * ago, or the platform changed the level while the push read it). It goes again after
       * `retryAfterMs` (at once without), counting no attempt: a backoff that grew with each
       * deferral held a storm's listings back for 30 s after its last change.
       */
      deferred?: boolean;
    }
  | { sku: string; outcome: 'FAILED'; error: string };

/** A platform's side of channel sync: each platform subgraph implements it with its own client. */
export interface ListingQuantityPusher {
  /** How many SKUs one push may carry (1 where the platform has no batch write). */
  readonly batchSize: number;
  /** Sets the quantity each listing shows. Throwing means every SKU of the batch is retried. */
  push(batch: readonly ListingQuantity[]): Promise<PushResult[]>;
  /** Reads what the listings show now (null: not listed), for drift reports. */
  read?(skus: readonly string[]): Promise<Map<string, number | null>>;
  /** How many SKUs one `read` may carry, where reads batch better than writes. @default batchSize */
  readonly readBatchSize?: number;
  /**
   * For a platform that lowers a listing by what it sells itself: its own sale often brings the
   * listing to the quantity Ponte is about to write (the sale's reservation is the stock change
   * behind that write). Before writing listings whose SKU the channel's own orders touched since
   * Ponte last knew what they show, StockSync reads them with `read` (@default the pusher's own
   * `read`) and writes only those that do not show the wanted quantity already. The read decides,
   * not the assumption: a platform that did not lower its listing shows another quantity and is
   * written. `minListings`: how many such listings a claim must hold before the read pays (1 where
   * reads have a budget of their own; more where a read costs what a write costs).
   */
  readonly ownSales?: { read?(skus: readonly string[]): Promise<Map<string, number | null>>; minListings: number };
}

export interface StockSyncOptions {
  db: Database;
  log: Logger;
  /** The canonical channel whose availability this platform account lists. */
  channel: string;
  /** The inventory subgraph's GraphQL URL (its WebSocket URL is derived from it). */
  inventoryUrl: string;
  gatewaySecret?: string | undefined;
  /** This platform subgraph's own API key for the inventory (see `InventoryClient`). */
  serviceKey?: string | undefined;
  pusher: ListingQuantityPusher;
  /**
   * For a pusher that does not say whether a RETRY was the platform's outage: whether a platform
   * call failed (5xx, timeout, unreachable) since the push began (`performance.now()`), as
   * `PlatformReachability.failedSince` tells. Such a push waits for `platformRecovered()`.
   * @default only the pusher's own `platformDown`
   */
  platformDown?: (startedAt: number) => boolean;
  /**
   * Whether the platform's calls are failing now (`PlatformReachability.failing`) while a probe
   * watches for its recovery: pushes are then held, waiting for `platformRecovered()`, instead of
   * sent into the outage. In a storm with Mercado Livre down for 30 s, every new stock change
   * was pushed into the outage: 253 refused writes, each spending a call of the application's
   * budget that its recovery then lacked. Leave it out where nothing probes the platform.
   */
  platformUnreachable?: () => boolean;
  /**
   * Attempts before a push becomes a dead letter: with the backoff below, about a quarter of an
   * hour of retries, so a platform's passing outage does not need anyone to replay anything.
   * @default 20
   */
  maxAttempts?: number;
  /** Safety poll of the queue besides the nudge every new quantity gives. @default 1000 */
  pollIntervalMs?: number;
  /**
   * How long a new quantity waits for others before the push starts, so a burst of stock changes
   * goes out in fewer, fuller batches (the storm: 1.65 pushes per change against 2.32–2.63 at once,
   * README "Queues: hand-written or pg-boss"). 0: at once.
   * @default PONTE_LISTING_GATHER_MS, else 1000
   */
  gatherMs?: number;
  /** Full read of the channel's availability, besides the one after every (re)connection. @default 900_000 */
  resyncIntervalMs?: number | false;
  /**
   * How often listings are read back and compared with what was pushed (drift from edits made on
   * the platform), when the pusher can read. `false`: only on request. @default 1_800_000
   */
  reconcileIntervalMs?: number | false;
  /**
   * One drift check right after the first full read that succeeds, when the pusher can read. A
   * restart is when the platform side may have forgotten what was pushed (a sandbox re-seeds in
   * memory; someone restored a shop) while `listing_sync` still says SYNCED: the full read alone
   * queues nothing then, since no stockVersion moved. @default true
   */
  reconcileOnStart?: boolean;
  /**
   * How long a claimed row is left alone by other workers, renewed every third of it while its push
   * is on its way: a worker that dies (SIGKILL) holds its rows only this long. It was 30 s without
   * renewal, and a storm's Shopify listings waited that long after the subgraph was killed mid-push.
   * @default 6_000
   */
  claimMs?: number;
  /** @default 60_000 */
  maxBackoffMs?: number;
  /** Counts pushes by outcome, their acknowledgement time and drift found (`PlatformMetrics`). */
  metrics?: PlatformMetrics;
  /**
   * Who decides when a SKU is pushed. Absent: this class's own claim loop on `listing_sync`
   * (`FOR UPDATE SKIP LOCKED`, polled every `pollIntervalMs`). The storm bench compares it with
   * pg-boss (`listing-queue-pgboss.ts`, `PONTE_QUEUE=pg-boss`).
   */
  queue?: ListingPushQueue;
}

export interface ReconcileOptions {
  /** Checks only listings last pushed before this (database time); later pushes read them already. */
  pushedBefore?: Date;
  /** Waits for the push in flight before each read, and skips what it pushed. */
  yieldToPushes?: boolean;
}

/**
 * A job queue that runs pushes for StockSync: `listing_sync` stays the record of what each listing
 * should show (ordered by stockVersion, with what was pushed, dead letters and drift checks); the
 * queue only says when each SKU is due and which worker takes it.
 */
export interface ListingPushQueue {
  /** Starts delivering due SKUs to `push`, at most `batchSize` at a time. */
  start(push: (skus: string[]) => Promise<void>, batchSize: number): Promise<void>;
  /** These SKUs are due at `at` (default now); a SKU already waiting is not queued twice. */
  schedule(skus: readonly string[], at?: Date): Promise<void>;
  stop(): Promise<void>;
}

export interface ListingSyncStatus {
  pending: number;
  synced: number;
  dead: number;
}

/** What an operator watches besides the counts: how far behind the sync is, and why. */
export interface ListingSyncHealth {
  /** When the longest-waiting pending SKU was queued or last failed a push; null when nothing waits. */
  oldestPendingAt: string | null;
  /** The latest successful push. */
  lastPushedAt: string | null;
  /** The most recent push failure still on a row (pending retry or dead). */
  lastError: string | null;
}

export interface ListingSyncDeadLetter {
  sku: string;
  quantity: number;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

export interface ListingDrift {
  sku: string;
  expected: number;
  actual: number | null;
}

const STOCK_FEED = `subscription PonteChannelSync($channel: ID!) {
  stockChanged(channel: $channel) { sku occurredAt traceparent channelAvailability { channel { id } quantity stockVersion } }
}`;
const AVAILABILITY_PAGE = `query PonteChannelResync($channel: ID!, $after: String) {
  products(first: 200, after: $after) { nodes { sku availability(channel: $channel) { quantity stockVersion } } pageInfo { endCursor hasNextPage } }
}`;
/** After (re)connecting, wait this long so the feed is active upstream before the full read. */
const FEED_WARMUP_MS = 300;
/** The longest wait between two tries of the catch-up after a (re)connection. */
const CATCH_UP_MAX_BACKOFF_MS = 30_000;

/**
 * Keeps one platform account's listings at the canonical channel availability:
 * the inventory's `stockChanged` feed (and a full read after every reconnection) puts the wanted
 * quantity per SKU in `listing_sync`, coalesced so only the latest is pushed and ordered by
 * `stockVersion` so an older answer never overwrites a newer one; a worker claims due rows and
 * pushes them in the platform's batch size through the platform's client (its rate limits, its
 * retries), retrying with backoff and keeping what keeps failing as dead letters to replay.
 * Everything is in the database, so a crash loses nothing and several replicas share the work.
 */
export class StockSync {
  readonly #options: StockSyncOptions;
  readonly #log: Logger;
  readonly #inventory: InventoryClient;
  #feed: Client | undefined;
  #unsubscribe: (() => void) | undefined;
  #timers: NodeJS.Timeout[] = [];
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #gathering: NodeJS.Timeout | undefined;
  readonly #gather: number;
  /** When the platform was last seen to answer again (performance.now()). */
  #recoveredAt = Number.NEGATIVE_INFINITY;
  /** Whether the drift check after the first successful full read has run. */
  #checkedSinceStart = false;

  constructor(options: StockSyncOptions) {
    if (!options.inventoryUrl) throw new Error('StockSync needs the inventory URL');
    if (!options.channel) throw new Error('StockSync needs the channel id');
    this.#options = { ...options, queue: options.queue ?? listingQueueFromEnv(options) };
    const fromEnv = process.env['PONTE_LISTING_GATHER_MS']?.trim();
    this.#gather = options.gatherMs ?? (fromEnv ? Number(fromEnv) : DEFAULT_GATHER_MS);
    if (!Number.isFinite(this.#gather) || this.#gather < 0) throw new Error(`PONTE_LISTING_GATHER_MS=${fromEnv} must be a number of milliseconds (0 or more)`);
    this.#log = options.log.child({ component: 'stock-sync', channel: options.channel });
    this.#inventory = new InventoryClient({ url: options.inventoryUrl, secret: options.gatewaySecret, serviceKey: options.serviceKey, timeoutMs: 10_000 });
  }

  start(): void {
    this.#feed = createServiceFeed({
      url: this.#options.inventoryUrl,
      headers: serviceHeaders({ secret: this.#options.gatewaySecret, serviceKey: this.#options.serviceKey }),
      on: {
        // Whatever changed while we were not listening is caught by reading everything once.
        connected: () => {
          const timer = setTimeout(() => void this.#catchUp(), FEED_WARMUP_MS);
          this.#timers.push(timer);
        },
      },
    });
    this.#unsubscribe = this.#feed.subscribe<{ stockChanged: { sku: string; occurredAt: string; traceparent?: string | null; channelAvailability: Array<{ channel: { id: string }; quantity: number; stockVersion: number }> } }>(
      { query: STOCK_FEED, variables: { channel: this.#options.channel } },
      {
        next: ({ data }) => {
          const event = data?.stockChanged;
          const availability = event?.channelAvailability.find((entry) => entry.channel.id === this.#options.channel);
          if (event && availability) void this.enqueue([{ sku: event.sku, quantity: availability.quantity, stockVersion: availability.stockVersion, occurredAt: event.occurredAt, traceparent: event.traceparent ?? null }]).catch((error: unknown) => this.#log.error({ err: error }, 'could not queue a listing quantity'));
        },
        error: (error) => this.#log.warn({ err: error }, 'stock feed error'),
        complete: () => {},
      },
    );
    const queue = this.#options.queue;
    if (queue) {
      // Rows left PENDING by a crash between the upsert and the queue's insert are queued again.
      void queue
        .start((skus) => this.#pushDue(skus), this.#options.pusher.batchSize)
        .then(() => this.#options.db.query<{ sku: string }>(`SELECT sku FROM listing_sync WHERE status = 'PENDING'`))
        .then((rows) => this.#due(rows.map((row) => row.sku)))
        .catch((error: unknown) => this.#log.error({ err: error }, 'listing push queue did not start'));
    } else {
      const poll = setInterval(() => void this.drain(), this.#options.pollIntervalMs ?? 1000);
      poll.unref();
      this.#timers.push(poll);
    }
    if (this.#options.reconcileIntervalMs !== false && this.#options.pusher.read) {
      const reconcile = setInterval(() => void this.reconcile().catch((error: unknown) => this.#log.warn({ err: error }, 'drift check failed')), this.#options.reconcileIntervalMs ?? 1_800_000);
      reconcile.unref();
      this.#timers.push(reconcile);
    }
    if (this.#options.resyncIntervalMs !== false) {
      const resync = setInterval(() => void this.resync().catch((error: unknown) => this.#log.warn({ err: error }, 'channel resync failed')), this.#options.resyncIntervalMs ?? 900_000);
      resync.unref();
      this.#timers.push(resync);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    clearTimeout(this.#gathering);
    this.#unsubscribe?.();
    await this.#feed?.dispose();
    await this.#running;
    await this.#options.queue?.stop();
  }

  /** Hands the SKUs to the queue, or wakes the claim loop (after the gathering window). */
  async #due(skus: readonly string[], at?: Date): Promise<void> {
    if (!this.#options.queue) {
      if (this.#gather === 0) void this.drain();
      else this.#gathering ??= setTimeout(() => {
        this.#gathering = undefined;
        void this.drain();
      }, this.#gather);
      return;
    }
    if (skus.length > 0) await this.#options.queue.schedule(skus, at);
  }

  /**
   * The platform answers again after an outage: listings whose push failed for it are due at
   * once instead of after their backoff, each once (failing again, its backoff holds). Returns
   * how many were made due.
   */
  async platformRecovered(): Promise<number> {
    this.#recoveredAt = performance.now();
    const woken = await this.#options.db.query<{ sku: string }>(
      `UPDATE listing_sync SET next_attempt_at = now(), waits_on_platform = false, woken_on_recovery = true
        WHERE status = 'PENDING' AND waits_on_platform AND next_attempt_at > now()
        RETURNING sku`,
    );
    if (woken.length > 0 && !this.#stopped) {
      this.#log.info({ listings: woken.length }, 'platform answers again; listing pushes that failed for its outage are due now');
      await this.#due(woken.map((row) => row.sku));
    }
    return woken.length;
  }

  /** After a (re)connection: the full read; after the first that succeeds, the drift check too. */
  async #catchUp(attempt = 0): Promise<void> {
    if (this.#stopped) return;
    // Until the full read succeeds, what changed while this process was not listening is nowhere
    // else: it is tried again (a busy inventory timed out once after a restart in the storm, and
    // the SKUs sold while the subgraph was down stayed wrong on the platform).
    const again = (what: string, error: unknown) => {
      const delayMs = Math.round(Math.min(CATCH_UP_MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2));
      this.#log.warn({ err: error, retryInMs: delayMs }, `${what} failed; trying again`);
      if (!this.#stopped) this.#timers.push(setTimeout(() => void this.#catchUp(attempt + 1), delayMs));
    };
    try {
      await this.resync();
    } catch (error) {
      again('channel resync', error);
      return;
    }
    if (this.#checkedSinceStart || this.#stopped || this.#options.reconcileOnStart === false || !this.#options.pusher.read) return;
    this.#checkedSinceStart = true;
    try {
      const drift = await this.checkAfterStart();
      this.#log.info({ drifted: drift.length }, 'listings checked against the canonical quantities at start');
    } catch (error) {
      this.#checkedSinceStart = false;
      again('drift check at start', error);
    }
  }

  /**
   * After a start (the full read done): the quantities that changed while this process was down
   * go out first; then every other listing is checked against what was last pushed (the
   * platform may have been re-seeded or edited meanwhile), read by read, giving way to pushes and
   * skipping listings pushed since the start, since a push reads its listing before writing it.
   * Reading every listing first held a restarted Shopify's pushes back (19.9 s in the storm).
   */
  async checkAfterStart(): Promise<ListingDrift[]> {
    const [{ startedAt }] = (await this.#options.db.query<{ startedAt: Date }>('SELECT now() AS "startedAt"')) as [{ startedAt: Date }];
    // With a job queue the pushes are its workers'; they run meanwhile.
    if (!this.#options.queue) await this.drain();
    return this.reconcile({ pushedBefore: startedAt, yieldToPushes: true });
  }

  /**
   * Records wanted quantities; an answer older than the one stored (by stockVersion) is ignored.
   * `traceparent` is the stock change's (from its event), which the push will link to.
   */
  async enqueue(wanted: ReadonlyArray<{ sku: string; quantity: number; stockVersion: number; occurredAt?: string; traceparent?: string | null }>): Promise<void> {
    if (wanted.length === 0) return;
    const changed = await this.#options.db.query<{ sku: string }>(
      `INSERT INTO listing_sync (sku, quantity, stock_version, changed_at, trace_parent)
       SELECT w->>'sku', (w->>'quantity')::int, (w->>'stockVersion')::bigint, (w->>'occurredAt')::timestamptz, w->>'traceparent' FROM jsonb_array_elements($1::jsonb) AS w
       ON CONFLICT (sku) DO UPDATE SET
         quantity = excluded.quantity, stock_version = excluded.stock_version, changed_at = excluded.changed_at, trace_parent = excluded.trace_parent,
         -- Pushed again even when the wanted quantity did not move: the platform may have moved
         -- its own (a sale there decrements it), and the hub is the master.
         status = 'PENDING',
         attempts = 0, next_attempt_at = now(), last_error = NULL, updated_at = now(), waits_on_platform = false, woken_on_recovery = false
       WHERE excluded.stock_version > listing_sync.stock_version
       RETURNING sku`,
      [JSON.stringify(wanted)],
    );
    await this.#due(changed.map((row) => row.sku));
  }

  /** Reads the channel's whole availability from the inventory and queues what changed. */
  async resync(): Promise<number> {
    let after: string | null = null;
    let read = 0;
    do {
      type Page = { nodes: Array<{ sku: string; availability: { quantity: number; stockVersion: number } } | null>; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
      // One SKU the inventory cannot answer is null in the page, with its error: the rest still sync.
      const answer: { data: { products: Page }; errors: InventoryError[] } = await this.#inventory.requestPartial<{ products: Page }>(AVAILABILITY_PAGE, { channel: this.#options.channel, after });
      const page: Page = answer.data.products;
      if (answer.errors.length > 0) this.#log.warn({ errors: answer.errors.map((error) => ({ message: error.message, path: error.path })) }, 'some SKUs skipped in a full read');
      const nodes = page.nodes.filter((node): node is NonNullable<typeof node> => node !== null);
      await this.enqueue(nodes.map((node) => ({ sku: node.sku, quantity: node.availability.quantity, stockVersion: node.availability.stockVersion })));
      read += nodes.length;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after && !this.#stopped);
    this.#log.debug({ read }, 'channel availability read in full');
    return read;
  }

  /** Pushes every due row; concurrent calls coalesce. Resolves when the queue has nothing due. */
  drain(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#drainLoop()
      .catch((error: unknown) => this.#log.error({ err: error }, 'listing sync worker failed'))
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  /** Counts and the newest dead letters, read by one statement so they always agree. */
  async report(deadLetterLimit = 100): Promise<ListingSyncStatus & ListingSyncHealth & { deadLetters: ListingSyncDeadLetter[] }> {
    const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    const [row] = await this.#options.db.query<ListingSyncStatus & ListingSyncHealth & { deadLetters: ListingSyncDeadLetter[] }>(
      `SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
              count(*) FILTER (WHERE status = 'SYNCED')::int AS synced,
              count(*) FILTER (WHERE status = 'DEAD')::int AS dead,
              ${iso("min(updated_at) FILTER (WHERE status = 'PENDING')")} AS "oldestPendingAt",
              ${iso('max(pushed_at)')} AS "lastPushedAt",
              (SELECT last_error FROM listing_sync WHERE last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 1) AS "lastError",
              coalesce((SELECT json_agg(json_build_object('sku', d.sku, 'quantity', d.quantity, 'attempts', d.attempts, 'lastError', d.last_error,
                                                          'updatedAt', to_char(d.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                                          ORDER BY d.updated_at DESC)
                          FROM (SELECT * FROM listing_sync WHERE status = 'DEAD' ORDER BY updated_at DESC LIMIT $1) d), '[]') AS "deadLetters"
         FROM listing_sync`,
      [deadLetterLimit],
    );
    return row!;
  }

  async status(): Promise<ListingSyncStatus> {
    const rows = await this.#options.db.query<{ status: string; count: number }>('SELECT status, count(*)::int AS count FROM listing_sync GROUP BY status');
    const count = (status: string) => rows.find((row) => row.status === status)?.count ?? 0;
    return { pending: count('PENDING'), synced: count('SYNCED'), dead: count('DEAD') };
  }

  async deadLetters(limit = 100): Promise<ListingSyncDeadLetter[]> {
    return this.#options.db.query<ListingSyncDeadLetter>(
      `SELECT sku, quantity, attempts, last_error AS "lastError",
              to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
         FROM listing_sync WHERE status = 'DEAD' ORDER BY updated_at DESC LIMIT $1`,
      [limit],
    );
  }

  /**
   * Queues dead letters again (all, or the given SKUs, at most 1000 of up to 100 characters
   * each, as the inventory bounds SKUs); returns how many.
   */
  async replayDeadLetters(skus?: readonly string[]): Promise<number> {
    if (skus && skus.length > MAX_REPLAYED_SKUS) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `skus must list at most ${MAX_REPLAYED_SKUS} SKUs`, { field: 'skus' });
    }
    const invalid = skus?.findIndex((sku) => sku.length > MAX_SKU_LENGTH || /\p{Cc}/u.test(sku)) ?? -1;
    if (invalid >= 0) {
      throw new PonteError(ErrorCode.BAD_USER_INPUT, `skus[${invalid}] must be at most ${MAX_SKU_LENGTH} characters without control characters`, { field: `skus[${invalid}]` });
    }
    const rows = await this.#options.db.query<{ sku: string }>(
      // Written whatever Ponte last knew of the listing: an operator asked for it.
      `UPDATE listing_sync SET status = 'PENDING', attempts = 0, next_attempt_at = now(), updated_at = now(), pushed_quantity = NULL
        WHERE status = 'DEAD' AND ($1::text[] IS NULL OR sku = ANY($1::text[])) RETURNING sku`,
      [skus ?? null],
    );
    await this.#due(rows.map((row) => row.sku));
    return rows.length;
  }

  /**
   * Compares what the listings show with what Ponte last pushed; drifted ones (edited on the
   * platform, say) are queued again, since the hub is the master. Needs the pusher's `read`.
   */
  async reconcile(options: ReconcileOptions = {}): Promise<ListingDrift[]> {
    const read = this.#options.pusher.read?.bind(this.#options.pusher);
    if (!read) return [];
    const pushedBefore = options.pushedBefore ?? null;
    const synced = await this.#options.db.query<{ sku: string; quantity: number }>(
      `SELECT sku, pushed_quantity AS quantity FROM listing_sync WHERE status = 'SYNCED' AND ($1::timestamptz IS NULL OR pushed_at IS NULL OR pushed_at < $1) ORDER BY sku`,
      [pushedBefore],
    );
    const drift: ListingDrift[] = [];
    const readBatchSize = this.#options.pusher.readBatchSize ?? this.#options.pusher.batchSize;
    let checked = 0;
    for (let start = 0; start < synced.length && !this.#stopped; start += readBatchSize) {
      let batch = synced.slice(start, start + readBatchSize);
      if (options.yieldToPushes) {
        // Pushes waiting for the platform's budget go first; a listing pushed meanwhile was read
        // right before its write, so it needs no second look.
        await this.#running;
        const still = await this.#options.db.query<{ sku: string; quantity: number }>(
          `SELECT sku, pushed_quantity AS quantity FROM listing_sync WHERE sku = ANY($1::text[]) AND status = 'SYNCED' AND ($2::timestamptz IS NULL OR pushed_at IS NULL OR pushed_at < $2) ORDER BY sku`,
          [batch.map((row) => row.sku), pushedBefore],
        );
        batch = still;
        if (batch.length === 0) continue;
      }
      checked += batch.length;
      const shown = await read(batch.map((row) => row.sku));
      for (const row of batch) {
        const actual = shown.get(row.sku) ?? null;
        if (actual !== row.quantity) drift.push({ sku: row.sku, expected: row.quantity, actual });
      }
    }
    // Kept for the drift alert (alerts.ts), which reads the latest check from the database.
    await this.#options.db.query(
      `INSERT INTO platform_state (name, value) VALUES ($1, $2::jsonb) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [LAST_RECONCILIATION_STATE, JSON.stringify({ at: new Date().toISOString(), checked, drifted: drift.length, sample: drift.slice(0, 10) })],
    );
    this.#options.metrics?.drift(drift.length);
    if (drift.length > 0) {
      this.#log.warn({ drifted: drift.length, sample: drift.slice(0, 5) }, 'listings drifted from the canonical quantity; pushing again');
      // What the listing shows is what Ponte knows of it now, so the push is not taken for one in step.
      const queued = await this.#options.db.query<{ sku: string }>(
        `UPDATE listing_sync s SET status = 'PENDING', attempts = 0, next_attempt_at = now(), pushed_quantity = d.actual
           FROM unnest($1::text[], $2::int[]) AS d(sku, actual)
          WHERE s.sku = d.sku AND s.status = 'SYNCED' RETURNING s.sku`,
        [drift.map((entry) => entry.sku), drift.map((entry) => entry.actual)],
      );
      await this.#due(queued.map((row) => row.sku));
    }
    return drift;
  }

  async #drainLoop(): Promise<void> {
    const limit = this.#options.pusher.batchSize * 4;
    do {
      this.#again = false;
      for (;;) {
        if (this.#stopped) return;
        const claimed = await this.#claim();
        if (claimed.length === 0) break;
        await this.#holding(claimed, async () => {
          const toWrite = await this.#withoutNeedlessWrites(claimed);
          for (let start = 0; start < toWrite.length; start += this.#options.pusher.batchSize) {
            await this.#push(toWrite.slice(start, start + this.#options.pusher.batchSize));
          }
        });
        // Gathering: what came in meanwhile waits for its window (its nudge set the timer) unless
        // a full claim says a backlog is there.
        if (this.#gather > 0 && claimed.length < limit) return;
      }
    } while (this.#again && !this.#stopped);
  }

  /** The queue's delivery: pushes those of the SKUs that are still due, then queues their retries. */
  async #pushDue(skus: string[]): Promise<void> {
    const claimed = await this.#claim(skus);
    // Not due yet (a retry's time as the database sees it) or held by another worker: asked again then.
    const held = skus.filter((sku) => !claimed.some((row) => row.sku === sku));
    const retries = held.length === 0 ? [] : await this.#options.db.query<{ sku: string; at: Date }>(`SELECT sku, GREATEST(next_attempt_at, COALESCE(claimed_until, next_attempt_at)) AS at FROM listing_sync WHERE status = 'PENDING' AND sku = ANY($1::text[])`, [held]);
    await this.#holding(claimed, async () => {
      const toWrite = await this.#withoutNeedlessWrites(claimed);
      for (let start = 0; start < toWrite.length; start += this.#options.pusher.batchSize) {
        retries.push(...(await this.#push(toWrite.slice(start, start + this.#options.pusher.batchSize))));
      }
    });
    // One job per retry time: a batch's retries mostly share the platform's Retry-After.
    const byTime = Map.groupBy(retries, (retry) => retry.at.getTime());
    for (const [at, group] of byTime) await this.#due(group.map((retry) => retry.sku), new Date(at));
  }

  /**
   * Takes due rows for this worker until the claim window ends or its push is recorded (only the
   * given SKUs, when a queue hands them over). A row another worker is pushing is left alone even
   * when a newer quantity made it due again: one listing is written by one worker at a time, so
   * its writes reach the platform in order.
   */
  async #claim(skus?: readonly string[]): Promise<Array<{ sku: string; quantity: number; stockVersion: number; attempts: number; changedAtMs: number | null; traceParent: string | null }>> {
    return this.#options.db.query(
      `UPDATE listing_sync SET claimed_until = now() + make_interval(secs => $2)
        WHERE sku IN (SELECT sku FROM listing_sync WHERE status = 'PENDING' AND next_attempt_at <= now()
                         AND (claimed_until IS NULL OR claimed_until <= now()) AND ($3::text[] IS NULL OR sku = ANY($3::text[]))
                       ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING sku, quantity, stock_version AS "stockVersion", attempts, (extract(epoch FROM changed_at) * 1000)::float8 AS "changedAtMs", trace_parent AS "traceParent"`,
      [skus ? skus.length : this.#options.pusher.batchSize * 4, this.#claimMs() / 1000, skus ?? null],
    );
  }

  /**
   * Runs `work` on claimed rows, renewing their claim every third of the window until it is done:
   * the window only has to outlive a worker that stopped answering, not the longest push (a wait
   * for the platform's rate limit). A row whose push was recorded has no claim left to renew.
   */
  async #holding(claimed: ReadonlyArray<{ sku: string }>, work: () => Promise<void>): Promise<void> {
    const claimMs = this.#claimMs();
    const skus = claimed.map((row) => row.sku);
    const renewal = setInterval(() => {
      void this.#options.db
        .query(`UPDATE listing_sync SET claimed_until = now() + make_interval(secs => $2) WHERE sku = ANY($1::text[]) AND claimed_until IS NOT NULL`, [skus, claimMs / 1000])
        .catch((error: unknown) => this.#log.warn({ err: error }, 'could not renew the listing claims'));
    }, claimMs / 3);
    renewal.unref();
    try {
      await work();
    } finally {
      clearInterval(renewal);
    }
  }

  #claimMs(): number {
    return this.#options.claimMs ?? DEFAULT_CLAIM_MS;
  }

  /**
   * The claimed rows still to write. A listing changes only by Ponte's writes, the channel's own
   * sales and the merchant's edits (which the drift checks find), so a row whose quantity is the
   * one last written, with no sale of the channel recorded since, is in step already: the stock
   * changed elsewhere without moving this channel's quantity (a sold-out SKU sold out again). Rows
   * the channel's own orders touched since Ponte last knew what the listing shows are read first,
   * where the pusher can (`pusher.ownSales`), and those showing the wanted quantity are not written
   * either. Either way they are recorded as in step without a call; a read that fails spares none.
   */
  async #withoutNeedlessWrites<Row extends { sku: string; quantity: number; stockVersion: number; changedAtMs: number | null }>(claimed: Row[]): Promise<Row[]> {
    if (claimed.length === 0) return claimed;
    const known = await this.#options.db.query<{ sku: string; pushedQuantity: number; soldSince: boolean }>(
      `SELECT s.sku, s.pushed_quantity AS "pushedQuantity",
              EXISTS (SELECT 1 FROM channel_order_lines l WHERE l.sku = s.sku AND l.updated_at > greatest(s.pushed_at, s.checked_at)) AS "soldSince"
         FROM listing_sync s WHERE s.sku = ANY($1::text[]) AND s.pushed_at IS NOT NULL AND s.pushed_quantity IS NOT NULL`,
      [claimed.map((row) => row.sku)],
    );
    const bySku = new Map(known.map((row) => [row.sku, row]));
    const unchanged = new Set(claimed.filter((row) => bySku.get(row.sku)?.soldSince === false && bySku.get(row.sku)?.pushedQuantity === row.quantity).map((row) => row.sku));
    const shown = await this.#shownAfterOwnSales(claimed.filter((row) => {
      const last = bySku.get(row.sku);
      // Only a quantity at or below the last one written: a platform's own sales lower a listing.
      // A higher one is written without asking (a read of a write still being processed, as
      // Amazon's are, could show the quantity from before it).
      return last?.soldSince === true && row.quantity <= last.pushedQuantity;
    }));
    const spared = claimed.filter((row) => unchanged.has(row.sku) || (shown.has(row.sku) && shown.get(row.sku) === row.quantity));
    if (spared.length === 0) return claimed;
    // As a push is recorded: a newer quantity queued meanwhile stays PENDING and goes next.
    await this.#options.db.query(
      `UPDATE listing_sync s SET status = CASE WHEN s.stock_version = v.version THEN 'SYNCED' ELSE 'PENDING' END,
              next_attempt_at = CASE WHEN s.stock_version = v.version THEN s.next_attempt_at ELSE now() END,
              pushed_quantity = v.quantity, pushed_version = v.version, checked_at = CASE WHEN v.read THEN now() ELSE s.checked_at END,
              attempts = 0, last_error = NULL, updated_at = now(), claimed_until = NULL
         FROM unnest($1::text[], $2::bigint[], $3::int[], $4::boolean[]) AS v(sku, version, quantity, read)
        WHERE s.sku = v.sku`,
      [spared.map((row) => row.sku), spared.map((row) => row.stockVersion), spared.map((row) => row.quantity), spared.map((row) => !unchanged.has(row.sku))],
    );
    for (const row of spared) this.#options.metrics?.push('spared', row.changedAtMs);
    this.#log.debug({ unchanged: unchanged.size, shownAlready: spared.length - unchanged.size, read: shown.size }, 'listings in step already; not written');
    return claimed.filter((row) => !spared.includes(row));
  }

  /** What the listings the channel's own sales lowered show now, where reading them pays. */
  async #shownAfterOwnSales(candidates: ReadonlyArray<{ sku: string }>): Promise<Map<string, number | null>> {
    const shown = new Map<string, number | null>();
    const ownSales = this.#options.pusher.ownSales;
    const read = ownSales?.read ?? this.#options.pusher.read?.bind(this.#options.pusher);
    // Not into an outage: the pushes are held without a call then, and so is this read.
    if (!ownSales || !read || candidates.length === 0 || candidates.length < ownSales.minListings || this.#options.platformUnreachable?.()) return shown;
    const readBatch = this.#options.pusher.readBatchSize ?? this.#options.pusher.batchSize;
    try {
      for (let start = 0; start < candidates.length; start += readBatch) {
        for (const [sku, quantity] of await read(candidates.slice(start, start + readBatch).map((row) => row.sku))) shown.set(sku, quantity);
      }
    } catch (error) {
      this.#log.debug({ err: error }, 'listings could not be read before writing them; writing them');
      shown.clear();
    }
    return shown;
  }

  /**
   * One push is its own trace, linked to the stock change behind each SKU in it rather than a
   * child of one: a batch serves several changes, and a burst on one SKU coalesces into one push.
   */
  #push(batch: Array<{ sku: string; quantity: number; stockVersion: number; attempts: number; changedAtMs: number | null; traceParent: string | null }>): Promise<Array<{ sku: string; at: Date }>> {
    const links = batch.map((row) => linkFromTraceparent(row.traceParent)).filter((link) => link !== undefined);
    return withSpan(
      `listing push ${this.#options.channel}`,
      { kind: SpanKind.PRODUCER, parent: contextFromTraceparent(undefined), links, attributes: { 'ponte.channel': this.#options.channel, 'ponte.listing.count': batch.length } },
      () => this.#pushBatch(batch),
    );
  }

  /** Returns the SKUs to try again, and when. */
  async #pushBatch(batch: Array<{ sku: string; quantity: number; stockVersion: number; attempts: number; changedAtMs: number | null; traceParent: string | null }>): Promise<Array<{ sku: string; at: Date }>> {
    const retries: Array<{ sku: string; at: Date }> = [];
    const startedAt = performance.now();
    let results: PushResult[];
    try {
      results = this.#options.platformUnreachable?.()
        ? batch.map(({ sku }) => ({ sku, outcome: 'RETRY' as const, error: 'held while the platform does not answer; sent when it answers again', platformDown: true }))
        : await this.#options.pusher.push(batch.map(({ sku, quantity, stockVersion }) => ({ sku, quantity, stockVersion })));
    } catch (error) {
      results = batch.map(({ sku }) => ({ sku, outcome: 'RETRY' as const, error: (error as Error).message ?? String(error) }));
    }
    for (const row of batch) {
      const result = results.find((candidate) => candidate.sku === row.sku) ?? { sku: row.sku, outcome: 'RETRY' as const, error: 'the platform did not answer for this SKU' };
      if (result.outcome === 'PUSHED') {
        // Only if nothing newer arrived meanwhile; a newer quantity stays PENDING and goes next.
        await this.#options.db.query(
          `UPDATE listing_sync SET status = CASE WHEN stock_version = $2 THEN 'SYNCED' ELSE 'PENDING' END,
                  next_attempt_at = CASE WHEN stock_version = $2 THEN next_attempt_at ELSE now() END,
                  pushed_quantity = $3, pushed_version = $2, pushed_at = now(), attempts = 0, last_error = NULL, updated_at = now(), claimed_until = NULL
            WHERE sku = $1`,
          [row.sku, row.stockVersion, row.quantity],
        );
        this.#options.metrics?.push('sent', row.changedAtMs);
        continue;
      }
      if (result.outcome === 'RETRY' && result.deferred) {
        const delayMs = Math.max(0, result.retryAfterMs ?? 0);
        await this.#options.db.query(
          `UPDATE listing_sync SET next_attempt_at = CASE WHEN stock_version = $2 THEN now() + make_interval(secs => $3) ELSE next_attempt_at END,
                  last_error = CASE WHEN stock_version = $2 THEN $4 ELSE last_error END, updated_at = now(), claimed_until = NULL
            WHERE sku = $1`,
          [row.sku, row.stockVersion, delayMs / 1000, result.error.slice(0, 1000)],
        );
        this.#options.metrics?.push('throttled');
        retries.push({ sku: row.sku, at: new Date(Date.now() + delayMs) });
        continue;
      }
      const attempts = row.attempts + 1;
      const dead = result.outcome === 'FAILED' || attempts >= (this.#options.maxAttempts ?? 20);
      const backoffMs = retryDelayMs(attempts, { baseMs: 250, maxMs: this.#options.maxBackoffMs ?? 60_000, retryAfterMs: result.outcome === 'RETRY' ? result.retryAfterMs : undefined });
      // A push that waits on the platform's recovery is not tried meanwhile (it would spend the
      // platform's rate limit for nothing): the longest backoff stands in case the recovery is
      // never seen.
      const platformDown = result.outcome === 'RETRY' && (result.platformDown ?? this.#options.platformDown?.(startedAt) ?? false);
      // The platform came back while this push was failing: the wake has passed it by.
      const recoveredMeanwhile = platformDown && this.#recoveredAt >= startedAt;
      // The failure counts against the quantity that failed; a newer one queued meanwhile goes
      // next, at once. Either way the claim ends.
      await this.#options.db.query(
        `UPDATE listing_sync SET
                status = CASE WHEN stock_version = $6 THEN $2 ELSE status END,
                attempts = CASE WHEN stock_version = $6 THEN $3 ELSE attempts END,
                last_error = CASE WHEN stock_version = $6 THEN $4 ELSE last_error END,
                updated_at = CASE WHEN stock_version = $6 THEN now() ELSE updated_at END,
                next_attempt_at = CASE WHEN stock_version <> $6 THEN next_attempt_at
                                       WHEN woken_on_recovery OR NOT $7 THEN now() + make_interval(secs => $5)
                                       WHEN $9 THEN now()
                                       ELSE now() + make_interval(secs => $8) END,
                waits_on_platform = CASE WHEN stock_version = $6 THEN $7 AND NOT $9 AND NOT woken_on_recovery ELSE waits_on_platform END,
                woken_on_recovery = CASE WHEN stock_version = $6 THEN woken_on_recovery OR $9 ELSE woken_on_recovery END,
                claimed_until = NULL
          WHERE sku = $1`,
        [row.sku, dead ? 'DEAD' : 'PENDING', attempts, result.error.slice(0, 1000), backoffMs / 1000, row.stockVersion, platformDown, (this.#options.maxBackoffMs ?? 60_000) / 1000, recoveredMeanwhile],
      );
      this.#options.metrics?.push(dead ? 'dead' : result.outcome === 'RETRY' && result.retryAfterMs !== undefined ? 'throttled' : 'failed');
      if (dead) this.#log.warn({ sku: row.sku, attempts, error: result.error }, 'listing quantity could not be pushed; kept as a dead letter');
      else retries.push({ sku: row.sku, at: new Date(Date.now() + backoffMs) });
    }
    return retries;
  }
}
