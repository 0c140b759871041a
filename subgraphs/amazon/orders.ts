import { randomUUID } from 'node:crypto';
import { UnprocessableMessage, type Inbox } from '../platform-common/inbox.ts';
import type { OrderSync, ShopperContact } from '../platform-common/order-sync.ts';
import type { Database } from '../../kit/database.ts';
import type { Logger } from '../../kit/logger.ts';
import type { AmazonClient } from './client.ts';
import { channelOrdersFrom, isActionableOrder, orderSnapshot, shopperContactOf, type AmazonOrderItemSnapshot, type AmazonOrderSnapshot } from './dictionary.ts';

/** Inbox topic of an order snapshot (the order as searchOrders returned it, with its items). */
export const AMAZON_ORDER_TOPIC = 'amazon.order';
/** The `platform_state` row holding the polling watermark. */
export const ORDERS_WATERMARK_STATE = 'amazon.orders.lastUpdatedAfter';
/** The `platform_state` row that says which replica polls: searchOrders' quota is the seller's, not each replica's. */
export const ORDERS_POLL_LEASE_STATE = 'amazon.orders.pollLease';
/** A lease outlives a crashed holder by this much at most. */
const DEFAULT_POLL_LEASE_MS = 120_000;

/** An inbox message: the order as searchOrders returned it and its items, reduced to what the dictionary reads. */
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
   * Time between polls; `false` polls only when `pollOnce()` is called. searchOrders restores
   * 0.0056 requests a second (orders_2026-01-01.json), one every 179 s: polling faster only
   * drains the burst of 20 and then meets 429s.
   * @default the client's `orderPollIntervalMs` (198.5 s with Amazon's default usage plan)
   */
  intervalMs?: number | false;
  /**
   * Each poll asks again for this much time before the watermark: Amazon's order search is
   * eventually consistent, and re-reading an order costs one searchOrders row, no more (its
   * snapshot is already in the inbox).
   * @default 120_000
   */
  overlapMs?: number;
  /** How far back the very first poll looks. @default 24 h */
  initialLookbackMs?: number;
  /**
   * How long the polling replica's lease lasts without renewal (each poll renews it): how long
   * the other replicas wait before taking over from one that died without releasing it.
   * @default 120_000
   */
  leaseMs?: number;
}

