import { UnprocessableMessage, type Inbox } from '../platform-common/inbox.ts';
import type { OrderSync } from '../platform-common/order-sync.ts';
import type { Logger } from '../../kit/logger.ts';
import type { HttpRoute } from '../../kit/subgraph-server.ts';
import type { MlNotification } from './api-types.ts';
import type { MercadoLivreClient } from './client.ts';
import { channelOrderFrom } from './dictionary.ts';
import type { MercadoLivreListings } from './listings.ts';
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
  log: Logger;
}

/**
 * The notification callback. Mercado Livre signs nothing, so what a forger could send is
 * limited by design: the ids must be ours, and the worker only acts on what it then reads from
 * Mercado Livre's API with our own token, never on the notification's content.
 */
export function notificationRoute(options: NotificationRouteOptions): HttpRoute {
  const log = options.log.child({ component: 'notifications' });
  return {
    method: 'POST',
    path: NOTIFICATIONS_PATH,
    async handle({ rawBody }) {
      let notification: MlNotification;
      try {
        notification = JSON.parse(rawBody.toString('utf8')) as MlNotification;
      } catch {
        return { status: 400, body: { error: 'bad_request', message: 'The notification is not JSON' } };
      }
      if (!isNotification(notification)) {
        return { status: 400, body: { error: 'bad_request', message: 'A notification needs resource and topic' } };
      }
      if (String(notification.application_id) !== options.applicationId) {
        log.warn({ applicationId: notification.application_id, resource: notification.resource }, 'notification for another application refused');
        return { status: 401, body: { error: 'unauthorized', message: `Notifications are accepted for application ${options.applicationId} only` } };
      }
      if (String(notification.user_id) !== options.userId) {
        log.warn({ userId: notification.user_id, resource: notification.resource }, 'notification about another seller refused');
        return { status: 403, body: { error: 'forbidden', message: `Notifications are accepted for seller ${options.userId} only` } };
      }
      if (notification.topic === ORDERS_TOPIC) {
        if (!orderIdOf(notification.resource)) return { status: 400, body: { error: 'bad_request', message: `Not an order resource: ${notification.resource}` } };
        const fresh = await options.inbox.receive(deliveryIdOf(notification), ORDERS_TOPIC, toStoredNotification(notification));
        log.debug({ resource: notification.resource, attempts: notification.attempts, fresh }, 'order notification received');
      } else if (notification.topic === ITEMS_TOPIC) {
        // Only the cache cares: the next read of that item's SKUs goes to Mercado Livre.
        const itemId = /^\/items\/([A-Z]{3}\d+)$/.exec(notification.resource)?.[1];
        if (itemId) options.listings.forgetItem(itemId);
      } else {
        log.debug({ topic: notification.topic }, 'notification topic not used by Ponte; acknowledged');
      }
      return { status: 200, body: { received: true } };
    },
  };
}

export function orderIdOf(resource: string): string | undefined {
  return /^\/orders\/(\d+)$/.exec(resource)?.[1];
}

export interface OrderNotificationHandlerOptions {
  client: MercadoLivreClient;
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
  return async (topic, payload) => {
    if (topic !== ORDERS_TOPIC) return;
    if (!isNotification(payload)) throw new UnprocessableMessage('Not a Mercado Livre notification: it needs resource and topic');
    const notification = payload;
    const orderId = orderIdOf(notification.resource);
    if (!orderId) return;
    const order = await options.client.order(orderId);
    if (!order) {
      const receivedAt = Date.parse(notification.received ?? notification.sent ?? '');
      if (Number.isFinite(receivedAt) && now() - receivedAt < ORDER_NOT_FOUND_PATIENCE_MS) {
        throw new Error(`Mercado Livre does not show order ${orderId} yet`);
      }
      log.error({ orderId, resource: notification.resource }, 'notified order does not exist on Mercado Livre; notification dropped');
      return;
    }
    let channelOrder = channelOrderFrom(order, (ref) => options.index.skuOf(ref));
    if (channelOrder?.lines.some((line) => line.sku === null)) {
      // A line without seller_sku on a listing the index has not seen yet: look once more.
      await options.index.rebuildForUnknownListing();
      channelOrder = channelOrderFrom(order, (ref) => options.index.skuOf(ref));
    }
    if (!channelOrder) {
      log.info({ orderId, status: order.status }, 'order status has no stock effect yet');
      return;
    }
    await options.orderSync.apply(channelOrder);
  };
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
