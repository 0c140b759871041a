import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../demo/catalog.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createWooCommerceSandbox, type WooCommerceSandbox } from '../../sandboxes/woocommerce/woocommerce-sandbox.ts';
import { graphql, startPonte, type RunningPonte } from '../../test/support/ponte.ts';
import { subscribe } from '../../test/support/subscriptions.ts';
import { createLogger } from '../../kit/logger.ts';
import { createWooCommerceSubgraph, WEBHOOK_PATH, woocommerceSdl, type WooCommerceSubgraph } from './index.ts';
import { WooCommerceApiError, WooCommerceClient } from './client.ts';
import { eventually } from '../../test/support/eventually.ts';
import { platformSubgraph } from '../../test/support/platform-subgraph.ts';

/**
 * End to end over real sockets: the WooCommerce sandbox, inventory + catalog + this subgraph,
 * and the gateway. Orders are placed as a shopper would (sandbox control API) and arrive as the
 * store's signed webhooks.
 */
const CHANNEL = 'woocommerce-br';
const WAREHOUSE = 'cd-sao-paulo';

let sandbox: WooCommerceSandbox;
let control: SandboxControlClient;
let ponte: RunningPonte;
let woo: WooCommerceSubgraph;
let subgraphOrigin: string;

beforeAll(async () => {
  sandbox = createWooCommerceSandbox();
  control = new SandboxControlClient(await sandbox.listen(0, '127.0.0.1'));
  ponte = await startPonte({
    extraSubgraphs: [
      platformSubgraph({
        name: 'woocommerce',
        sdl: woocommerceSdl(),
        database: 'woocommerce',
        create: ({ database, inventoryUrl, gatewaySecret, serviceKey }) =>
          createWooCommerceSubgraph({
            database,
            log: createLogger('test'),
            gatewaySecret,
            serviceKey,
            inventoryUrl,
            store: { storeUrl: sandbox.url, consumerKey: 'ck_sandbox', consumerSecret: 'cs_sandbox', baseDelayMs: 20 },
            // Sweeps run only where a test starts them, so every other test sees webhooks alone.
            reconcileIntervalMs: 0,
            inboxPollIntervalMs: 100,
            // These tests count store calls and place orders against the seeded quantities; channel sync has its own file.
            stockSync: false,
          }),
        started: async ({ subgraph, url }) => {
          woo = subgraph;
          subgraphOrigin = new URL(url).origin;
          await woo.registerWebhooks(subgraphOrigin);
        },
      }),
    ],
  });
});

afterAll(async () => {
  await ponte?.close();
  await sandbox?.close();
});

afterEach(async () => {
  await control.setDeliveryMode({ duplicate: false, hold: false });
  await control.clearFaults();
  await woo.reconciler.stop();
});

/** Waits until the sandbox has delivered every webhook and the inbox has applied every message. */
async function settle(): Promise<void> {
  await sandbox.webhooks.settled();
  await eventually(async () => { await woo.inbox.drain(); return woo.inbox.pending(); }, (pending) => pending === 0, 'inbox drained');
}

interface ReservationView {
  id: string;
  status: string;
  lines: Array<{ sku: string; quantity: number; lineReference: string | null; location: { id: string } }>;
}

