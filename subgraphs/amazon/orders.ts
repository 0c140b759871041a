import { randomUUID } from 'node:crypto';
import { UnprocessableMessage, type Inbox } from '../platform-common/inbox.ts';
import type { OrderSync } from '../platform-common/order-sync.ts';
import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import type { AmazonClient } from './client.ts';
import { channelOrdersFrom, isActionableOrder, orderSnapshot, type AmazonOrderItem, type AmazonOrderItemSnapshot, type AmazonOrderSnapshot } from './dictionary.ts';

/** Inbox topic of an order snapshot (the order as getOrders returned it, with its items). */
export const AMAZON_ORDER_TOPIC = 'amazon.order';
/** The `platform_state` row holding the polling watermark. */
export const ORDERS_WATERMARK_STATE = 'amazon.orders.lastUpdatedAfter';
/** The `platform_state` row that says which replica polls: getOrders' quota is the seller's, not each replica's. */
export const ORDERS_POLL_LEASE_STATE = 'amazon.orders.pollLease';
/** A lease outlives a crashed holder by this much at most. */
const POLL_LEASE_MS = 120_000;

/** An inbox message: the order as getOrders returned it and its items, reduced to what the dictionary reads. */
export interface AmazonOrderMessage {
  order: AmazonOrderSnapshot;
  items: AmazonOrderItemSnapshot[];
}

export interface AmazonOrderPollerOptions {
  db: Database;
  client: AmazonClient;
  inbox: Inbox;
  log: Logger;
  /**
   * Time between polls; `false` polls only when `pollOnce()` is called. getOrders refills one
   * request a minute, so polling faster than that only drains the burst.
   * @default 60_000
   */
  intervalMs?: number | false;
  /**
   * Each poll asks again for this much time before the watermark: Amazon's order search is
   * eventually consistent, and re-reading an order costs one getOrders row, no more (its
   * snapshot is already in the inbox, so its items are not fetched again).
   * @default 120_000
   */
  overlapMs?: number;
  /** How far back the very first poll looks. @default 24 h */
  initialLookbackMs?: number;
}

export interface OrderPollResult {
  /** Orders getOrders returned. */
  orders: number;
  /** Snapshots stored in the inbox for processing. */
  received: number;
  /** Snapshots seen by an earlier poll (the overlap). */
  alreadyReceived: number;
  /** Orders Ponte does not act on (not paid, fulfilled by Amazon). */
  ignored: number;
  /** The watermark saved for the next poll. */
  watermark: string;
}

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_OVERLAP_MS = 120_000;
const DEFAULT_INITIAL_LOOKBACK_MS = 24 * 60 * 60 * 1000;

/**
 * Amazon sends no order webhooks to an HTTP endpoint, so orders are polled: getOrders by
 * LastUpdatedAfter (following NextToken), then getOrderItems for each order not seen in this
 * state before, and each snapshot goes into the durable inbox, whose worker applies it through
 * OrderSync with retries. The watermark is saved only once every order up to it is in the
 * inbox, so a crash or restart re-reads from there and loses nothing; re-reading is harmless
 * because snapshots are deduplicated by (order, LastUpdateDate, status) and OrderSync is
 * idempotent per line.
 */
export class AmazonOrderPoller {
  readonly #options: AmazonOrderPollerOptions;
  readonly #log: Logger;
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #replicaId = randomUUID();

