import type { Database } from '../../kit/database.ts';
import { UnprocessableMessage, type Inbox } from '../platform-common/inbox.ts';
import type { OrderSync } from '../platform-common/order-sync.ts';
import type { Logger } from '../../kit/logger.ts';
import type { HttpRoute } from '../../kit/subgraph-server.ts';
import type { MlNotification, MlOrder, MlShipmentDetail } from './api-types.ts';
import type { MercadoLivreClient } from './client.ts';
import { channelOrderFrom, shipToOf } from './dictionary.ts';
import type { MercadoLivreListings } from './listings.ts';
import { BatchedOrderReader, type OrderReader } from './order-reader.ts';
import type { SkuIndex } from './sku-index.ts';

/** Where the application's notification callback URL points (set in the application manager). */
export const NOTIFICATIONS_PATH = '/notifications/mercadolivre';
export const ORDERS_TOPIC = 'orders_v2';
export const ITEMS_TOPIC = 'items';
/**
 * An order Mercado Livre notified about but does not show yet (its API can lag a few seconds)
 * is retried for this long before the notification is dropped as not about a real order.
 */
const ORDER_NOT_FOUND_PATIENCE_MS = 15 * 60_000;
/**
 * A notification's `received` must be this recent: Mercado Livre retries an unanswered one for a
 * while and then lists it under /missed_feeds, which keeps two days (those are read through the
 * API, not POSTed here). Older, or from the future beyond clock skew, is not Mercado Livre's.
 */
const NOTIFICATION_MAX_AGE_MS = 2 * 24 * 60 * 60 * 1000;
const CLOCK_SKEW_MS = 5 * 60_000;
/** Resource paths Ponte reads, by topic: anything else is not a notification Ponte acts on. */
const RESOURCE_SHAPES: Readonly<Record<string, RegExp>> = {
  orders_v2: /^\/orders\/\d{1,20}$/,
  items: /^\/items\/[A-Z]{3}\d{1,20}$/,
};
/**
 * An order notification waits this long before the worker reads the order: of a burst about one
 * order (real changes in quick succession, Mercado Livre's retries, or a flood of forged
 * copies) only the last still waiting is read, so the burst costs one platform call.
 */
export const ORDER_NOTIFICATION_COALESCE_MS = 1000;
/** What a refused caller learns: nothing about the application or seller Ponte expects. */
const REFUSED = { error: { code: 'REFUSED', message: 'Notification refused' } } as const;

/**
 * The inbox delivery id of a notification. Mercado Livre retries an unanswered notification
 * with the same `_id` and `received` but a new `sent` and `attempts`, and sends each new change
 * of the order as a new notification (new `_id`, new `received`). So `_id` (or, should it be
 * missing, topic + resource + `received`) makes a retry a duplicate while a later change of
 * the same order is processed. Even a processed duplicate would be harmless: the worker reads
 * the order's current state and order-sync applies each line's transition once.
 */
export function deliveryIdOf(notification: MlNotification): string {
  return notification._id ? `ml:${notification._id}` : `ml:${notification.topic}:${notification.resource}:${notification.received ?? notification.sent ?? ''}`;
}

/**
 * What the inbox keeps of a notification: its documented fields only. Mercado Livre's
 * notifications carry no buyer data, but one forged with extra fields must not get them stored.
 */
export function toStoredNotification(notification: MlNotification): MlNotification {
  const { _id, resource, user_id, topic, application_id, attempts, sent, received } = notification;
  return { ...(_id !== undefined ? { _id } : {}), resource, user_id, topic, application_id, ...(attempts !== undefined ? { attempts } : {}), ...(sent !== undefined ? { sent } : {}), ...(received !== undefined ? { received } : {}) };
}

function isNotification(value: unknown): value is MlNotification {
  const notification = value as Partial<MlNotification> | null;
  return typeof notification === 'object' && notification !== null && !Array.isArray(notification) && typeof notification.resource === 'string' && typeof notification.topic === 'string';
}

/** Which order a notification is about: notifications of one order are handled in the order received. */
export function mercadoLivreOrderingKey(_topic: string, payload: unknown): string | null {
  return isNotification(payload) ? payload.resource : null;
}

/** The inbox's projection, also applied to rows stored before it. */
export function minimiseMercadoLivreMessage(_topic: string, payload: unknown): unknown {
  return isNotification(payload) ? toStoredNotification(payload) : null;
}