async function reservationsFor(orderId: string): Promise<ReservationView[]> {
  const result = await graphql<{ reservationsForOrder: ReservationView[] }>(
    ponte.gatewayUrl,
    'query($channel: ID!, $order: String!) { reservationsForOrder(channel: $channel, orderReference: $order) { id status lines { sku quantity lineReference location { id } } } }',
    { channel: CHANNEL, order: orderId },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.reservationsForOrder;
}

async function levelOf(sku: string): Promise<{ onHand: number; committed: number }> {
  const result = await graphql<{ product: { stockLevels: Array<{ onHand: number; committed: number }> } }>(
    ponte.gatewayUrl,
    'query($sku: ID!, $at: [ID!]) { product(sku: $sku) { stockLevels(locations: $at) { onHand committed } } }',
    { sku, at: [WAREHOUSE] },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.product.stockLevels[0]!;
}

const hasStatus = (status: string) => (reservations: ReservationView[]) => reservations.length === 1 && reservations[0]!.status === status;

async function inboxRowsFor(orderId: string): Promise<number> {
  const [row] = await woo.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM inbox_messages WHERE payload->>'id' = $1`, [orderId]);
  return row!.count;
}

describe('orders from WooCommerce become canonical reservations', () => {
  it('reserves a paid order, commits it when completed, releases a cancelled one, and the gateway streams each change', async () => {
    const sku = 'CAF-GRAOS-1KG';
    const subscription = subscribe<{ stockChanged: { sku: string; kind: string; level: { committed: number; onHand: number; location: { id: string } } } }>(
      ponte.gatewayUrl,
      `subscription($skus: [ID!]) { stockChanged(skus: $skus) { sku kind level { committed onHand location { id } } } }`,
      { skus: [sku] },
    );
    try {
      await subscription.started;
      const before = await levelOf(sku);

      const shipped = await control.placeOrder([{ sku, quantity: 2 }]);
      const [reservation] = await eventually(() => reservationsFor(shipped.id), hasStatus('OPEN'), 'reservation of the paid order');
      expect(reservation!.lines).toEqual([expect.objectContaining({ sku, quantity: 2, location: { id: WAREHOUSE } })]);
      expect((await subscription.next(20_000)).stockChanged).toMatchObject({ sku, kind: 'RESERVATION', level: { committed: before.committed + 2, onHand: before.onHand, location: { id: WAREHOUSE } } });

      await control.fulfilOrder(shipped.id);
      await eventually(() => reservationsFor(shipped.id), hasStatus('FULFILLED'), 'completed order committed');
      expect((await subscription.next(20_000)).stockChanged).toMatchObject({ kind: 'FULFILMENT', level: { committed: before.committed, onHand: before.onHand - 2 } });

      const cancelled = await control.placeOrder([{ sku, quantity: 1 }]);
      await eventually(() => reservationsFor(cancelled.id), hasStatus('OPEN'), 'reservation of the second order');
      expect((await subscription.next(20_000)).stockChanged).toMatchObject({ kind: 'RESERVATION', level: { committed: before.committed + 1 } });
      await control.cancelOrder(cancelled.id);
      await eventually(() => reservationsFor(cancelled.id), hasStatus('RELEASED'), 'cancelled order released');
      expect((await subscription.next(20_000)).stockChanged).toMatchObject({ kind: 'RELEASE', level: { committed: before.committed, onHand: before.onHand - 2 } });
    } finally {
      await subscription.close();
    }
  });

  it('refuses a webhook with a forged or missing signature with 401 and stores nothing', async () => {
    const body = JSON.stringify({ id: 990001, status: 'processing', line_items: [{ id: 1, product_id: 1, variation_id: 0, sku: 'CAF-MOIDO-500', quantity: 3 }] });
    const before = await levelOf('CAF-MOIDO-500');
    const [{ count: storedBefore }] = (await woo.db.query<{ count: number }>('SELECT count(*)::int AS count FROM inbox_messages')) as [{ count: number }];
    const post = (headers: Record<string, string>) => fetch(`${subgraphOrigin}${WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created', ...headers }, body });

    const forged = await post({ 'x-wc-webhook-signature': createHmac('sha256', 'not-the-secret').update(body).digest('base64') });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    expect((await post({})).status).toBe(401);

    // WooCommerce's unsigned ping on webhook creation is acknowledged, and carries nothing to store.
    const ping = await fetch(`${subgraphOrigin}${WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'webhook_id=7' });
    expect(ping.status).toBe(200);

    const [{ count: storedAfter }] = (await woo.db.query<{ count: number }>('SELECT count(*)::int AS count FROM inbox_messages')) as [{ count: number }];
    expect(storedAfter).toBe(storedBefore);
    expect(await reservationsFor('990001')).toEqual([]);
    expect(await levelOf('CAF-MOIDO-500')).toEqual(before);

    // The same body signed with the webhook's secret is accepted: the check is the signature, nothing else.
    const genuine = await post({ 'x-wc-webhook-signature': createHmac('sha256', woo.webhookSecret).update(body).digest('base64') });
    expect(genuine.status).toBe(200);
    await eventually(() => reservationsFor('990001'), hasStatus('OPEN'), 'genuinely signed order reserved');
  });

  it('applies a webhook delivered twice once', async () => {
    const sku = 'XIC-PORCELANA';
    const before = await levelOf(sku);
    await control.setDeliveryMode({ duplicate: true });
    const order = await control.placeOrder([{ sku, quantity: 3 }]);
    await settle();

    const deliveries = (await control.deliveries()).deliveries.filter((delivery) => JSON.parse(delivery.body).id === Number(order.id));
    expect(deliveries.filter((delivery) => delivery.ok)).toHaveLength(2);
    expect(await reservationsFor(order.id)).toEqual([expect.objectContaining({ status: 'OPEN', lines: [expect.objectContaining({ quantity: 3 })] })]);
    expect((await levelOf(sku)).committed).toBe(before.committed + 3);
    // The duplicate carried a new delivery id, as WooCommerce's would; the content key caught it.
    expect(await inboxRowsFor(order.id)).toBe(1);
  });

  it('reserves nothing for an order whose cancellation arrives before its creation', async () => {
    const sku = 'PRA-CERAMICA';
    const before = await levelOf(sku);
    await control.setDeliveryMode({ hold: true });
    const order = await control.placeOrder([{ sku, quantity: 2 }]);
    await control.cancelOrder(order.id);
    expect((await control.releaseHeld('reverse')).released).toBe(2);
    await settle();

    expect(await reservationsFor(order.id)).toEqual([]);
    expect(await woo.orderSync.lineStates(order.id)).toEqual([expect.objectContaining({ sku, state: 'RELEASED', reservationId: null })]);
    expect(await levelOf(sku)).toEqual(before);
  });

  // WooCommerce core puts stock back on `cancelled` and `pending` only (wc_maybe_increase_stock_levels,
  // plugins/woocommerce/includes/wc-stock-functions.php): a reservation follows the store's stock.
  it('keeps the reservation of a refunded or failed order, as the store keeps its stock, and releases it when the order goes back to pending', async () => {
    const sku = 'SAB-NATURAL';
    const basic = `Basic ${Buffer.from('ck_sandbox:cs_sandbox').toString('base64')}`;
    const setStatus = (id: string, status: string) => fetch(`${sandbox.url}/wp-json/wc/v3/orders/${id}`, { method: 'PUT', headers: { Authorization: basic, 'Content-Type': 'application/json' }, body: JSON.stringify({ status }) });
    const before = await levelOf(sku);
    const storeBefore = (await control.quantityOf(sku)) as number;

    const order = await control.placeOrder([{ sku, quantity: 2 }]);
    await eventually(() => reservationsFor(order.id), hasStatus('OPEN'), 'reservation of the paid order');
    for (const status of ['refunded', 'failed']) {
      expect((await setStatus(order.id, status)).status).toBe(200);
      await settle();
      expect(await reservationsFor(order.id)).toEqual([expect.objectContaining({ status: 'OPEN' })]);
      expect(await control.quantityOf(sku)).toBe(storeBefore - 2);
    }
    expect((await setStatus(order.id, 'pending')).status).toBe(200);
    await settle();
    expect(await control.quantityOf(sku)).toBe(storeBefore);
    await eventually(() => reservationsFor(order.id), hasStatus('RELEASED'), 'pending order released');
    expect(await levelOf(sku)).toEqual(before);
  });

  it('leaves no cancellation behind for an order that is pending before it is paid', async () => {
    const orderId = 'pending-then-paid-1';
    const lines = [{ lineId: '1', sku: 'SAB-NATURAL', quantity: 1 }];
    const { applyWooOrder } = await import('./dictionary.ts');
    await applyWooOrder(woo.orderSync, { orderId, status: 'CANCELLED', lines, onlyIfHeld: true });
    expect(await woo.orderSync.lineStates(orderId)).toEqual([]);
    await applyWooOrder(woo.orderSync, { orderId, status: 'OPEN', lines });
    expect(await woo.orderSync.lineStates(orderId)).toEqual([expect.objectContaining({ state: 'RESERVED' })]);
    await applyWooOrder(woo.orderSync, { orderId, status: 'CANCELLED', lines, onlyIfHeld: true });
    expect(await woo.orderSync.lineStates(orderId)).toEqual([expect.objectContaining({ state: 'RELEASED' })]);
  });

  it('records a line whose SKU Ponte does not know as an exception, queryable through the gateway', async () => {
    // The merchant renamed a SKU in wp-admin only: the store sells a SKU the canonical catalog lacks.
    const basic = `Basic ${Buffer.from('ck_sandbox:cs_sandbox').toString('base64')}`;
    const [product] = (await (await fetch(`${sandbox.url}/wp-json/wc/v3/products?sku=LAN-CAMPING`, { headers: { Authorization: basic } })).json()) as Array<{ id: number }>;
    const renamed = await fetch(`${sandbox.url}/wp-json/wc/v3/products/${product!.id}`, { method: 'PUT', headers: { Authorization: basic, 'Content-Type': 'application/json' }, body: JSON.stringify({ sku: 'LAN-CAMPING-WOO' }) });
    expect(renamed.status).toBe(200);

    const order = await control.placeOrder([{ sku: 'LAN-CAMPING-WOO', quantity: 1 }, { sku: 'CAD-PONTILHADO', quantity: 1 }]);
    await settle();

    const result = await eventually(
      () => graphql<{ wooCommerceOrderExceptions: Array<Record<string, unknown>> }>(ponte.gatewayUrl, '{ wooCommerceOrderExceptions(first: 10) { id orderId lineId sku quantity code message occurredAt resolvedAt } }'),
      (answer) => (answer.data?.wooCommerceOrderExceptions ?? []).some((exception) => exception['orderId'] === order.id),
      'exception listed',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.wooCommerceOrderExceptions.find((exception) => exception['orderId'] === order.id)).toMatchObject({
      sku: 'LAN-CAMPING-WOO',
      quantity: 1,
      code: 'UNKNOWN_SKU',
      message: expect.stringContaining('LAN-CAMPING-WOO'),
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      resolvedAt: null,
    });
    // The order's other line is reserved as usual.
    expect(await reservationsFor(order.id)).toEqual([expect.objectContaining({ status: 'OPEN', lines: [expect.objectContaining({ sku: 'CAD-PONTILHADO' })] })]);
  });
});

// Some hosts drop the Authorization header; WooCommerce then sees no key and the endpoint answers
// its permission error. Its docs' remedy: the key and secret in the query string, over HTTPS only.
describe('a host that strips the Authorization header', () => {
  afterEach(() => {
    sandbox.host.stripAuthorizationHeader = false;
  });

  /** A client for an HTTPS store whose requests reach the (plain HTTP) sandbox. */
  const httpsClient = (consumerSecret = 'cs_sandbox') =>
    new WooCommerceClient({
      storeUrl: 'https://loja.example.com.br',
      consumerKey: 'ck_sandbox',
      consumerSecret,
      baseDelayMs: 5,
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        return fetch(`${sandbox.url}${url.pathname}${url.search}`, init);
      },
    });

  it('is answered with the query-string key after the first refusal, and every later call goes that way', async () => {
    const setHost = await fetch(`${sandbox.url}/_sandbox/host`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ stripAuthorizationHeader: true }) });
    expect(await setHost.json()).toEqual({ stripAuthorizationHeader: true });
    await control.clearCalls();
    const client = httpsClient();

    expect((await client.productsBySku(['CAF-MOIDO-500'])).map((product) => product.sku)).toEqual(['CAF-MOIDO-500']);
    expect((await client.productsBySku(['XIC-PORCELANA'])).map((product) => product.sku)).toEqual(['XIC-PORCELANA']);
    const calls = (await control.calls()).calls.filter((call) => call.path === '/wp-json/wc/v3/products');
    expect(calls.map((call) => [call.status, new URLSearchParams(call.query).has('consumer_key')])).toEqual([
      [401, false],
      [200, true],
      [200, true],
    ]);
  });

  it('still reports a refused key, and plain HTTP keeps OAuth 1.0a', async () => {
    sandbox.host.stripAuthorizationHeader = true;
    const refused = await httpsClient('cs_wrong').productsBySku(['CAF-MOIDO-500']).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WooCommerceApiError);
    expect(refused).toMatchObject({ status: 401, code: 'woocommerce_rest_authentication_error', message: expect.stringContaining('Consumer secret is invalid') });

    await control.clearCalls();
    const overHttp = new WooCommerceClient({ storeUrl: sandbox.url, consumerKey: 'ck_sandbox', consumerSecret: 'cs_sandbox' });
    expect(await overHttp.productsBySku(['CAF-MOIDO-500'])).toHaveLength(1);
    const [call] = (await control.calls()).calls;
    expect(new URLSearchParams(call!.query).get('oauth_signature_method')).toBe('HMAC-SHA256');
    expect(new URLSearchParams(call!.query).has('consumer_secret')).toBe(false);
  });
});

describe('webhook registration', () => {
  it('re-activates the webhooks WooCommerce disabled after failed deliveries, without duplicating them', async () => {
    const basic = `Basic ${Buffer.from('ck_sandbox:cs_sandbox').toString('base64')}`;
    const listWebhooks = async () => (await (await fetch(`${sandbox.url}/wp-json/wc/v3/webhooks?status=all`, { headers: { Authorization: basic } })).json()) as Array<{ id: number; topic: string; status: string; delivery_url: string }>;
    const mine = (await listWebhooks()).filter((webhook) => webhook.delivery_url === `${subgraphOrigin}${WEBHOOK_PATH}`);
    expect(mine.map((webhook) => webhook.topic).sort()).toEqual(['order.created', 'order.updated']);
    for (const webhook of mine) sandbox.store.webhooks.get(webhook.id)!.status = 'disabled';

    const ensured = await woo.registerWebhooks(subgraphOrigin);
    expect(ensured.map((webhook) => webhook.id).sort()).toEqual(mine.map((webhook) => webhook.id).sort());
    const after = (await listWebhooks()).filter((webhook) => webhook.delivery_url === `${subgraphOrigin}${WEBHOOK_PATH}`);
    expect(after.map((webhook) => webhook.status)).toEqual(['active', 'active']);
  });
});

describe('when the store is down', () => {
  it('answers the rest of the query and reports the listing as PLATFORM_UNAVAILABLE', async () => {
    woo.listings.clearCache();
    await control.injectFault({ mode: 'error', status: 503, pathPrefix: '/wp-json/wc/v3/products' });
    const query = '{ product(sku: "CAF-MOIDO-500") { sku title totalAvailable wooCommerceListing { title quantity } } }';
    const degraded = await graphql<{ product: Record<string, unknown> }>(ponte.gatewayUrl, query);
    expect(degraded.data!.product).toMatchObject({ sku: 'CAF-MOIDO-500', title: 'Café Torrado e Moído 500g', totalAvailable: expect.any(Number), wooCommerceListing: null });
    expect(degraded.errors?.[0]?.extensions).toMatchObject({ code: 'PLATFORM_UNAVAILABLE' });

    await control.clearFaults();
    const recovered = await graphql<{ product: { wooCommerceListing: { title: string; quantity: number } | null } }>(ponte.gatewayUrl, query);
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data!.product.wooCommerceListing).toEqual({ title: 'Café Torrado e Moído 500g', quantity: await control.quantityOf('CAF-MOIDO-500') });
  });

  it('recovers an order whose webhook was lost by sweeping orders, retrying until the store answers', async () => {
    const sku = 'VEL-AROMA';
    // Held webhooks stand for deliveries WooCommerce made once, failed, and never retried.
    await control.setDeliveryMode({ hold: true });
    const order = await control.placeOrder([{ sku, quantity: 2 }]);
    await control.injectFault({ mode: 'error', status: 503, pathPrefix: '/wp-json/wc/v3/orders', calls: 7 });
    await control.clearCalls();

    woo.reconciler.start(200);
    await eventually(() => reservationsFor(order.id), hasStatus('OPEN'), 'order recovered by the sweep', 40_000);
    await woo.reconciler.stop();
    const orderCalls = (await control.calls()).calls.filter((call) => call.path.startsWith('/wp-json/wc/v3/orders'));
    expect(orderCalls.filter((call) => call.fault !== null)).toHaveLength(7);
    expect(orderCalls.at(-1)?.status).toBe(200);

    // The lost webhook turning up late changes nothing.
    await control.setDeliveryMode({ hold: false });
    await control.releaseHeld('fifo');
    await settle();
    expect(await reservationsFor(order.id)).toEqual([expect.objectContaining({ status: 'OPEN', lines: [expect.objectContaining({ sku, quantity: 2 })] })]);
    expect(await inboxRowsFor(order.id)).toBe(1);
  });
});

describe('listings', () => {
  const skus = demoProducts.slice(0, 20).map((product) => product.sku);
  const LISTINGS = `query($skus: [ID!]) { products(skus: $skus, first: 20) { nodes { sku title
    wooCommerceListing { sku kind productId variationId title price { amountInCents currency } status platformStatus url quantity managesStock stockStatus } } } }`;

  it('reads the listings of 20 products through the gateway with one platform call, then from the cache', async () => {
    expect(skus.some((sku) => demoProducts.find((product) => product.sku === sku)!.parentSku !== null)).toBe(true);
    woo.listings.clearCache();
    await control.clearCalls();

    const result = await graphql<{ products: { nodes: Array<{ sku: string; wooCommerceListing: Record<string, any> | null }> } }>(ponte.gatewayUrl, LISTINGS, { skus });
    expect(result.errors).toBeUndefined();
    const calls = (await control.calls()).calls;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/wp-json/wc/v3/products', status: 200 });

    const stock = new Map((await control.stock()).map((entry) => [entry.sku, entry.quantity]));
    expect(result.data!.products.nodes).toHaveLength(20);
    for (const node of result.data!.products.nodes) {
      const demo = demoProducts.find((product) => product.sku === node.sku)!;
      expect(node.wooCommerceListing).toMatchObject({
        sku: node.sku,
        kind: demo.parentSku ? 'VARIATION' : 'SIMPLE_PRODUCT',
        variationId: demo.parentSku ? expect.any(String) : null,
        price: { amountInCents: demo.priceCents, currency: 'BRL' },
        status: 'ACTIVE',
        platformStatus: 'publish',
        url: expect.stringMatching(/^http/),
        quantity: stock.get(node.sku),
        managesStock: true,
      });
    }

    await graphql(ponte.gatewayUrl, LISTINGS, { skus });
    expect((await control.calls()).total).toBe(1);
  });

  it("reads variations' categories from their parents in one more call", async () => {
    woo.listings.clearCache();
    await control.clearCalls();
    const result = await graphql<{ products: { nodes: Array<{ sku: string; wooCommerceListing: { category: string } }> } }>(
      ponte.gatewayUrl,
      'query($skus: [ID!]) { products(skus: $skus, first: 20) { nodes { sku wooCommerceListing { category categories } } } }',
      { skus },
    );
    expect(result.errors).toBeUndefined();
    for (const node of result.data!.products.nodes) expect(node.wooCommerceListing.category).toBe(demoProducts.find((product) => product.sku === node.sku)!.category);
    const calls = (await control.calls()).calls;
    expect(calls.map((call) => call.query.includes('include='))).toEqual([false, true]);
  });

  it('resolves Product references in-process (_entities)', async () => {
    const response = await woo.server.apollo.executeOperation(
      {
        query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { sku wooCommerceListing { sku kind } } } }',
        variables: { representations: [{ __typename: 'Product', sku: 'CAF-MOIDO-500' }, { __typename: 'Product', sku: 'NOT-ON-WOO' }] },
      },
      { contextValue: woo.context() },
    );
    expect(response.body.kind).toBe('single');
    const single = (response.body as { singleResult: { data?: unknown; errors?: unknown } }).singleResult;
    expect(single.errors).toBeUndefined();
    expect(single.data).toEqual({ _entities: [{ sku: 'CAF-MOIDO-500', wooCommerceListing: { sku: 'CAF-MOIDO-500', kind: 'SIMPLE_PRODUCT' } }, { sku: 'NOT-ON-WOO', wooCommerceListing: null }] });
  });
});