  constructor(options: AmazonOrderPollerOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'order-poller' });
  }

  start(): void {
    if (this.#options.intervalMs === false) return;
    const interval = this.#options.intervalMs ?? DEFAULT_INTERVAL_MS;
    const tick = () => {
      this.pollOnce()
        .catch((error: unknown) => this.#log.warn({ err: error }, 'Amazon order poll failed; will retry on the next poll'))
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, interval);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#queue.catch(() => {});
    // Hand the lease over now rather than make the next replica wait for it to expire.
    await this.#options.db
      .query(`DELETE FROM platform_state WHERE name = $1 AND value->>'holder' = $2`, [ORDERS_POLL_LEASE_STATE, this.#replicaId])
      .catch((error: unknown) => this.#log.warn({ err: error }, 'could not release the polling lease'));
  }

  /** Polls now, after any poll already running (so orders placed before this call are seen). */
  pollOnce(): Promise<OrderPollResult> {
    const next = this.#queue.catch(() => {}).then(() => this.#poll());
    this.#queue = next;
    return next;
  }

  /** The saved watermark: the next poll asks for orders updated since this minus the overlap. */
  async watermark(): Promise<string | null> {
    const [row] = await this.#options.db.query<{ value: { lastUpdatedAfter: string } }>('SELECT value FROM platform_state WHERE name = $1', [ORDERS_WATERMARK_STATE]);
    return row?.value.lastUpdatedAfter ?? null;
  }

  async #poll(): Promise<OrderPollResult> {
    if (this.#stopped) throw new Error('The Amazon order poller is stopped');
    const { client, inbox } = this.#options;
    if (!(await this.#holdPollLease())) {
      this.#log.debug('another replica polls Amazon orders');
      return { orders: 0, received: 0, alreadyReceived: 0, ignored: 0, watermark: (await this.watermark()) ?? '' };
    }
    const saved = await this.watermark();
    const from = saved
      ? Date.parse(saved) - (this.#options.overlapMs ?? DEFAULT_OVERLAP_MS)
      : Date.now() - (this.#options.initialLookbackMs ?? DEFAULT_INITIAL_LOOKBACK_MS);
    const { orders, lastUpdatedBefore } = await client.ordersUpdatedSince(amazonTimestamp(from));
    const byUpdate = [...orders].sort((left, right) => Date.parse(left.LastUpdateDate) - Date.parse(right.LastUpdateDate));
    const result = { orders: orders.length, received: 0, alreadyReceived: 0, ignored: 0 };
    let failure: { error: unknown; at: string } | undefined;
    for (const order of byUpdate) {
      if (!isActionableOrder(order)) {
        result.ignored++;
        continue;
      }
      const deliveryId = `amazon:${order.AmazonOrderId}:${order.LastUpdateDate}:${order.OrderStatus}`;
      if (await inbox.has(deliveryId)) {
        result.alreadyReceived++;
        continue;
      }
      let items: AmazonOrderItem[];
      try {
        items = await client.orderItems(order.AmazonOrderId);
      } catch (error) {
        // Orders up to this one are in the inbox: the watermark may move up to it, not past it.
        failure = { error, at: order.LastUpdateDate };
        break;
      }
      const message: AmazonOrderMessage = orderSnapshot(order, items);
      await inbox.receive(deliveryId, AMAZON_ORDER_TOPIC, message);
      result.received++;
    }
    // Amazon's own upper bound, when it states one, covers orders updated with no change we saw.
    const reached = failure?.at ?? lastUpdatedBefore ?? byUpdate.at(-1)?.LastUpdateDate ?? amazonTimestamp(from);
    const watermark = saved && Date.parse(saved) >= Date.parse(reached) ? saved : reached;
    if (watermark !== saved) await this.#saveWatermark(watermark);
    if (failure) throw failure.error;
    this.#log.debug({ ...result, watermark }, 'Amazon orders polled');
    return { ...result, watermark };
  }

  /**
   * Takes or renews the polling lease; false while another live replica holds it. One conditional
   * upsert, so two replicas racing for an expired lease cannot both win.
   */
  async #holdPollLease(): Promise<boolean> {
    const rows = await this.#options.db.query(
      `INSERT INTO platform_state (name, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = now()
        WHERE platform_state.value->>'holder' = $3 OR platform_state.updated_at < now() - make_interval(secs => $4)
       RETURNING name`,
      [ORDERS_POLL_LEASE_STATE, JSON.stringify({ holder: this.#replicaId }), this.#replicaId, POLL_LEASE_MS / 1000],
    );
    return rows.length === 1;
  }

  async #saveWatermark(lastUpdatedAfter: string): Promise<void> {
    await this.#options.db.query(
      `INSERT INTO platform_state (name, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [ORDERS_WATERMARK_STATE, JSON.stringify({ lastUpdatedAfter })],
    );
  }
}

/** Whether a stored message is an order snapshot: an order with an id and a list of items. */
export function isAmazonOrderMessage(payload: unknown): payload is AmazonOrderMessage {
  const message = payload as Partial<AmazonOrderMessage> | null;
  return (
    typeof message === 'object' && message !== null && !Array.isArray(message) &&
    typeof message.order === 'object' && message.order !== null && typeof message.order.AmazonOrderId === 'string' &&
    Array.isArray(message.items) && message.items.every((item) => typeof item === 'object' && item !== null && typeof item.OrderItemId === 'string')
  );
}

/**
 * The inbox's projection, also applied to rows stored before it: the snapshot's allowlist
 * (`orderSnapshot`, from the data dictionary), so no buyer or address field is kept.
 */
export function minimiseAmazonMessage(topic: string, payload: unknown): unknown {
  if (topic !== AMAZON_ORDER_TOPIC) return payload;
  return isAmazonOrderMessage(payload) ? orderSnapshot(payload.order as Parameters<typeof orderSnapshot>[0], payload.items as Parameters<typeof orderSnapshot>[1]) : null;
}

/** Applies one inbox message: an order snapshot becomes canonical stock operations. */
export function applyAmazonOrderMessage(orderSync: OrderSync) {
  return async (topic: string, payload: unknown): Promise<void> => {
    // Neither can ever be applied, however often it is retried: set aside at once.
    if (topic !== AMAZON_ORDER_TOPIC) throw new UnprocessableMessage(`The Amazon inbox has no handler for topic "${topic}"`);
    if (!isAmazonOrderMessage(payload)) throw new UnprocessableMessage('Not an Amazon order snapshot: it needs order.AmazonOrderId and items');
    const { order, items } = payload;
    for (const channelOrder of channelOrdersFrom(order, items)) await orderSync.apply(channelOrder);
  };
}

/** SP-API dates: ISO 8601 in UTC, to the second. */
function amazonTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
