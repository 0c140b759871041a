import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphUrl } from '../../gateway/index.ts';
import { ledgerSnapshot } from '../../subgraphs/inventory/test-fixtures.ts';
import { NOTIFICATIONS_PATH } from '../../subgraphs/mercadolivre/notifications.ts';
import { WEBHOOK_PATH as SHOPIFY_WEBHOOK_PATH } from '../../subgraphs/shopify/webhooks.ts';
import { WEBHOOK_PATH as WOOCOMMERCE_WEBHOOK_PATH } from '../../subgraphs/woocommerce/webhooks.ts';
import { startCommerce, type RunningCommerce } from '../support/all-platforms.ts';

/**
 * Issue 6's corpus, for what reaches Ponte without the gateway: forged and malformed webhooks and
 * notifications at each platform subgraph's receiver. Each is refused with a 4xx whose body names
 * a code, and the canonical ledger and levels are exactly as before (nothing reserved).
 */
let commerce: RunningCommerce;
beforeAll(async () => {
  commerce = await startCommerce();
}, 180_000);
afterAll(async () => {
  await commerce?.close();
});

const receiver = (platform: string, path: string) => `${new URL(subgraphUrl(commerce.ponte.supergraphSdl, platform)!).origin}${path}`;
const paidOrder = { id: 9_900_001, admin_graphql_api_id: 'gid://shopify/Order/9900001', financial_status: 'paid', line_items: [{ id: 1, sku: 'CAM-BASICA-M', quantity: 5 }] };

interface ForgedDelivery {
  name: string;
  send(): Promise<Response>;
  status: number;
  code: string;
}

function shopify(body: string, secret: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(receiver('shopify', SHOPIFY_WEBHOOK_PATH), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
      'x-shopify-shop-domain': commerce.sandboxes.shopify.shopDomain,
      'x-shopify-webhook-id': `forged-${Math.random()}`,
      ...headers,
    },
    body,
  });
}

const DELIVERIES: ForgedDelivery[] = [
  { name: 'a Shopify order signed with the wrong secret', send: () => shopify(JSON.stringify(paidOrder), 'not-the-app-secret'), status: 401, code: 'INVALID_SIGNATURE' },
  { name: 'a Shopify order with no signature', send: () => shopify(JSON.stringify(paidOrder), '', { 'x-shopify-hmac-sha256': '' }), status: 401, code: 'INVALID_SIGNATURE' },
  { name: 'a signed Shopify webhook whose body is null', send: () => shopify('null', commerce.sandboxes.shopify.apiSecretKey), status: 400, code: 'BAD_REQUEST' },
  { name: 'a signed Shopify webhook whose body is an array', send: () => shopify('[1,2]', commerce.sandboxes.shopify.apiSecretKey), status: 400, code: 'BAD_REQUEST' },
  { name: 'a signed Shopify webhook that is not JSON', send: () => shopify('{"id":', commerce.sandboxes.shopify.apiSecretKey), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'a WooCommerce order with a forged signature',
    send: () =>
      fetch(receiver('woocommerce', WOOCOMMERCE_WEBHOOK_PATH), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-signature': 'Zm9yZ2Vk', 'x-wc-webhook-delivery-id': '1' },
        body: JSON.stringify({ id: 77, status: 'processing', line_items: [{ id: 1, sku: 'CAM-BASICA-M', quantity: 5 }] }),
      }),
    status: 401,
    code: 'INVALID_SIGNATURE',
  },
  {
    name: 'a Mercado Livre notification for another application',
    send: () =>
      fetch(receiver('mercadolivre', NOTIFICATIONS_PATH), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resource: '/orders/2000009999', user_id: 1, topic: 'orders_v2', application_id: 42, attempts: 1, sent: new Date().toISOString(), received: new Date().toISOString() }),
      }),
    status: 401,
    code: 'REFUSED',
  },
  {
    name: 'a Mercado Livre notification that is not JSON',
    send: () => fetch(receiver('mercadolivre', NOTIFICATIONS_PATH), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resource":' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
];

describe('forged and malformed webhooks at the platform receivers', () => {
  for (const delivery of DELIVERIES) {
    it(`${delivery.name}: ${delivery.status} ${delivery.code}, nothing changed`, async () => {
      const before = await ledgerSnapshot(commerce.ponte.inventory.db);
      const response = await delivery.send();
      expect(response.status).toBe(delivery.status);
      expect(((await response.json()) as { error?: { code?: string } }).error?.code).toBe(delivery.code);
      // The inbox would apply a stored order within a poll interval; give it a few.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await ledgerSnapshot(commerce.ponte.inventory.db)).toEqual(before);
    });
  }
});
