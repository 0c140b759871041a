/**
 * Shopify's order webhooks: verified, reduced to what order sync reads (`stored-order.ts`),
 * stored in the durable inbox (deduplicated on the delivery's X-Shopify-Webhook-Id), answered at
 * once, then applied to the canonical inventory by the inbox worker. Each topic's delivery is
 * applied once; OrderSync makes applying the same order state twice harmless, so a cancellation's
 * two topics (one X-Shopify-Event-Id) both go through. The mandatory compliance webhooks
 * (`privacy.ts`) arrive here too, on the same signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnprocessableMessage, type Inbox } from '../platform-common/inbox.ts';
import type { OrderSync, ShopperContact } from '../platform-common/order-sync.ts';
import type { Logger } from '../../kit/logger.ts';
import type { HttpRoute } from '../../kit/subgraph-server.ts';
import { channelOrdersFromWebhook, shopperContactOf, type WebhookOrder } from './dictionary.ts';
import { isPrivacyTopic, type ShopifyPrivacy } from './privacy.ts';
import { orderShapeProblem, toStoredOrder } from './stored-order.ts';

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

const badRequest = (message: string) => ({ status: 400, body: { error: { code: 'BAD_REQUEST', message } } });

export function shopifyWebhookRoute(options: { apiSecretKey: string; inbox: Inbox; privacy: ShopifyPrivacy; log: Logger }): HttpRoute {
  const log = options.log.child({ component: 'webhooks' });
  return {
    method: 'POST',
    path: WEBHOOK_PATH,
    async handle({ headers, rawBody }) {
      const topic = headers.get('x-shopify-topic') ?? '';
      if (!verifyShopifyHmac(rawBody, headers.get('x-shopify-hmac-sha256'), options.apiSecretKey)) {
        log.warn({ topic, shop: headers.get('x-shopify-shop-domain') }, 'Shopify webhook with a bad signature refused');
        return { status: 401, body: { error: { code: 'INVALID_SIGNATURE', message: 'X-Shopify-Hmac-Sha256 does not match the body' } } };
      }
      // Shopify: "ignore duplicate deliveries using X-Shopify-Webhook-Id"
      // (https://shopify.dev/docs/apps/build/webhooks/verify-deliveries). The event id is shared by
      // every topic one action sends (orders/cancelled and orders/updated of one cancellation), so
      // deduplicating on it would drop a topic; it is only logged, to correlate.
      const webhookId = headers.get('x-shopify-webhook-id');
      const eventId = headers.get('x-shopify-event-id');
      if (!webhookId) return badRequest('X-Shopify-Webhook-Id is missing');
      // Acknowledged but not kept: a 4xx would make Shopify retry and finally drop the subscription.
      if (!HANDLED_TOPICS.has(topic) && !isPrivacyTopic(topic)) {
        log.debug({ topic, webhookId, eventId }, 'Shopify webhook topic not handled');
        return { status: 200, body: { ignored: true } };
      }
      let payload: unknown;
      try {
        payload = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return badRequest('The webhook body is not JSON');
      }
      if (isPrivacyTopic(topic)) {
        const outcome = await options.privacy.apply(webhookId, topic, payload);
        if (outcome.status === 'invalid') return badRequest(`A ${topic} webhook needs ${outcome.problem}`);
        log.debug({ topic, webhookId, eventId, outcome: outcome.status }, 'Shopify compliance webhook received');
        return { status: 200, body: { received: true, duplicate: outcome.status === 'duplicate', ...(outcome.status === 'other-shop' ? { ignored: 'another shop' } : {}) } };
      }
      // A signed body that is not an order can never be applied: refuse it now rather than retry it forever.
      const problem = orderShapeProblem(payload);
      if (problem) {
        log.warn({ topic, webhookId, eventId, problem }, 'Shopify order webhook that is not an order refused');
        return badRequest(`A ${topic} webhook must carry an order: ${problem}`);
      }
      // As received: the inbox seals the shopper's contact and keeps only `toStoredOrder` of the rest (minimiseShopifyMessage).
      const stored = await options.inbox.receive(webhookId, topic, payload);
      log.debug({ topic, webhookId, eventId, duplicate: !stored }, 'Shopify webhook received');
      return { status: 200, body: { received: true, duplicate: !stored } };
    },
  };
}

/** The inbox worker's handler: a thrown error (inventory unreachable) is retried with backoff. */
export function shopifyWebhookHandler(orderSync: OrderSync): (topic: string, payload: unknown, contact?: ShopperContact) => Promise<void> {
  return async (topic, payload, contact) => {
    if (!topic.startsWith('orders/')) return;
    // Rows stored before the receiver checked the shape: set aside, not retried forever.
    const problem = orderShapeProblem(payload);
    if (problem) throw new UnprocessableMessage(`Not a Shopify order: ${problem}`);
    // The stored payload keeps no shopper: the contact comes from the inbox, sealed until now.
    for (const order of channelOrdersFromWebhook(payload as WebhookOrder)) await orderSync.apply(contact ? { ...order, customer: contact } : order);
  };
}

/** The shopper on an order webhook, as received (before minimising): what the inbox seals beside it. */
export function shopifyContactOf(topic: string, payload: unknown): ShopperContact | null {
  if (!topic.startsWith('orders/') || typeof payload !== 'object' || payload === null) return null;
  return shopperContactOf(payload as WebhookOrder);
}

/** Which order an inbox message is about: its topics for one order are applied in the order received. */
export function shopifyOrderingKey(topic: string, payload: unknown): string | null {
  const id = topic.startsWith('orders/') ? (payload as { id?: unknown } | null)?.id : undefined;
  return typeof id === 'number' || typeof id === 'string' ? `order:${id}` : null;
}

/** The inbox's projection: order topics keep the allowlist of `stored-order.ts`. */
export function minimiseShopifyMessage(topic: string, payload: unknown): unknown {
  return topic.startsWith('orders/') ? toStoredOrder(payload) : payload;
}
