import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { SANDBOX_SHOPPERS } from '../../sandboxes/common/shoppers.ts';
import { createShopifySandbox, type ShopifySandbox } from '../../sandboxes/shopify/shopify-sandbox.ts';
import { createShopifySubgraph, shopifySdl, type ShopifySubgraph } from '../../subgraphs/shopify/index.ts';
import { eventuallyDefined } from '../support/eventually.ts';
import { as, graphql, startPonte, TEST_KEYS, type RunningPonte } from '../support/ponte.ts';
import { subscribe } from '../support/subscriptions.ts';
import { platformSubgraph } from '../support/platform-subgraph.ts';

const log = createLogger('orders-e2e');

/**
 * A shopper's order on a platform becomes one canonical Order, read through the gateway with a real
 * credential: the Shopify sandbox sends the webhook, the Shopify subgraph reserves its lines in the
 * inventory and records it in the orders subgraph with its service key; the gateway joins the
 * order's lines to the catalog's titles and the inventory's reservations.
 */
describe('orders through the gateway', () => {
  let sandbox: ShopifySandbox;
  let control: SandboxControlClient;
  let ponte: RunningPonte;
  let shopify: ShopifySubgraph;

  beforeAll(async () => {
    sandbox = createShopifySandbox({ webhookRetry: { initialDelayMs: 50, maxDelayMs: 500 } });
    const sandboxUrl = await sandbox.listen();
    control = new SandboxControlClient(sandboxUrl);
    ponte = await startPonte({
      extraSubgraphs: [
        platformSubgraph({
          name: 'shopify',
          sdl: shopifySdl(),
          database: 'shopify_orders',
          create: ({ database, inventoryUrl, ordersUrl, gatewaySecret, serviceKey }) =>
            createShopifySubgraph({
              database,
              log,
              gatewaySecret,
              serviceKey,
              inventoryUrl,
              ordersUrl,
              shopify: { baseUrl: sandboxUrl, shopDomain: sandbox.shopDomain, accessToken: sandbox.accessToken, apiSecretKey: sandbox.apiSecretKey, baseDelayMs: 20, maxAttempts: 3 },
              inbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
              reconciliation: { intervalMs: 0 },
              stockSync: false,
            }),
          started: async ({ subgraph, url }) => {
            shopify = subgraph;
            await shopify.registerWebhooks(new URL(url).origin);
          },
        }),
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await ponte?.close();
    await sandbox?.close();
  });

  const ORDER = `query($id: String!) { orderOnChannel(channel: "shopify-br", platformOrderId: $id) {
    id platform platformOrderId status currency placedAt channel { id name }
    lines { lineId sku quantity status unitPrice { amountInCents currency } total { amountInCents } product { title } reservation { id status lines { location { id } quantity } order { platformOrderId } } }
    totals { subtotal { amountInCents } shipping { amountInCents } total { amountInCents } }
    shipTo { postalCode } statusHistory { status source } customer { id } } }`;

  it('records a platform order once, with its lines, prices, reservation and product title, and tells orderChanged', async () => {
    const changes = subscribe<{ orderChanged: { kind: string; status: string; order: { platformOrderId: string; lines: Array<{ sku: string }> } } }>(
      ponte.gatewayUrl,
      'subscription { orderChanged(channel: "shopify-br") { kind status order { platformOrderId lines { sku } } } }',
      {},
      { as: 'internal' },
    );
    await changes.started;
    const placed = await control.placeOrder([{ sku: 'CAM-LINHO-M', quantity: 2 }], { shopper: 1 });
    const order = await eventuallyDefined(async () => (await graphql<{ orderOnChannel: any }>(ponte.gatewayUrl, ORDER, { id: placed.id }, as('internal'))).data?.orderOnChannel ?? undefined, 'the order to be recorded');
    expect(order).toMatchObject({
      platform: 'shopify',
      platformOrderId: placed.id,
      status: 'OPEN',
      currency: 'BRL',
      channel: { id: 'shopify-br', name: 'Loja Shopify' },
      lines: [{ sku: 'CAM-LINHO-M', quantity: 2, status: 'OPEN', unitPrice: { amountInCents: 18990, currency: 'BRL' }, total: { amountInCents: 37980 }, product: { title: 'Camisa de Linho — M' }, reservation: { status: 'OPEN', order: { platformOrderId: placed.id } } }],
      // R$ 379,80 ships free (from R$ 199).
      totals: { subtotal: { amountInCents: 37980 }, shipping: { amountInCents: 0 }, total: { amountInCents: 37980 } },
      shipTo: { postalCode: SANDBOX_SHOPPERS[1]!.address.postalCode },
      statusHistory: [{ status: 'OPEN', source: 'shopify' }],
      // No customers subgraph here: the contact is dropped, no profile is named.
      customer: null,
    });
    expect(order.lines[0].reservation.lines.reduce((sum: number, line: { quantity: number }) => sum + line.quantity, 0)).toBe(2);
    const event = await changes.next(10_000);
    expect(event.orderChanged).toEqual({ kind: 'PLACED', status: 'OPEN', order: { platformOrderId: placed.id, lines: [{ sku: 'CAM-LINHO-M' }] } });

    // Fulfilled on Shopify: the order moves once, and orderChanged says so.
    await control.fulfilOrder(placed.id);
    const shipped = await changes.next(10_000);
    expect(shipped.orderChanged).toMatchObject({ kind: 'STATUS_CHANGED', status: 'FULFILLED' });
    const after = (await graphql<{ orderOnChannel: any }>(ponte.gatewayUrl, ORDER, { id: placed.id }, as('internal'))).data!.orderOnChannel;
    expect(after.statusHistory.map((change: { status: string }) => change.status)).toEqual(['OPEN', 'FULFILLED']);
    await changes.close();

    // The SKU lists the order, newest first; one order however often Shopify delivered it.
    const bySku = await graphql<{ product: { orders: { nodes: Array<{ platformOrderId: string }> } } }>(ponte.gatewayUrl, '{ product(sku: "CAM-LINHO-M") { orders(first: 5) { nodes { platformOrderId } } } }', {}, as('internal'));
    expect(bySku.data!.product.orders.nodes).toEqual([{ platformOrderId: placed.id }]);
    const [{ count }] = (await ponte.orders.db.query<{ count: number }>('SELECT count(*)::int AS count FROM orders')) as [{ count: number }];
    expect(count).toBe(1);
  });

  it('refuses a storefront key (no orders:read), and a partner recording an order, changing nothing', async () => {
    const storefront = await graphql(ponte.gatewayUrl, '{ orders { nodes { id } } }', {}, as('storefront'));
    expect(storefront.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(storefront.data ?? null).toBeNull();

    const [{ count: before }] = (await ponte.orders.db.query<{ count: number }>('SELECT count(*)::int AS count FROM orders')) as [{ count: number }];
    const input = { channel: 'pos-ipanema', platform: 'pos', platformOrderId: 'PDV-FORGED-1', status: 'FULFILLED', lines: [{ lineId: '1', sku: 'CAB-USBC', quantity: 1, unitPriceCents: 1 }] };
    const mutation = 'mutation($input: RecordChannelOrderInput!) { recordChannelOrder(input: $input) { outcome } }';
    const viaGateway = await graphql(ponte.gatewayUrl, mutation, { input }, as('partnerA'));
    expect(viaGateway.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    // Straight to the subgraph with the partner's key: only Ponte's services may skip the gateway.
    const direct = await fetch(ponte.ordersUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEYS.partnerA}` }, body: JSON.stringify({ query: mutation, variables: { input } }) });
    expect(direct.status).toBe(401);
    const [{ count: after }] = (await ponte.orders.db.query<{ count: number }>('SELECT count(*)::int AS count FROM orders')) as [{ count: number }];
    expect(after).toBe(before);

    // A storefront cannot follow orders either.
    const refused = subscribe(ponte.gatewayUrl, 'subscription { orderChanged { id } }', {}, { as: 'storefront' });
    await expect(refused.next(5000)).rejects.toBeDefined();
    await refused.close();
  });
});
