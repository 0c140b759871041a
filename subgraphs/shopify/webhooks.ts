/**
 * Shopify's order webhooks: verified, stored in the durable inbox (deduplicated on the delivery's
 * X-Shopify-Webhook-Id), answered at once, then applied to the canonical inventory by the inbox
 * worker. Each topic's delivery is applied once; OrderSync makes applying the same order state
 * twice harmless, so a cancellation's two topics (one X-Shopify-Event-Id) both go through.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Inbox } from '../platform-common/inbox.ts';
import type { OrderSync } from '../platform-common/order-sync.ts';
import type { Logger } from '../../kit/logger.ts';
import type { HttpRoute } from '../../kit/subgraph-server.ts';
import { channelOrdersFromWebhook, type WebhookOrder } from './dictionary.ts';

/** @default /webhooks/shopify */
export const WEBHOOK_PATH = '/webhooks/shopify';
/** The topics Ponte subscribes to; `orders/updated` is accepted too (it carries the whole order). */
export const ORDER_TOPICS = ['orders/create', 'orders/cancelled', 'orders/fulfilled'] as const;
const HANDLED_TOPICS = new Set<string>([...ORDER_TOPICS, 'orders/updated', 'orders/paid']);

/** Shopify signs the raw body: base64(HMAC-SHA256(body, app client secret)). Compared in constant time. */
export function verifyShopifyHmac(rawBody: Buffer, signature: string | null | undefined, apiSecretKey: string): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', apiSecretKey).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function shopifyWebhookRoute(options: { apiSecretKey: string; inbox: Inbox; log: Logger }): HttpRoute {
  const log = options.log.child({ component: 'webhooks' });
  return {
    method: 'POST',
    path: WEBHOOK_PATH,
    async handle({ headers, rawBody }) {
      const topic = headers.get('x-shopify-topic') ?? '';
      if (!verifyShopifyHmac(rawBody, headers.get('x-shopify-hmac-sha256'), options.apiSecretKey)) {
        log.warn({ topic, shop: headers.get('x-shopify-shop-domain') }, 'Shopify webhook with a bad signature refused');
        return { status: 401, body: { error: 'invalid HMAC signature' } };
      }
      // Shopify: "ignore duplicate deliveries using X-Shopify-Webhook-Id"
      // (https://shopify.dev/docs/apps/build/webhooks/verify-deliveries). The event id is shared by
      // every topic one action sends (orders/cancelled and orders/updated of one cancellation), so
      // deduplicating on it would drop a topic; it is only logged, to correlate.
      const webhookId = headers.get('x-shopify-webhook-id');
      const eventId = headers.get('x-shopify-event-id');
      if (!webhookId) return { status: 400, body: { error: 'X-Shopify-Webhook-Id is missing' } };
      // Acknowledged but not kept: a 4xx would make Shopify retry and finally drop the subscription.
      if (!HANDLED_TOPICS.has(topic)) {
        log.debug({ topic, webhookId, eventId }, 'Shopify webhook topic not handled');
        return { status: 200, body: { ignored: true } };
      }
      let payload: unknown;
      try {
        payload = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return { status: 400, body: { error: 'body is not JSON' } };
      }
      const stored = await options.inbox.receive(webhookId, topic, payload);
      log.debug({ topic, webhookId, eventId, duplicate: !stored }, 'Shopify webhook received');
      return { status: 200, body: { received: true, duplicate: !stored } };
    },
  };
}

/** The inbox worker's handler: a thrown error (inventory unreachable) is retried with backoff. */
export function shopifyWebhookHandler(orderSync: OrderSync): (topic: string, payload: unknown) => Promise<void> {
  return async (topic, payload) => {
    if (!topic.startsWith('orders/')) return;
    for (const order of channelOrdersFromWebhook(payload as WebhookOrder)) await orderSync.apply(order);
  };
}
