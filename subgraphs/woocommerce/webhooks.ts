/**
 * WooCommerce order webhooks: verified, minimised, stored in the inbox, answered at once.
 *
 * Deduplication is on the order's canonical content, not on X-WC-Webhook-Delivery-ID alone:
 * WooCommerce makes that id as `wp_hash(webhook id . current second)`, so it changes on every
 * delivery of the same event (a redelivery does not repeat it) and two different orders sent
 * by one webhook within the same second share it. The key used — order id plus a hash of what
 * the order means canonically (status and lines) — is the same for a duplicate, a retry, and
 * the same order found again by the reconciliation sweep.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Inbox } from '../platform-common/inbox.ts';
import type { Logger } from '../../kit/logger.ts';
import type { HttpRoute } from '../../kit/subgraph-server.ts';
import type { WooCommerceClient, WooOrder } from './client.ts';
import { channelOrderFromWooOrder, orderWithoutPersonalData } from './dictionary.ts';

/** Where the store delivers order webhooks, relative to the subgraph's public URL. */
export const WEBHOOK_PATH = '/webhooks/woocommerce';
/** The topics Ponte subscribes to: a new order, and every change of one (status, cancellation, completion). */
export const ORDER_TOPICS = ['order.created', 'order.updated'] as const;
/** The inbox topic of a WooCommerce order, whichever way it arrived. */
export const ORDER_MESSAGE_TOPIC = 'woocommerce.order';

/** WooCommerce's X-WC-Webhook-Signature: base64 HMAC-SHA256 of the raw body, keyed with the webhook secret. */
export function verifyWebhookSignature(rawBody: Buffer, signature: string | null | undefined, secret: string): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The webhook secret when none is configured: derived from the consumer secret, so every
 * replica and every restart agrees on it without one more setting to manage.
 */
export function derivedWebhookSecret(consumerSecret: string): string {
  return createHmac('sha256', consumerSecret).update('ponte:woocommerce:webhooks').digest('base64url');
}

/** The inbox key of an order in one canonical state; null when the order calls for nothing. */
export function orderMessageKey(order: WooOrder): string | null {
  const channelOrder = channelOrderFromWooOrder(order);
  if (!channelOrder) return null;
  // What Ponte would do with it, not when WooCommerce last touched it (a note, a re-send) nor who bought it.
  const { updatedAt: _updatedAt, customer: _customer, ...content } = channelOrder;
  const digest = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
  return `woocommerce:order:${channelOrder.orderId}:${digest}`;
}

/** Which order an inbox message is about: its states are applied in the order received. */
export function wooOrderingKey(_topic: string, payload: unknown): string | null {
  const id = (payload as { id?: unknown } | null)?.id;
  return typeof id === 'number' || typeof id === 'string' ? `order:${id}` : null;
}

/** Stores an order for the inbox worker; false when it was already there or calls for nothing. */
export async function receiveOrder(inbox: Inbox, order: WooOrder): Promise<boolean> {
  const key = orderMessageKey(order);
  if (!key) return false;
  // As read: the inbox seals the shopper's contact and keeps only `orderWithoutPersonalData` of the rest (minimiseWooMessage).
  return inbox.receive(key, ORDER_MESSAGE_TOPIC, order);
}

export function isOrder(value: unknown): value is WooOrder {
  const order = value as Partial<WooOrder> | null;
  return (
    typeof order === 'object' && order !== null && !Array.isArray(order) && typeof order.id === 'number' && typeof order.status === 'string' && Array.isArray(order.line_items) &&
    order.line_items.every((line: unknown) => typeof line === 'object' && line !== null && typeof (line as { id?: unknown }).id === 'number' && Number.isInteger((line as { quantity?: unknown }).quantity))
  );
}

/**
 * The inbox's projection (also applied to rows stored before it): an order keeps only what
 * `orderWithoutPersonalData` allows; anything else keeps nothing.
 */
export function minimiseWooMessage(topic: string, payload: unknown): unknown {
  if (topic !== ORDER_MESSAGE_TOPIC) return payload;
  return isOrder(payload) ? orderWithoutPersonalData(payload) : null;
}

export function createWebhookRoute(options: { secret: string; inbox: Inbox; log: Logger }): HttpRoute {
  const log = options.log.child({ component: 'webhooks' });
  return {
    method: 'POST',
    path: WEBHOOK_PATH,
    async handle({ headers, rawBody }) {
      const signature = headers.get('x-wc-webhook-signature');
      // WooCommerce pings a new webhook's URL with an unsigned form body; refusing it would
      // make the store report the URL as broken. It carries nothing, so nothing is stored.
      if (!signature && /^webhook_id=\d+$/.test(rawBody.toString('utf8').trim())) return { status: 200, body: { ping: true } };
      if (!verifyWebhookSignature(rawBody, signature, options.secret)) {
        log.warn({ topic: headers.get('x-wc-webhook-topic'), source: headers.get('x-wc-webhook-source') }, 'WooCommerce webhook with a missing or invalid signature refused');
        return { status: 401, body: { error: { code: 'INVALID_SIGNATURE', message: 'X-WC-Webhook-Signature does not match the body' } } };
      }
      const topic = headers.get('x-wc-webhook-topic') ?? '';
      const deliveryId = headers.get('x-wc-webhook-delivery-id');
      if (!(ORDER_TOPICS as readonly string[]).includes(topic)) {
        log.debug({ topic, deliveryId }, 'WooCommerce webhook topic not used by Ponte');
        return { status: 200, body: { ignored: topic } };
      }
      let order: unknown;
      try {
        order = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return { status: 400, body: { error: { code: 'INVALID_JSON', message: 'The webhook body is not JSON' } } };
      }
      if (!isOrder(order)) return { status: 400, body: { error: { code: 'NOT_AN_ORDER', message: `A ${topic} webhook must carry an order with id, status and line_items` } } };
      const stored = await receiveOrder(options.inbox, order);
      log.debug({ topic, deliveryId, orderId: order.id, status: order.status, stored }, 'WooCommerce order webhook received');
      return { status: 200, body: { stored } };
    },
  };
}

/**
 * Makes sure the store sends Ponte its order webhooks: creates the missing ones, and
 * re-activates and re-keys existing ones (WooCommerce disables a webhook after 5 failed
 * deliveries, and never shows its secret back, so the secret is always set).
 */
export async function ensureOrderWebhooks(client: WooCommerceClient, input: { deliveryUrl: string; secret: string; log: Logger }): Promise<Array<{ id: number; topic: string }>> {
  const existing = await client.webhooks();
  const ensured: Array<{ id: number; topic: string }> = [];
  for (const topic of ORDER_TOPICS) {
    const mine = existing.find((webhook) => webhook.topic === topic && webhook.delivery_url === input.deliveryUrl);
    const webhook = mine
      ? await client.activateWebhook(mine.id, { secret: input.secret, deliveryUrl: input.deliveryUrl })
      : await client.createWebhook({ name: `Ponte — ${topic}`, topic, deliveryUrl: input.deliveryUrl, secret: input.secret });
    if (mine && mine.status !== 'active') input.log.warn({ webhookId: mine.id, topic, was: mine.status }, 'WooCommerce webhook was not active; re-activated');
    ensured.push({ id: webhook.id, topic });
  }
  input.log.info({ deliveryUrl: input.deliveryUrl, webhooks: ensured }, 'WooCommerce order webhooks registered');
  return ensured;
}