export interface NotificationRouteOptions {
  inbox: Inbox;
  listings: MercadoLivreListings;
  /** Notifications for another application are refused (401): Mercado Livre signs nothing. */
  applicationId: string;
  /** Notifications about another seller are refused (403). */
  userId: string;
  /** The inbox's database: order notifications are stored due after the coalescing window. */
  db: Database;
  log: Logger;
  now?: () => number;
  /** @default ORDER_NOTIFICATION_COALESCE_MS */
  coalesceMs?: number;
}

/**
 * The notification callback. Mercado Livre signs nothing, so what a forger could send is
 * limited by design: the ids must be ours, and the worker only acts on what it then reads from
 * Mercado Livre's API with our own token, never on the notification's content.
 */
export function notificationRoute(options: NotificationRouteOptions): HttpRoute {
  const log = options.log.child({ component: 'notifications' });
  const writer = new CoalescingNotificationWriter(options.db, options.inbox, options.coalesceMs ?? ORDER_NOTIFICATION_COALESCE_MS);
  return {
    method: 'POST',
    path: NOTIFICATIONS_PATH,
    async handle({ rawBody }) {
      let notification: MlNotification;
      try {
        notification = JSON.parse(rawBody.toString('utf8')) as MlNotification;
      } catch {
        return { status: 400, body: { error: { code: 'BAD_REQUEST', message: 'The notification is not JSON' } } };
      }
      if (!isNotification(notification)) {
        return { status: 400, body: { error: { code: 'BAD_REQUEST', message: 'A notification needs resource and topic' } } };
      }
      // Every check below is local: a forged notification that fails one costs no platform call.
      // The refusals say nothing of which application or seller was expected (issue 6, item 10).
      if (String(notification.application_id) !== options.applicationId) {
        log.warn({ applicationId: notification.application_id, resource: notification.resource }, 'notification for another application refused');
        return { status: 401, body: REFUSED };
      }
      if (String(notification.user_id) !== options.userId) {
        log.warn({ userId: notification.user_id, resource: notification.resource }, 'notification about another seller refused');
        return { status: 403, body: REFUSED };
      }
      const shape = RESOURCE_SHAPES[notification.topic];
      if (!shape) {
        log.debug({ topic: notification.topic }, 'notification topic not used by Ponte; acknowledged');
        return { status: 200, body: { received: true } };
      }
      if (!shape.test(notification.resource)) return { status: 400, body: { error: { code: 'BAD_REQUEST', message: 'The resource is not one this topic names' } } };
      // Implausible times are acknowledged (a 200, so a real retry would stop) and dropped: Mercado
      // Livre disables a topic whose notifications go unanswered, so oddities never get a non-200.
      const received = Date.parse(notification.received ?? notification.sent ?? '');
      const now = options.now?.() ?? Date.now();
      if (!Number.isFinite(received) || received > now + CLOCK_SKEW_MS || received < now - NOTIFICATION_MAX_AGE_MS) {
        log.warn({ resource: notification.resource, received: notification.received }, 'notification with an implausible time dropped');
        return { status: 200, body: { received: true } };
      }
      if (notification.topic === ORDERS_TOPIC) {
        const fresh = await writer.receive(notification);
        log.debug({ resource: notification.resource, attempts: notification.attempts, fresh }, 'order notification received');
      } else {
        // Only the cache cares: the next read of that item's SKUs goes to Mercado Livre.
        options.listings.forgetItem(notification.resource.slice('/items/'.length));
      }
      return { status: 200, body: { received: true } };
    },
  };
}

