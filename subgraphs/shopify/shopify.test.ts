import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts, type DemoProduct } from '../../demo/catalog.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createShopifySandbox, type ShopifySandbox } from '../../sandboxes/shopify/shopify-sandbox.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { graphql, startPonte, TEST_GATEWAY_SECRET, type RunningPonte } from '../../test/support/ponte.ts';
import { subscribe } from '../../test/support/subscriptions.ts';
import { createLogger } from '../../kit/logger.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { ShopifyClient, ShopifyCostLimiter } from './client.ts';
import { channelOrdersFromWebhook, dictionaryMarkdown, moneyFromDecimal } from './dictionary.ts';
import { createShopifySubgraph, shopifySdl, type ShopifySubgraph } from './index.ts';
import { ListingReader } from './listings.ts';
import { verifyShopifyHmac, WEBHOOK_PATH } from './webhooks.ts';
import { eventuallyDefined as eventually } from '../../test/support/eventually.ts';
import { platformSubgraph } from '../../test/support/platform-subgraph.ts';

const log = createLogger('shopify-test');
const CHANNEL = 'shopify-br';

describe('Shopify mapping and plumbing (in process)', () => {
  it('keeps README.md in step with the data dictionary', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    expect(readme).toContain(dictionaryMarkdown());
  });

  it('maps prices to cents without floating point', () => {
    expect(moneyFromDecimal('59.90', 'BRL')).toEqual({ amountInCents: 5990, currency: 'BRL' });
    expect(moneyFromDecimal('0.1', 'BRL').amountInCents).toBe(10);
    expect(moneyFromDecimal('1234', 'USD').amountInCents).toBe(123400);
    expect(() => moneyFromDecimal('R$ 10', 'BRL')).toThrow(/not a decimal/);
  });

  it('maps an order webhook per line: partly fulfilled lines and lines without a SKU', () => {
    const orders = channelOrdersFromWebhook({
      admin_graphql_api_id: 'gid://shopify/Order/7',
      cancelled_at: null,
      line_items: [
        { id: 11, sku: 'CAM-BASICA-M', quantity: 2, fulfillment_status: 'fulfilled' },
        { id: 12, sku: ' ', quantity: 1, fulfillment_status: null },
        { id: 13, sku: 'VEL-AROMA', quantity: 1, fulfillment_status: null },
      ],
    });
    // One order, OPEN while a line is; each line with its own status.
    expect(orders).toEqual([
      expect.objectContaining({
        orderId: 'gid://shopify/Order/7',
        status: 'OPEN',
        lines: [
          { lineId: '11', sku: 'CAM-BASICA-M', quantity: 2, status: 'FULFILLED' },
          { lineId: '12', sku: null, quantity: 1, status: 'OPEN' },
          { lineId: '13', sku: 'VEL-AROMA', quantity: 1, status: 'OPEN' },
        ],
      }),
    ]);
    const cancelled = channelOrdersFromWebhook({ id: 7, cancelled_at: '2026-11-28T10:00:00Z', line_items: [{ id: 11, sku: 'A', quantity: 1, fulfillment_status: null }] });
    expect(cancelled).toEqual([expect.objectContaining({ orderId: 'gid://shopify/Order/7', status: 'CANCELLED', lines: [{ lineId: '11', sku: 'A', quantity: 1, status: 'CANCELLED' }] })]);
  });

  it('verifies Shopify signatures over the raw bytes', () => {
    const body = Buffer.from('{"id":1,"note":"ção"}');
    const signature = createHmac('sha256', 'secret').update(body).digest('base64');
    expect(verifyShopifyHmac(body, signature, 'secret')).toBe(true);
    expect(verifyShopifyHmac(body, signature, 'other')).toBe(false);
    expect(verifyShopifyHmac(Buffer.from('{"id":2,"note":"ção"}'), signature, 'secret')).toBe(false);
    expect(verifyShopifyHmac(body, 'short', 'secret')).toBe(false);
    expect(verifyShopifyHmac(body, undefined, 'secret')).toBe(false);
  });

  it('the cost limiter waits for the points a query needs, at the restore rate', async () => {
    let now = 0;
    const slept: number[] = [];
    // Not knowing what an earlier process left, a limiter takes the bucket as empty, refilling.
    const fresh = new ShopifyCostLimiter({ maximumAvailable: 100, restoreRate: 10, now: () => now });
    expect(fresh.known).toBe(false);
    expect(fresh.waitFor(80)).toBe(8000);
    const limiter = new ShopifyCostLimiter({
      maximumAvailable: 100,
      restoreRate: 10,
      currentlyAvailable: 100,
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    limiter.expect('Listings', 80);
    await limiter.acquire('Listings');
    expect(slept).toEqual([]);
    await limiter.acquire('Listings');
    // 20 left, 80 needed, 10 points per second: six seconds.
    expect(slept).toEqual([6000]);
    // Shopify's own figures replace the local estimate.
    limiter.observeCost('Listings', { requestedQueryCost: 30, actualQueryCost: 12, throttleStatus: { maximumAvailable: 100, currentlyAvailable: 5, restoreRate: 10 } });
    expect(limiter.waitFor(30)).toBe(2500);
  });
});

describe('Shopify client against the sandbox', () => {
  let sandbox: ShopifySandbox | undefined;
  afterAll(async () => {
    await sandbox?.close();
  });

  it('paces queries to a small bucket, retries THROTTLED answers, and converges', async () => {
    // A bucket of 100 points refilled at 50/s: a two-SKU listing query asks for 75, so six at once
    // cannot all pass, however slowly a busy machine sends them (450 points take 7 s to refill).
    sandbox = createShopifySandbox({ throttle: { maximumAvailable: 100, restoreRate: 50 } });
    const baseUrl = await sandbox.listen();
    const control = new SandboxControlClient(baseUrl);
    // The client is told the bucket is a full Standard one (2000 points) until Shopify's answers say otherwise.
    const client = new ShopifyClient({ baseUrl, shopDomain: sandbox.shopDomain, accessToken: sandbox.accessToken, log, baseDelayMs: 10, throttle: { maximumAvailable: 2000, restoreRate: 100, currentlyAvailable: 2000 } });
    const reader = new ListingReader({ client, log, cacheTtlMs: 0 });
    const pairs = [['CAM-BASICA-P', 'CAM-BASICA-M'], ['CAM-BASICA-G', 'CAM-BASICA-GG'], ['VEL-AROMA', 'TOA-BANHO'], ['CAB-USBC', 'OCU-SOL'], ['CIN-COURO', 'SAB-NATURAL'], ['LAN-CAMPING', 'AVE-CANGA']];
    const results = await Promise.all(pairs.map((skus) => reader.listingsFor(skus)));
    for (const [index, listings] of results.entries()) {
      expect(listings.map((listing) => (listing as { sku: string }).sku)).toEqual(pairs[index]);
    }
    const calls = await control.calls();
    // The first burst overdrew the real bucket and was throttled; the retries waited for the refill.
    expect(calls.rateLimited).toBeGreaterThan(0);
    expect(calls.calls.filter((call) => !call.rateLimited && call.status === 200)).toHaveLength(pairs.length);

    // Shopify's answers told the limiter the real bucket: it no longer counts on 2000 points.
    expect(client.limiter.available).toBeLessThanOrEqual(100);
  });

  it('a new process takes the bucket as empty until Shopify reports it: after another drained it, nothing is throttled', async () => {
    // One hundred points refilled at 100/s; a two-SKU listing query asks for 75.
    const drained = createShopifySandbox({ throttle: { maximumAvailable: 100, restoreRate: 100 } });
    try {
      const baseUrl = await drained.listen();
      const control = new SandboxControlClient(baseUrl);
      const options = { baseUrl, shopDomain: drained.shopDomain, accessToken: drained.accessToken, log, baseDelayMs: 10 };
      // The process before the restart spent the bucket (it believed it full, and was throttled for it).
      const before = new ListingReader({ client: new ShopifyClient({ ...options, throttle: { maximumAvailable: 2000, restoreRate: 100, currentlyAvailable: 2000 } }), log, cacheTtlMs: 0 });
      await Promise.all([['CAM-BASICA-P', 'CAM-BASICA-M'], ['VEL-AROMA', 'TOA-BANHO']].map((skus) => before.listingsFor(skus)));
      await control.clearCalls();
      const client = new ShopifyClient(options);
      expect(client.limiter.known).toBe(false);
      const after = new ListingReader({ client, log, cacheTtlMs: 0 });
      const pairs = [['CAM-BASICA-G', 'CAM-BASICA-GG'], ['CAB-USBC', 'OCU-SOL'], ['CIN-COURO', 'SAB-NATURAL']];
      await Promise.all(pairs.map((skus) => after.listingsFor(skus)));
      const calls = await control.calls();
      expect(calls.rateLimited).toBe(0);
      // One probe of one point told the client what was left, before the first real query.
      expect(calls.calls.map((call) => call.operation)).toEqual(['PonteBucketProbe', ...pairs.map(() => 'ListingsBySku')]);
      expect(client.limiter.known).toBe(true);
    } finally {
      await drained.close();
    }
  });

  it('serves a recent copy of a listing while Shopify is down, and says so when it has none', async () => {
    const control = new SandboxControlClient(sandbox!.url!);
    const client = new ShopifyClient({ baseUrl: sandbox!.url!, shopDomain: sandbox!.shopDomain, accessToken: sandbox!.accessToken, log, baseDelayMs: 5, maxAttempts: 2 });
    const reader = new ListingReader({ client, log, cacheTtlMs: 0 });
    const [fresh] = await reader.listingsFor(['CAF-GRAOS-1KG']);
    expect(fresh).toMatchObject({ sku: 'CAF-GRAOS-1KG', price: { amountInCents: 8990, currency: 'BRL' } });
    await control.injectFault({ mode: 'error', status: 503 });
    try {
      const [stale, missing] = await reader.listingsFor(['CAF-GRAOS-1KG', 'CAF-MOIDO-500']);
      expect(stale).toEqual(fresh);
      expect(missing).toBeInstanceOf(Error);
      expect((missing as Error & { extensions: Record<string, unknown> }).extensions['code']).toBe('PLATFORM_UNAVAILABLE');
    } finally {
      await control.clearFaults();
    }
  });
});

describe('Shopify subgraph end to end (sandbox, inventory, catalog, gateway)', () => {
  let sandbox: ShopifySandbox;
  let control: SandboxControlClient;
  let ponte: RunningPonte;
  let shopify: ShopifySubgraph;
  let shopifyDb: TestDatabase;
  let webhookUrl: string;

  beforeAll(async () => {
    sandbox = createShopifySandbox({ webhookRetry: { initialDelayMs: 50, maxDelayMs: 500 } });
    const sandboxUrl = await sandbox.listen();
    control = new SandboxControlClient(sandboxUrl);
    ponte = await startPonte({
      extraSubgraphs: [
        platformSubgraph({
          name: 'shopify',
          sdl: shopifySdl(),
          database: 'shopify',
          create: ({ database, inventoryUrl, gatewaySecret, serviceKey }) =>
            createShopifySubgraph({
              database,
              log,
              gatewaySecret,
              serviceKey,
              inventoryUrl,
              channel: CHANNEL,
              shopify: { baseUrl: sandboxUrl, shopDomain: sandbox.shopDomain, accessToken: sandbox.accessToken, apiSecretKey: sandbox.apiSecretKey, baseDelayMs: 20, maxAttempts: 3 },
              // Long enough that no test depends on timing; tests that need a cold cache clear it.
              listingCacheTtlMs: 60_000,
              inbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
              reconciliation: { intervalMs: 0 },
              // These tests count Shopify calls and read seeded quantities; channel sync has its own tests.
              stockSync: false,
            }),
          started: async ({ subgraph, database: testDatabase, url }) => {
            shopify = subgraph;
            shopifyDb = testDatabase;
            const origin = new URL(url).origin;
            webhookUrl = `${origin}${WEBHOOK_PATH}`;
            expect(await shopify.registerWebhooks(origin)).toEqual(['orders/create', 'orders/cancelled', 'orders/fulfilled']);
            // Registering again finds them and creates nothing.
            expect(await shopify.registerWebhooks(origin)).toEqual([]);
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await ponte?.close();
    await sandbox?.close();
  });

  const viaGateway = <Data = any>(query: string, variables: Record<string, unknown> = {}) => graphql<Data>(ponte.gatewayUrl, query, variables);
  /** Straight to the inventory: what the canonical stock is, without the gateway's response cache in between. */
  const inventory = <Data = any>(query: string, variables: Record<string, unknown> = {}) =>
    graphql<Data>(ponte.inventoryUrl, query, variables, { [GATEWAY_SECRET_HEADER]: TEST_GATEWAY_SECRET });

  async function reservations(orderId: string): Promise<Array<{ id: string; status: string; lines: Array<{ sku: string; quantity: number; lineReference: string | null }> }>> {
    const result = await inventory<{ reservationsForOrder: any[] }>(
      'query($channel: ID!, $ref: String!) { reservationsForOrder(channel: $channel, orderReference: $ref) { id status lines { sku quantity lineReference } } }',
      { channel: CHANNEL, ref: orderId },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.reservationsForOrder;
  }

  async function levels(sku: string): Promise<{ onHand: number; committed: number }> {
    const result = await inventory<{ product: { stockLevels: Array<{ onHand: number; committed: number }> } }>('query($sku: ID!) { product(sku: $sku) { stockLevels { onHand committed } } }', { sku });
    const stock = result.data!.product.stockLevels;
    return { onHand: stock.reduce((sum, level) => sum + level.onHand, 0), committed: stock.reduce((sum, level) => sum + level.committed, 0) };
  }

  async function inboxSettled(): Promise<void> {
    await sandbox.webhooks.settled();
    await eventually(async () => (await shopify.inbox.pending()) === 0, 'the inbox to drain');
  }

  it('resolves Product entities in process (_entities)', async () => {
    const response = await shopify.server.apollo.executeOperation(
      { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { sku shopifyListing { sku: variantId title status platformStatus } } } }', variables: { r: [{ __typename: 'Product', sku: 'CAM-BASICA-M' }, { __typename: 'Product', sku: 'NOT-ON-SHOPIFY' }] } },
      { contextValue: shopify.context() },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    expect(result?.errors).toBeUndefined();
    expect(result?.data?.['_entities']).toEqual([
      { sku: 'CAM-BASICA-M', shopifyListing: { sku: expect.stringMatching(/^gid:\/\/shopify\/ProductVariant\/\d+$/), title: 'Camiseta Básica Algodão - M', status: 'ACTIVE', platformStatus: 'ACTIVE' } },
      { sku: 'NOT-ON-SHOPIFY', shopifyListing: null },
    ]);
  });

  it('a shopper order reserves, a cancellation releases, a fulfilment commits; each change reaches the gateway live', async () => {
    const sku = 'CAM-LINHO-P';
    const before = await levels(sku);
    const subscription = subscribe<{ stockChanged: { sku: string; kind: string; level: { committed: number } } }>(ponte.gatewayUrl, 'subscription($skus: [ID!]) { stockChanged(skus: $skus) { sku kind level { committed } } }', { skus: [sku] });
    try {
      await subscription.started;

      const order = await control.placeOrder([{ sku, quantity: 2 }]);
      expect((await subscription.next(20_000)).stockChanged).toMatchObject({ sku, kind: 'RESERVATION' });
      const [reservation] = await eventually(async () => {
        const found = await reservations(order.id);
        return found.length === 1 && found;
      }, 'the reservation');
      expect(reservation).toMatchObject({ status: 'OPEN', lines: [{ sku, quantity: 2, lineReference: expect.stringMatching(/^\d+$/) }] });
      expect(await levels(sku)).toEqual({ onHand: before.onHand, committed: before.committed + 2 });

      await control.cancelOrder(order.id);
      expect((await subscription.next(20_000)).stockChanged).toMatchObject({ sku, kind: 'RELEASE' });
      expect((await reservations(order.id))[0]!.status).toBe('RELEASED');
      expect(await levels(sku)).toEqual(before);

      const shipped = await control.placeOrder([{ sku, quantity: 3 }]);
      expect((await subscription.next(20_000)).stockChanged.kind).toBe('RESERVATION');
      await control.fulfilOrder(shipped.id);
      expect((await subscription.next(20_000)).stockChanged.kind).toBe('FULFILMENT');
      expect((await reservations(shipped.id))[0]!.status).toBe('FULFILLED');
      expect(await levels(sku)).toEqual({ onHand: before.onHand - 3, committed: before.committed });
    } finally {
      await subscription.close();
    }
  });

  it('refuses a webhook with a forged signature (401) and stores nothing', async () => {
    const orderId = 'gid://shopify/Order/999000111';
    const body = JSON.stringify({ id: 999000111, admin_graphql_api_id: orderId, cancelled_at: null, line_items: [{ id: 1, sku: 'VEL-AROMA', quantity: 5, fulfillment_status: null }] });
    const inboxRows = async () => (await shopifyDb.db.query<{ count: number }>('SELECT count(*)::int AS count FROM inbox_messages'))[0]!.count;
    const rowsBefore = await inboxRows();
    const before = await levels('VEL-AROMA');
    const send = (signature: string, payload = body) =>
      fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-event-id': `forged-${Math.random()}`, 'x-shopify-hmac-sha256': signature, 'x-shopify-shop-domain': sandbox.shopDomain },
        body: payload,
      });

    const wrongKey = await send(createHmac('sha256', 'not-the-app-secret').update(body).digest('base64'));
    expect(wrongKey.status).toBe(401);
    // Signed correctly, then tampered with: the quantity changed after signing.
    const tampered = await send(createHmac('sha256', sandbox.apiSecretKey).update(body).digest('base64'), body.replace('"quantity":5', '"quantity":50'));
    expect(tampered.status).toBe(401);
    const unsigned = await fetch(webhookUrl, { method: 'POST', headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-event-id': 'unsigned' }, body });
    expect(unsigned.status).toBe(401);

    expect(await inboxRows()).toBe(rowsBefore);
    expect(await reservations(orderId)).toEqual([]);
    expect(await levels('VEL-AROMA')).toEqual(before);
  });

  it('applies a duplicated delivery once', async () => {
    const sku = 'TOA-BANHO';
    const before = await levels(sku);
    await control.setDeliveryMode({ duplicate: true });
    try {
      const order = await control.placeOrder([{ sku, quantity: 1 }]);
      await eventually(async () => (await reservations(order.id)).length === 1, 'the reservation');
      await inboxSettled();
      const deliveries = (await control.deliveries()).deliveries.filter((delivery) => delivery.topic === 'orders/create' && delivery.body.includes(order.id));
      expect(deliveries.map((delivery) => [delivery.duplicate, delivery.status])).toEqual([[false, 200], [true, 200]]);
      expect(new Set(deliveries.map((delivery) => delivery.eventId)).size).toBe(1);
      // Stored under the delivery's X-Shopify-Webhook-Id, once for both copies.
      expect(deliveries[1]!.headers['X-Shopify-Webhook-Id']).toBe(deliveries[0]!.headers['X-Shopify-Webhook-Id']);
      const stored = await shopifyDb.db.query('SELECT id FROM inbox_messages WHERE delivery_id = $1', [deliveries[0]!.headers['X-Shopify-Webhook-Id']]);
      expect(stored).toHaveLength(1);
      expect(await reservations(order.id)).toHaveLength(1);
      expect(await levels(sku)).toEqual({ onHand: before.onHand, committed: before.committed + 1 });
    } finally {
      await control.setDeliveryMode({ duplicate: false });
    }
  });

  // One cancellation is two topics under one X-Shopify-Event-Id (https://shopify.dev/docs/apps/build/webhooks/verify-deliveries):
  // deduplicating on the event id would drop one of them; Ponte deduplicates on X-Shopify-Webhook-Id.
  it('applies both topics of one cancellation (one event id), and a redelivery of either once', async () => {
    const sku = 'CAM-BASICA-G';
    const before = await levels(sku);
    const updated = await control.subscribe('orders/updated', webhookUrl);
    try {
      const order = await control.placeOrder([{ sku, quantity: 2 }]);
      await eventually(async () => (await reservations(order.id)).length === 1, 'the reservation');
      await control.setDeliveryMode({ duplicate: true });
      await control.cancelOrder(order.id);
      await inboxSettled();

      const deliveries = (await control.deliveries()).deliveries.filter((delivery) => delivery.body.includes(order.id) && ['orders/cancelled', 'orders/updated'].includes(delivery.topic));
      expect(deliveries.map((delivery) => [delivery.topic, delivery.duplicate, delivery.status]).sort()).toEqual([
        ['orders/cancelled', false, 200],
        ['orders/cancelled', true, 200],
        ['orders/updated', false, 200],
        ['orders/updated', true, 200],
      ]);
      expect(new Set(deliveries.map((delivery) => delivery.headers['X-Shopify-Event-Id'])).size).toBe(1);
      const webhookIds = [...new Set(deliveries.map((delivery) => delivery.headers['X-Shopify-Webhook-Id']))];
      expect(webhookIds).toHaveLength(2);
      const stored = await shopifyDb.db.query<{ topic: string }>('SELECT topic FROM inbox_messages WHERE delivery_id = ANY($1::text[]) ORDER BY topic', [webhookIds]);
      expect(stored.map((row) => row.topic)).toEqual(['orders/cancelled', 'orders/updated']);
      expect((await reservations(order.id)).map((reservation) => reservation.status)).toEqual(['RELEASED']);
      expect(await levels(sku)).toEqual(before);
    } finally {
      await control.setDeliveryMode({ duplicate: false });
      const id = Number(updated.id.split('/').pop());
      sandbox.store.webhookSubscriptions.delete(id);
    }
  });

  it('a cancellation delivered before its order reserves nothing', async () => {
    const sku = 'LIV-RECEITAS';
    const before = await levels(sku);
    await control.setDeliveryMode({ hold: true });
    let orderId: string;
    try {
      const order = await control.placeOrder([{ sku, quantity: 2 }]);
      orderId = order.id;
      await control.cancelOrder(order.id);
    } finally {
      await control.setDeliveryMode({ hold: false });
    }
    // Ponte subscribes to orders/create and orders/cancelled (not orders/updated): the cancellation arrives first.
    expect((await control.releaseHeld('reverse')).released).toBe(2);
    await inboxSettled();
    const topics = (await shopifyDb.db.query<{ topic: string }>(`SELECT topic FROM inbox_messages WHERE payload->>'admin_graphql_api_id' = $1 ORDER BY id`, [orderId!])).map((row) => row.topic);
    expect(topics).toEqual(['orders/cancelled', 'orders/create']);
    expect(await shopify.orderSync.lineStates(orderId!)).toEqual([expect.objectContaining({ sku, state: 'RELEASED', reservationId: null })]);
    expect(await reservations(orderId!)).toEqual([]);
    expect(await levels(sku)).toEqual(before);
  });

  it('an order line whose SKU Ponte does not know becomes an exception, queryable through the gateway', async () => {
    const shopifyOnly: DemoProduct = { sku: 'KIT-PRESENTE-NATAL', parentSku: null, title: 'Kit Presente de Natal', brand: 'Casa Ponte', category: 'Casa', options: {}, priceCents: 9990, onHand: { 'cd-sao-paulo': 10 } };
    // The merchant created a product in Shopify admin that Ponte's catalog does not have.
    await control.seed({ products: [...demoProducts, shopifyOnly] });
    const order = await control.placeOrder([{ sku: 'KIT-PRESENTE-NATAL', quantity: 1 }, { sku: 'CAD-PONTILHADO', quantity: 1 }]);
    await eventually(async () => (await shopify.orderSync.exceptions()).some((exception) => exception.orderId === order.id), 'the exception to be recorded');
    // Asked once, after it exists: the gateway's response cache would keep an earlier empty answer (it is invalidated by stock events only).
    const result = await viaGateway<{ shopifyOrderExceptions: Array<Record<string, unknown>> }>('{ shopifyOrderExceptions { id orderId lineId sku quantity code message occurredAt resolvedAt } }');
    expect(result.errors).toBeUndefined();
    const exceptions = result.data!.shopifyOrderExceptions.filter((exception) => exception['orderId'] === order.id);
    expect(exceptions).toEqual([expect.objectContaining({ sku: 'KIT-PRESENTE-NATAL', quantity: 1, code: 'UNKNOWN_SKU', lineId: expect.stringMatching(/^\d+$/), resolvedAt: null })]);
    // The order's other line was reserved all the same.
    await eventually(async () => (await reservations(order.id)).some((reservation) => reservation.lines[0]?.sku === 'CAD-PONTILHADO'), 'the known line reserved');
  });

  it('reads the listings of 20 SKUs through the gateway with one Shopify call', async () => {
    const skus = demoProducts.slice(0, 20).map((product) => product.sku);
    shopify.listings.clearCache();
    await control.clearCalls();
    const result = await viaGateway<{ products: { nodes: Array<{ sku: string; title: string; shopifyListing: any }> } }>(
      `query($skus: [ID!]) { products(skus: $skus, first: 20) { nodes { sku title totalAvailable
        shopifyListing { variantId title price { amountInCents currency } quantity status category vendor url locations { name available committed } } } } }`,
      { skus },
    );
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.products.nodes;
    expect(nodes).toHaveLength(20);
    const listed = new Map((await control.stock()).map((entry) => [entry.sku, entry.quantity]));
    for (const node of nodes) {
      const product = demoProducts.find((candidate) => candidate.sku === node.sku)!;
      expect(node.shopifyListing).toMatchObject({ price: { amountInCents: product.priceCents, currency: 'BRL' }, quantity: listed.get(node.sku), status: 'ACTIVE', category: product.category, vendor: product.brand });
      expect(node.shopifyListing.url).toMatch(/^https:\/\/ponte-demo\.myshopify\.com\/products\//);
    }
    const calls = await control.calls();
    // The first query of the process is preceded by the one-point bucket probe.
    expect(calls.calls.map((call) => call.operation).filter((operation) => operation !== 'PonteBucketProbe')).toEqual(['ListingsBySku']);
  });

  it('while Shopify is down: listings degrade without breaking the query, and missed orders converge once it is back', async () => {
    shopify.listings.clearCache();
    await control.injectFault({ mode: 'error', status: 503 });
    try {
      const degraded = await viaGateway<{ product: { sku: string; title: string; totalAvailable: number; shopifyListing: unknown } }>(
        '{ product(sku: "CHA-ERVA-MATE") { sku title totalAvailable shopifyListing { quantity } } }',
      );
      expect(degraded.data!.product).toMatchObject({ sku: 'CHA-ERVA-MATE', title: 'Erva-Mate para Chimarrão 1kg', totalAvailable: expect.any(Number), shopifyListing: null });
      expect(degraded.errors?.[0]).toMatchObject({ extensions: expect.objectContaining({ code: 'PLATFORM_UNAVAILABLE' }) });

      // The order's webhooks never arrive (held: lost, as far as Ponte knows); reconciliation must find it.
      await control.setDeliveryMode({ hold: true });
      const sku = 'CAB-USBC';
      const before = await levels(sku);
      const order = await control.placeOrder([{ sku, quantity: 2 }]);
      await control.clearCalls();
      shopify.reconciler.start(200);
      await eventually(async () => (await control.calls()).failed >= 2, 'reconciliation to hit the outage');
      expect(await reservations(order.id)).toEqual([]);

      await control.clearFaults();
      await eventually(async () => (await reservations(order.id)).length === 1, 'reconciliation to converge', 30_000);
      expect(await levels(sku)).toEqual({ onHand: before.onHand, committed: before.committed + 2 });
      await shopify.reconciler.stop();

      // The late webhooks change nothing.
      await control.setDeliveryMode({ hold: false });
      await control.releaseHeld('fifo');
      await inboxSettled();
      expect(await reservations(order.id)).toHaveLength(1);
      expect(await levels(sku)).toEqual({ onHand: before.onHand, committed: before.committed + 2 });

      const recovered = await viaGateway('{ product(sku: "CHA-ERVA-MATE") { sku shopifyListing { quantity status } } }');
      expect(recovered.errors).toBeUndefined();
      expect(recovered.data).toMatchObject({ product: { shopifyListing: { status: 'ACTIVE', quantity: expect.any(Number) } } });
    } finally {
      await shopify.reconciler.stop();
      await control.clearFaults();
      await control.setDeliveryMode({ hold: false });
    }
  });
});