export interface OrderPollResult {
  /** Orders searchOrders returned. */
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

const DEFAULT_OVERLAP_MS = 120_000;
const DEFAULT_INITIAL_LOOKBACK_MS = 24 * 60 * 60 * 1000;

/**
 * Amazon sends no order webhooks to an HTTP endpoint, so orders are polled: searchOrders
 * (Orders API v2026-01-01) by lastUpdatedAfter, following the pagination token; each order comes
 * with its items, and each snapshot not seen in this state before goes into the durable inbox,
 * whose worker applies it through OrderSync with retries. The watermark is saved only once every order up to it is in the
 * inbox, so a crash or restart re-reads from there and loses nothing; re-reading is harmless
 * because snapshots are deduplicated by (order, lastUpdatedTime, status) and OrderSync is
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
    const interval = this.#options.intervalMs ?? this.#options.client.orderPollIntervalMs;
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
    const byUpdate = [...orders].sort((left, right) => Date.parse(left.lastUpdatedTime) - Date.parse(right.lastUpdatedTime));
    const result = { orders: orders.length, received: 0, alreadyReceived: 0, ignored: 0 };
    // Items arrive with each order, so no call can fail between here and the watermark.
    for (const order of byUpdate) {
      const message: AmazonOrderMessage = orderSnapshot(order);
      if (!isActionableOrder(message.order)) {
        result.ignored++;
        continue;
      }
      const deliveryId = `amazon:${order.orderId}:${order.lastUpdatedTime}:${message.order.fulfillment?.fulfillmentStatus ?? ''}`;
      // The buyer and recipient ride along for the inbox to seal (amazonContactOf); minimiseAmazonMessage stores the snapshot without them.
      const withBuyer = { ...message, order: { ...message.order, buyer: order.buyer, recipient: order.recipient } };
      if (await inbox.receive(deliveryId, AMAZON_ORDER_TOPIC, withBuyer)) result.received++;
      else result.alreadyReceived++;
    }
    // Amazon's own upper bound, when it states one, covers orders updated with no change we saw.
    const reached = lastUpdatedBefore ?? byUpdate.at(-1)?.lastUpdatedTime ?? amazonTimestamp(from);
    const watermark = saved && Date.parse(saved) >= Date.parse(reached) ? saved : reached;
    if (watermark !== saved) await this.#saveWatermark(watermark);
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
      [ORDERS_POLL_LEASE_STATE, JSON.stringify({ holder: this.#replicaId }), this.#replicaId, (this.#options.leaseMs ?? DEFAULT_POLL_LEASE_MS) / 1000],
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

/**
 * Whether a stored message is an order snapshot: an order with an id and a list of items, in the
 * v2026-01-01 shape or the v0 shape an older poller stored.
 */
export function isAmazonOrderMessage(payload: unknown): payload is AmazonOrderMessage {
  const message = payload as { order?: Record<string, unknown> | null; items?: unknown } | null;
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return false;
  if (typeof message.order !== 'object' || message.order === null || !Array.isArray(message.items)) return false;
  const [orderId, itemId] = typeof message.order['orderId'] === 'string' ? ['orderId', 'orderItemId'] : ['AmazonOrderId', 'OrderItemId'];
  return typeof message.order[orderId] === 'string' && message.items.every((item) => typeof item === 'object' && item !== null && typeof (item as Record<string, unknown>)[itemId] === 'string');
}

/**
 * The inbox's projection, also applied to rows stored before it: the snapshot's allowlist
 * (`orderSnapshot`, from the data dictionary), so no buyer or address field is kept.
 */
export function minimiseAmazonMessage(topic: string, payload: unknown): unknown {
  if (topic !== AMAZON_ORDER_TOPIC) return payload;
  if (!isAmazonOrderMessage(payload)) return null;
  const { order, items } = fromOrdersV0Snapshot(payload);
  return orderSnapshot({ ...order, orderItems: items } as unknown as Parameters<typeof orderSnapshot>[0]);
}

/** Which order a snapshot is about: snapshots of one order are applied in the order polled. */
export function amazonOrderingKey(_topic: string, payload: unknown): string | null {
  const order = (payload as { order?: Record<string, unknown> | null } | null)?.order;
  const id = order?.['orderId'] ?? order?.['AmazonOrderId'];
  return typeof id === 'string' ? `order:${id}` : null;
}

/** Applies one inbox message: an order snapshot becomes canonical stock operations. */
export function applyAmazonOrderMessage(orderSync: OrderSync) {
  return async (topic: string, payload: unknown, contact?: ShopperContact): Promise<void> => {
    // Neither can ever be applied, however often it is retried: set aside at once.
    if (topic !== AMAZON_ORDER_TOPIC) throw new UnprocessableMessage(`The Amazon inbox has no handler for topic "${topic}"`);
    if (!isAmazonOrderMessage(payload)) throw new UnprocessableMessage('Not an Amazon order snapshot: it needs order.orderId and items');
    const { order, items } = fromOrdersV0Snapshot(payload);
    // The stored snapshot keeps no buyer: the contact comes from the inbox, sealed until now.
    for (const channelOrder of channelOrdersFrom(order, items)) await orderSync.apply(contact ? { ...channelOrder, customer: contact } : channelOrder);
  };
}

/** The buyer on a polled order, as polled (before minimising): what the inbox seals beside the snapshot. */
export function amazonContactOf(topic: string, payload: unknown): ShopperContact | null {
  if (topic !== AMAZON_ORDER_TOPIC || !isAmazonOrderMessage(payload)) return null;
  return shopperContactOf(fromOrdersV0Snapshot(payload).order as unknown as Parameters<typeof shopperContactOf>[0]);
}

/** Orders API v0 `OrderStatus` → v2026-01-01 `FulfillmentStatus` (orders-api-migration-guide). */
const V0_STATUSES: Readonly<Record<string, string>> = {
  PendingAvailability: 'PENDING_AVAILABILITY',
  Pending: 'PENDING',
  Unshipped: 'UNSHIPPED',
  PartiallyShipped: 'PARTIALLY_SHIPPED',
  Shipped: 'SHIPPED',
  // Brazil: shipped, the invoice not confirmed yet; v2026-01-01 has no such status.
  InvoiceUnconfirmed: 'SHIPPED',
  Canceled: 'CANCELLED',
  Unfulfillable: 'UNFULFILLABLE',
};

/**
 * Snapshots stored by the Orders v0 poller before the move to v2026-01-01 may still wait in the
 * inbox when the new version starts: they are read in the new shape instead of being ignored.
 */
export function fromOrdersV0Snapshot(payload: unknown): AmazonOrderMessage {
  const message = payload as { order: Record<string, unknown>; items: Array<Record<string, unknown>> };
  if (!('AmazonOrderId' in message.order)) return payload as AmazonOrderMessage;
  const order = message.order;
  return {
    order: {
      orderId: String(order['AmazonOrderId']),
      lastUpdatedTime: String(order['LastUpdateDate']),
      fulfillment: {
        fulfillmentStatus: (V0_STATUSES[String(order['OrderStatus'])] ?? String(order['OrderStatus'])) as never,
        fulfilledBy: order['FulfillmentChannel'] === 'AFN' ? 'AMAZON' : 'MERCHANT',
      },
    },
    items: message.items.map((item) => ({
      orderItemId: String(item['OrderItemId']),
      quantityOrdered: Number(item['QuantityOrdered'] ?? 0),
      ...(typeof item['SellerSKU'] === 'string' ? { product: { sellerSku: item['SellerSKU'] } } : {}),
      fulfillment: { quantityFulfilled: Number(item['QuantityShipped'] ?? 0) },
    })),
  };
}

/** SP-API dates: ISO 8601 in UTC, to the second. */
function amazonTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