async function supersededByLaterNotification(db: Database, notification: MlNotification): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM inbox_messages later
      WHERE later.topic = $1 AND later.processed_at IS NULL AND later.payload->>'resource' = $2
        AND later.id > (SELECT id FROM inbox_messages WHERE delivery_id = $3)
      LIMIT 1`,
    [ORDERS_TOPIC, notification.resource, deliveryIdOf(notification)],
  );
  return rows.length > 0;
}

/**
 * Stores order notifications like `Inbox.receive` (one row per delivery id, a redelivery dropped)
 * but due after the coalescing window, and nudges the worker when they are due. Notifications that
 * arrive together are written in one INSERT: under a burst each answer waits for one round trip,
 * not for a queue of them, which keeps it inside Mercado Livre's 500 ms. Only what a notification
 * names is kept: resource, topic, ids and times.
 */
class CoalescingNotificationWriter {
  readonly #db: Database;
  readonly #inbox: Inbox;
  readonly #delayMs: number;
  #batch: Array<{ deliveryId: string; payload: string; orderingKey: string; settle: (fresh: boolean) => void; fail: (error: unknown) => void }> = [];

  constructor(db: Database, inbox: Inbox, delayMs: number) {
    this.#db = db;
    this.#inbox = inbox;
    this.#delayMs = delayMs;
  }

  receive(notification: MlNotification): Promise<boolean> {
    const payload = JSON.stringify(toStoredNotification(notification));
    return new Promise((settle, fail) => {
      this.#batch.push({ deliveryId: deliveryIdOf(notification), payload, orderingKey: notification.resource, settle, fail });
      // The first of a batch schedules the write; the rest of this turn of the event loop join it.
      if (this.#batch.length === 1) setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#batch;
    this.#batch = [];
    const values: unknown[] = [ORDERS_TOPIC, this.#delayMs / 1000];
    const rows = batch.map(({ deliveryId, payload, orderingKey }) => {
      values.push(deliveryId, payload, orderingKey);
      return `($${values.length - 2}, $1, $${values.length - 1}::jsonb, now() + make_interval(secs => $2), $${values.length})`;
    });
    try {
      const inserted = await this.#db.query<{ delivery_id: string }>(
        `INSERT INTO inbox_messages (delivery_id, topic, payload, next_attempt_at, ordering_key) VALUES ${rows.join(', ')}
         ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id`,
        values,
      );
      const fresh = new Set(inserted.map((row) => row.delivery_id));
      // One delivery id twice in a batch: the first is the fresh one.
      const seen = new Set<string>();
      for (const entry of batch) {
        entry.settle(fresh.has(entry.deliveryId) && !seen.has(entry.deliveryId));
        seen.add(entry.deliveryId);
      }
      if (fresh.size > 0) setTimeout(() => void this.#inbox.drain(), this.#delayMs + 20).unref();
    } catch (error) {
      for (const entry of batch) entry.fail(error);
    }
  }
}

export function orderIdOf(resource: string): string | undefined {
  return /^\/orders\/(\d+)$/.exec(resource)?.[1];
}

export interface OrderNotificationHandlerOptions {
  /** Reads the shipments (and, by default, the orders). */
  client: MercadoLivreClient;
  /**
   * Reads the notified orders: those of messages applied at about the same time with one search.
   * @default a BatchedOrderReader over `client`
   */
  orders?: OrderReader;
  /** The inbox's database: a notification superseded by a later one still waiting is skipped. */
  db?: Database;
  index: SkuIndex;
  orderSync: OrderSync;
  log: Logger;
  now?: () => number;
}

/**
 * The inbox worker's step for an order notification: read the order as it is now, map it with
 * the data dictionary, and let order-sync apply it. Throwing leaves the message for a retry
 * (Mercado Livre or the inventory unavailable).
 */
export function orderNotificationHandler(options: OrderNotificationHandlerOptions): (topic: string, payload: unknown) => Promise<void> {
  const log = options.log.child({ component: 'order-notifications' });
  const now = options.now ?? Date.now;
  const orders = options.orders ?? new BatchedOrderReader({ client: options.client, log: options.log });
  return async (topic, payload) => {
    if (topic !== ORDERS_TOPIC) return;
    if (!isNotification(payload)) throw new UnprocessableMessage('Not a Mercado Livre notification: it needs resource and topic');
    const notification = payload;
    const orderId = orderIdOf(notification.resource);
    if (!orderId) return;
    // The worker reads the order as it is now, so of several notifications about one order only
    // the last still waiting needs a platform call: a burst (or a flood of forged ones) costs one.
    if (options.db && (await supersededByLaterNotification(options.db, notification))) {
      log.debug({ orderId }, 'a later notification about this order is waiting; skipped');
      return;
    }
    const receivedAt = Date.parse(notification.received ?? notification.sent ?? '');
    // Where an order's time goes (debug): the read, the shipment, order-sync's reservation and record.
    const startedAt = performance.now();
    const order = await orders.order(orderId, receivedAt);
    const readMs = performance.now() - startedAt;
    let shipmentMs = 0;
    if (!order) {
      if (Number.isFinite(receivedAt) && now() - receivedAt < ORDER_NOT_FOUND_PATIENCE_MS) {
        throw new Error(`Mercado Livre does not show order ${orderId} yet`);
      }
      log.error({ orderId, resource: notification.resource }, 'notified order does not exist on Mercado Livre; notification dropped');
      return;
    }
    let channelOrder = channelOrderFrom(order, (ref) => options.index.skuOf(ref));
    if (!channelOrder) {
      log.info({ orderId, status: order.status }, 'order status has no stock effect yet');
      return;
    }
    if (channelOrder.lines.some((line) => line.sku === null)) {
      // A line without seller_sku on a listing the index has not seen yet: look once more.
      await options.index.rebuildForUnknownListing();
      channelOrder = channelOrderFrom(order, (ref) => options.index.skuOf(ref))!;
    }
    // The CEP routes a line when it is first reserved, and the orders subgraph keeps it from then on
    // (an order recorded without one keeps the one it has): a later notification about the same
    // lines (paid, shipped, delivered) costs no second call, which Mercado Livre's rate limit counts.
    const known = new Set((await options.orderSync.lineStates(orderId)).map((line) => line.lineId));
    if (channelOrder.status !== 'CANCELLED' && channelOrder.lines.some((line) => !known.has(line.lineId))) {
      const shipmentStartedAt = performance.now();
      const shipment = await shipmentOf(options.client, order, { receivedAt, now: now() });
      shipmentMs = performance.now() - shipmentStartedAt;
      channelOrder = { ...channelOrder, shipTo: shipToOf(shipment) };
      if (shipment && !channelOrder.shipTo) log.warn({ orderId, shipmentId: shipment.id }, 'the order\'s shipment names no CEP; its lines are reserved by location priority');
    }
    const applyStartedAt = performance.now();
    await options.orderSync.apply(channelOrder);
    log.debug(
      { orderId, sinceReceivedMs: Number.isFinite(receivedAt) ? now() - receivedAt : null, readMs: Math.round(readMs), shipmentMs: Math.round(shipmentMs), applyMs: Math.round(performance.now() - applyStartedAt), totalMs: Math.round(performance.now() - startedAt) },
      'order notification applied',
    );
  };
}

/**
 * The order's shipment, where its ship-to CEP is (Mercado Livre's order does not carry the address);
 * null when the order names none (`not_specified` shipping has no shipment:
 * https://developers.mercadolibre.com.ar/es_ar/sobre-nuestra-api/envios-personalizados).
 * A failure is the order's too: thrown, so the inbox retries the message rather than apply the
 * order without its CEP (routed by priority instead of distance, recorded without where it goes),
 * as it does when the order read fails. A shipment Mercado Livre does not show is waited for while
 * the notification is recent, like an order; after that the message is set aside for review with
 * the reason (not dropped, as a missing order is: the order is real).
 */
async function shipmentOf(client: MercadoLivreClient, order: MlOrder, timing: { receivedAt: number; now: number }): Promise<MlShipmentDetail | null> {
  const shipmentId = order.shipping?.id;
  if (shipmentId === null || shipmentId === undefined || shipmentId === '') return null;
  const shipment = await client.shipment(String(shipmentId));
  if (shipment) return shipment;
  if (Number.isFinite(timing.receivedAt) && timing.now - timing.receivedAt < ORDER_NOT_FOUND_PATIENCE_MS) {
    throw new Error(`Mercado Livre does not show shipment ${shipmentId} of order ${order.id} yet`);
  }
  throw new UnprocessableMessage(`Mercado Livre does not show shipment ${shipmentId} of order ${order.id}: not applied without its CEP`);
}

/**
 * Puts the order notifications Mercado Livre gave up delivering into the inbox, where the
 * worker handles them like any other; ones already received are dropped there by delivery id.
 * Run on start and periodically, it closes the gap an outage longer than Mercado Livre's retry
 * window would otherwise leave.
 */
export async function recoverMissedNotifications(options: { client: MercadoLivreClient; inbox: Inbox; applicationId: string; log: Logger }): Promise<number> {
  const missed = await options.client.missedNotifications(options.applicationId, ORDERS_TOPIC);
  let recovered = 0;
  for (const notification of missed) {
    if (!orderIdOf(notification.resource)) continue;
    if (await options.inbox.receive(deliveryIdOf(notification), ORDERS_TOPIC, toStoredNotification(notification))) recovered++;
  }
  if (recovered > 0) options.log.info({ component: 'notifications', recovered }, 'recovered order notifications Mercado Livre had given up on');
  return recovered;
}
