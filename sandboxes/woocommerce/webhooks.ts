/**
 * WooCommerce webhook deliveries: the resource's REST JSON as body, the X-WC-Webhook-* headers,
 * and X-WC-Webhook-Signature = base64(HMAC-SHA256(raw body, webhook secret)). Each delivery
 * attempt gets its own delivery id; the webhook id and signature stay the same.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { OutgoingWebhook } from '../common/webhooks.ts';
import type { WooWebhook } from './store.ts';

/** Topics WooCommerce accepts for webhooks (resource.event). */
export const WEBHOOK_TOPICS = [
  'order.created',
  'order.updated',
  'order.deleted',
  'order.restored',
  'product.created',
  'product.updated',
  'product.deleted',
  'product.restored',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'coupon.created',
  'coupon.updated',
  'coupon.deleted',
  'coupon.restored',
];

export function signWooWebhook(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('base64');
}

export function wooWebhook(webhook: WooWebhook, payload: Record<string, unknown>, siteUrl: string, onResult: (ok: boolean) => void): OutgoingWebhook {
  const body = JSON.stringify(payload);
  const [resource, event] = webhook.topic.split('.') as [string, string];
  // Captured now: a later change of secret or URL does not rewrite a delivery already queued.
  const secret = webhook.secret;
  return {
    eventId: randomUUID(),
    topic: webhook.topic,
    url: webhook.deliveryUrl,
    render: () => ({
      body,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'WooCommerce/9.4.0 Hookshot (WordPress/6.7)',
        'X-WC-Webhook-Source': `${siteUrl}/`,
        'X-WC-Webhook-Topic': webhook.topic,
        'X-WC-Webhook-Resource': resource,
        'X-WC-Webhook-Event': event,
        'X-WC-Webhook-Signature': signWooWebhook(body, secret),
        'X-WC-Webhook-ID': String(webhook.id),
        'X-WC-Webhook-Delivery-ID': randomBytes(16).toString('hex'),
      },
    }),
    onAttempt: (attempt) => {
      if (!attempt.duplicate) onResult(attempt.ok);
    },
    isActive: () => webhook.status === 'active',
  };
}
