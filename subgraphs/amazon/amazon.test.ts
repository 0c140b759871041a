import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../demo/catalog.ts';
import { createAmazonSandbox, type AmazonSandbox } from '../../sandboxes/amazon/amazon-sandbox.ts';
import { defaultSeedFor } from '../../sandboxes/common/catalog.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { graphql, startPonte, type RunningPonte } from '../../test/support/ponte.ts';
import { subscribe } from '../../test/support/subscriptions.ts';
import { createLogger } from '../../kit/logger.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { channelOrdersFrom, dictionaryTable, listingFromItem, orderSnapshot, shopperContactOf, type AmazonOrder } from './dictionary.ts';
import { AmazonClient } from './client.ts';
import { amazonSdl, createAmazonSubgraph, type AmazonSubgraph, type AmazonSubgraphOptions } from './index.ts';
import { AMAZON_ORDER_TOPIC, fromOrdersV0Snapshot, ORDERS_WATERMARK_STATE } from './orders.ts';
import { eventually } from '../../test/support/eventually.ts';

/**
 * End to end through real sockets: the Amazon sandbox, the inventory, catalog and Amazon
 * subgraphs and the gateway. Orders are polled by calling `pollOnce()` (Amazon sends no order
 * webhooks); the last test restarts the subgraph with its timer-driven poller on.
 */

const OVERLAP_MS = 120_000;
/** A SKU listed on Amazon that Ponte's catalogue does not have. */
const AMAZON_ONLY_SKU = 'KIT-PRESENTE-AMZ';
/** Large buckets on both sides: the tests poll far more often than searchOrders' one per 179 s. */
const TEST_RATE_LIMITS = { searchOrders: { rate: 20, burst: 200 }, getOrder: { rate: 20, burst: 200 }, searchListingsItems: { rate: 20, burst: 50 } };
const log = createLogger('amazon-test');

let sandbox: AmazonSandbox;
let control: SandboxControlClient;
let ponte: RunningPonte;
let database: TestDatabase;
let amazon: AmazonSubgraph;
let amazonPort: number;
let inventoryUrl: string;
let gatewaySecret: string;
let serviceKey: string | undefined;

function subgraphOptions(db: AmazonSubgraphOptions['database'], intervalMs: number | false): AmazonSubgraphOptions {
  return {
    database: db,
    log,
    gatewaySecret,
    serviceKey,
    inventoryUrl,
    amazon: {
      baseUrl: sandbox.url,
      lwa: { tokenUrl: `${sandbox.url}/auth/o2/token`, ...sandbox.lwa },
      sellerId: sandbox.sellerId,
      marketplaceId: sandbox.marketplaceId,
      rateLimits: TEST_RATE_LIMITS,
      retryBaseDelayMs: 20,
      interactive: { timeoutMs: 2000, maxAttempts: 2 },
      background: { timeoutMs: 2000, maxAttempts: 3 },
    },
    polling: { intervalMs, overlapMs: OVERLAP_MS },
    inboxPollIntervalMs: 100,
    // These tests read the sandbox's own quantities; channel sync has its own file.
    stockSync: false,
  };
}

beforeAll(async () => {
  const seed = defaultSeedFor('AMAZON');
  sandbox = createAmazonSandbox({
    seed: { ...seed, products: [...demoProducts, { sku: AMAZON_ONLY_SKU, parentSku: null, title: 'Kit Presente (só Amazon)', brand: 'Casa Ponte', category: 'Casa', options: {}, priceCents: 9990, onHand: { 'cd-sao-paulo': 10 } }] },
    rateLimits: TEST_RATE_LIMITS,
  });
  control = new SandboxControlClient(await sandbox.listen());
  database = await createTestDatabase('amazon');
  ponte = await startPonte({
    extraSubgraphs: [
      {
        name: 'amazon',
        sdl: amazonSdl(),
        async start(context) {
          inventoryUrl = context.inventoryUrl;
          gatewaySecret = context.gatewaySecret;
          serviceKey = context.serviceKey;
          amazon = await createAmazonSubgraph(subgraphOptions(database.db, false));
          const url = await amazon.server.listen(0, '127.0.0.1');
          amazonPort = Number(new URL(url).port);
          return { url, close: () => amazon.close() };
        },
      },
    ],
  });
});

afterAll(async () => {
  await ponte?.close();
  await database?.drop();
  await sandbox?.close();
});

// ---- helpers ----

/** Polls Amazon and waits until every order snapshot received so far has been applied. */
async function sync(): Promise<void> {
  await amazon.poller.pollOnce();
  await amazon.inbox.drain();
}

/** Reads the inventory directly (as a trusted service), past the gateway's response cache. */
async function inventory<Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const result = await graphql<Data>(inventoryUrl, query, variables, { [GATEWAY_SECRET_HEADER]: gatewaySecret });
  expect(result.errors).toBeUndefined();
  return result.data!;
}

async function levels(sku: string): Promise<{ onHand: number; committed: number }> {
  const data = await inventory<{ product: { stockLevels: Array<{ onHand: number; committed: number }> } }>('query($sku: ID!) { product(sku: $sku) { stockLevels { onHand committed } } }', { sku });
  return data.product.stockLevels.reduce((sum, level) => ({ onHand: sum.onHand + level.onHand, committed: sum.committed + level.committed }), { onHand: 0, committed: 0 });
}

async function reservationsFor(orderId: string): Promise<Array<{ status: string; lines: Array<{ sku: string; quantity: number; lineReference: string | null }> }>> {
  const data = await inventory<{ reservationsForOrder: Array<{ status: string; lines: Array<{ sku: string; quantity: number; lineReference: string | null }> }> }>(
    'query($ref: String!) { reservationsForOrder(channel: "amazon-br", orderReference: $ref) { status lines { sku quantity lineReference } } }',
    { ref: orderId },
  );
  return data.reservationsForOrder;
}

/** The order as getOrder (v2026-01-01) shows it now, reduced to the snapshot the inbox stores. */
async function amazonOrder(orderId: string): Promise<ReturnType<typeof orderSnapshot>> {
  return orderSnapshot(await amazon.client.order(orderId));
}

// ---- tests ----

describe('Amazon orders become canonical stock operations', () => {
  it('reserves a placed order, releases it when cancelled and commits it when shipped, with stockChanged at the gateway', async () => {
    const sku = 'CAB-USBC';
    const subscription = subscribe<{ stockChanged: { sku: string; kind: string; level: { committed: number } } }>(
      ponte.gatewayUrl,
      'subscription($skus: [ID!]) { stockChanged(skus: $skus) { sku kind level { committed } } }',
      { skus: [sku] },
    );
    /** The next event of this kind (a line split over two locations publishes one event per location). */
    const nextEvent = async (kind: string) => {
      for (;;) {
        const event = (await subscription.next(15_000)).stockChanged;
        if (event.kind === kind) return event;
      }
    };
    await subscription.started;
    const before = await levels(sku);

    const placed = await control.placeOrder([{ sku, quantity: 2 }]);
    await sync();
    expect(await reservationsFor(placed.id)).toEqual([{ status: 'OPEN', lines: [expect.objectContaining({ sku, quantity: 2 })] }]);
    expect((await levels(sku)).committed).toBe(before.committed + 2);
    expect(await nextEvent('RESERVATION')).toMatchObject({ sku });

    await control.cancelOrder(placed.id);
    await sync();
    expect((await reservationsFor(placed.id))[0]?.status).toBe('RELEASED');
    expect(await levels(sku)).toEqual(before);
    expect(await nextEvent('RELEASE')).toMatchObject({ sku });

    const shipped = await control.placeOrder([{ sku, quantity: 3 }]);
    await sync();
    await nextEvent('RESERVATION');
    await control.fulfilOrder(shipped.id);
    await sync();
    expect((await reservationsFor(shipped.id))[0]?.status).toBe('FULFILLED');
    expect(await levels(sku)).toEqual({ onHand: before.onHand - 3, committed: before.committed });
    expect(await nextEvent('FULFILMENT')).toMatchObject({ sku });
    await subscription.close();
  });

  it('applies a duplicate delivery once', async () => {
    const sku = 'PAN-ANTIADERENTE';
    const before = await levels(sku);
    const placed = await control.placeOrder([{ sku, quantity: 1 }]);
    await sync();
    // The overlap re-reads the order: recognised, and it cost one searchOrders call (items come with the order).
    const platformCalls = (await control.calls()).total;
    const again = await amazon.poller.pollOnce();
    expect(again.alreadyReceived).toBeGreaterThanOrEqual(1);
    expect((await control.calls()).calls.slice(platformCalls).map((call) => call.operation)).toEqual(['searchOrders']);
    // The same snapshot through another path (a second replica's delivery id): OrderSync applies it once.
    await amazon.inbox.receive(`replica-2:${placed.id}`, AMAZON_ORDER_TOPIC, await amazonOrder(placed.id));
    await amazon.inbox.drain();
    expect(await amazon.inbox.pending()).toBe(0);
    expect(await reservationsFor(placed.id)).toHaveLength(1);
    expect((await levels(sku)).committed).toBe(before.committed + 1);
  });

  it('reserves nothing for an order cancelled before Ponte saw it, even when the older snapshot arrives late', async () => {
    const sku = 'OCU-SOL';
    const before = await levels(sku);
    const placed = await control.placeOrder([{ sku, quantity: 2 }]);
    const unshipped = await amazonOrder(placed.id);
    await control.cancelOrder(placed.id);
    await sync();
    expect(await reservationsFor(placed.id)).toEqual([]);
    expect(await amazon.orderSync.lineStates(placed.id)).toEqual([expect.objectContaining({ state: 'RELEASED', reservationId: null })]);

    await amazon.inbox.receive(`late:${placed.id}`, AMAZON_ORDER_TOPIC, unshipped);
    await amazon.inbox.drain();
    expect(await reservationsFor(placed.id)).toEqual([]);
    expect(await levels(sku)).toEqual(before);
  });

  it('records lines it cannot reserve as exceptions, queryable through the gateway, and reserves the rest', async () => {
    const placed = await control.placeOrder([{ sku: AMAZON_ONLY_SKU, quantity: 1 }, { sku: 'CAM-LINHO-P', quantity: 1 }]);
    const oversold = await control.placeOrder([{ sku: 'SAB-NATURAL', quantity: 5000 }], { allowOversell: true });
    await sync();
    expect(await reservationsFor(placed.id)).toEqual([{ status: 'OPEN', lines: [expect.objectContaining({ sku: 'CAM-LINHO-P', quantity: 1 })] }]);

    const result = await graphql<{ amazonOrderExceptions: Array<Record<string, unknown>> }>(
      ponte.gatewayUrl,
      '{ amazonOrderExceptions(first: 10) { id orderId lineId sku quantity code message occurredAt resolvedAt } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.amazonOrderExceptions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ orderId: placed.id, sku: AMAZON_ONLY_SKU, quantity: 1, code: 'UNKNOWN_SKU', resolvedAt: null }),
        expect.objectContaining({ orderId: oversold.id, sku: 'SAB-NATURAL', quantity: 5000, code: 'INSUFFICIENT_STOCK' }),
      ]),
    );
  });
});

describe('Amazon listings through the gateway', () => {
  it('reads 20 products\' listings with ONE platform call, then from the cache', async () => {
    const stock = await control.stock();
    const skus = demoProducts.map((product) => product.sku).slice(10, 30);
    amazon.listings.clear();
    await control.clearCalls();
    const result = await graphql<{ products: { nodes: Array<{ sku: string; amazonListing: Record<string, any> | null }> } }>(
      ponte.gatewayUrl,
      `query($skus: [ID!]) { products(skus: $skus, first: 20) { nodes { sku amazonListing {
        sku asin marketplaceId title category price { amountInCents currency } status platformStatuses quantity url
        fulfillmentAvailability { fulfillmentChannelCode quantity } issues { code } } } } }`,
      { skus },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.products.nodes).toHaveLength(20);
    for (const node of result.data!.products.nodes) {
      const product = demoProducts.find((candidate) => candidate.sku === node.sku)!;
      const quantity = stock.find((entry) => entry.sku === node.sku)!.quantity;
      expect(node.amazonListing).toMatchObject({
        sku: node.sku,
        asin: expect.stringMatching(/^B0/),
        marketplaceId: sandbox.marketplaceId,
        title: product.title,
        price: { amountInCents: product.priceCents, currency: 'BRL' },
        status: quantity > 0 ? 'ACTIVE' : 'INACTIVE',
        quantity,
        url: expect.stringMatching(/^https:\/\/www\.amazon\.com\.br\/dp\/B0/),
        fulfillmentAvailability: [{ fulfillmentChannelCode: 'DEFAULT', quantity }],
      });
    }
    const calls = (await control.calls()).calls;
    expect(calls.map((call) => call.operation)).toEqual(['searchListingsItems']);
    expect(new URLSearchParams(calls[0]!.query).get('identifiers')!.split(',').sort()).toEqual([...skus].sort());

    // Another request within the cache's few seconds reads no listing from Amazon.
    const again = await graphql<{ products: { nodes: Array<{ amazonListing: { quantity: number } | null }> } }>(ponte.gatewayUrl, 'query($skus: [ID!]) { products(skus: $skus, first: 20) { nodes { amazonListing { quantity } } } }', { skus });
    expect(again.data!.products.nodes.every((node) => node.amazonListing !== null)).toBe(true);
    expect((await control.calls()).total).toBe(1);
  });

  it('resolves _entities in-process, null for a SKU Amazon does not list', async () => {
    amazon.listings.clear();
    const response = await amazon.server.apollo.executeOperation(
      {
        query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { sku amazonListing { sku title status } } } }',
        variables: { representations: [{ __typename: 'Product', sku: 'CAM-LINHO-G' }, { __typename: 'Product', sku: 'NOT-ON-AMAZON' }] },
      },
      { contextValue: { listings: amazon.listings.loader(), orderSync: amazon.orderSync, log } },
    );
    expect(response.body.kind === 'single' && response.body.singleResult).toMatchObject({
      data: { _entities: [{ sku: 'CAM-LINHO-G', amazonListing: { sku: 'CAM-LINHO-G', title: expect.any(String), status: 'ACTIVE' } }, { sku: 'NOT-ON-AMAZON', amazonListing: null }] },
    });
  });
});

describe('when Amazon is down', () => {
  it('degrades the listing to null with PLATFORM_UNAVAILABLE and keeps the rest of the query', async () => {
    amazon.listings.clear();
    await control.injectFault({ mode: 'error', status: 503, pathPrefix: '/listings' });
    // A SKU no earlier test read: the gateway's entity cache may rightly answer a listing it read
    // within the field's declared max-age (5 s), and that is not what this test is about.
    try {
      const result = await graphql<{ down: { sku: string; title: string; totalAvailable: number; amazonListing: unknown } }>(
        ponte.gatewayUrl,
        '{ down: product(sku: "TEN-CORRIDA-40") { sku title totalAvailable amazonListing { quantity } } }',
      );
      expect(result.data!.down).toMatchObject({ sku: 'TEN-CORRIDA-40', title: expect.any(String), totalAvailable: expect.any(Number), amazonListing: null });
      expect(result.errors?.[0]?.extensions?.['code']).toBe('PLATFORM_UNAVAILABLE');
    } finally {
      await control.clearFaults();
    }
    const recovered = await graphql<{ up: { amazonListing: { quantity: number } | null } }>(ponte.gatewayUrl, '{ up: product(sku: "TEN-CORRIDA-42") { amazonListing { quantity } } }');
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data!.up.amazonListing?.quantity).toBe(await control.quantityOf('TEN-CORRIDA-42'));
  });

  it('keeps the watermark while polling fails and converges once Amazon is back', async () => {
    const sku = 'CAF-MOIDO-500';
    const before = await levels(sku);
    await sync();
    const watermark = await amazon.poller.watermark();
    const placed = await control.placeOrder([{ sku, quantity: 2 }]);
    await control.injectFault({ mode: 'error', status: 503, pathPrefix: '/orders' });
    try {
      await expect(amazon.poller.pollOnce()).rejects.toThrow(/503/);
      expect(await amazon.poller.watermark()).toBe(watermark);
      expect(await reservationsFor(placed.id)).toEqual([]);
    } finally {
      await control.clearFaults();
    }
    await sync();
    expect(await reservationsFor(placed.id)).toEqual([expect.objectContaining({ status: 'OPEN' })]);
    expect((await levels(sku)).committed).toBe(before.committed + 2);
  });

  it('keeps only the dictionary\'s fields of an order (no buyer, no address but its CEP)', async () => {
    const placed = await control.placeOrder([{ sku: 'FON-BLUETOOTH', quantity: 1 }], { shopper: 3 });
    await sync();
    const [row] = await database.db.query<{ payload: unknown }>('SELECT payload FROM inbox_messages WHERE delivery_id LIKE $1', [`amazon:${placed.id}:%`]);
    const money = { currencyCode: 'BRL', amount: '199.90' };
    expect(row?.payload).toEqual({
      order: {
        orderId: placed.id, createdTime: expect.any(String), lastUpdatedTime: expect.any(String), fulfillment: { fulfillmentStatus: 'UNSHIPPED', fulfilledBy: 'MERCHANT' },
        proceeds: { grandTotal: money, breakdowns: [{ type: 'ITEM', subtotal: money }, { type: 'SHIPPING', subtotal: { currencyCode: 'BRL', amount: '0.00' } }, { type: 'TAX', subtotal: { currencyCode: 'BRL', amount: '0.00' } }] },
        recipient: { deliveryAddress: { postalCode: '40060-001' } },
      },
      items: [{ orderItemId: expect.any(String), quantityOrdered: 1, product: { sellerSku: 'FON-BLUETOOTH', price: { unitPrice: money } }, proceeds: {}, fulfillment: { quantityFulfilled: 0 } }],
    });
    expect(JSON.stringify(row?.payload)).not.toMatch(/pedro|souza|sete de setembro|98765/i);
  });
});

describe('restart', () => {
  it('resumes polling from the persisted watermark, with the background poller', async () => {
    await sync();
    const watermark = await amazon.poller.watermark();
    expect(watermark).toMatch(/^\d{4}-\d\d-\d\dT/);
    await amazon.close();

    // Orders keep coming while the subgraph is down.
    const sku = 'TEN-CORRIDA-38';
    const before = await levels(sku);
    const placed = await control.placeOrder([{ sku, quantity: 1 }]);
    const [row] = await database.db.query<{ value: { lastUpdatedAfter: string } }>('SELECT value FROM platform_state WHERE name = $1', [ORDERS_WATERMARK_STATE]);
    expect(row?.value.lastUpdatedAfter).toBe(watermark);

    await control.clearCalls();
    amazon = await createAmazonSubgraph(subgraphOptions(await database.reopen(), 200));
    await amazon.server.listen(amazonPort, '127.0.0.1');
    await eventually(() => reservationsFor(placed.id), (reservations) => reservations.length === 1, 'the reservation after the restart');
    expect((await levels(sku)).committed).toBe(before.committed + 1);
    const firstPoll = (await control.calls()).calls.find((call) => call.operation === 'searchOrders')!;
    expect(new URLSearchParams(firstPoll.query).get('lastUpdatedAfter')).toBe(new Date(Date.parse(watermark!) - OVERLAP_MS).toISOString().replace('.000Z', 'Z'));
    // The gateway still reaches the restarted subgraph.
    const result = await graphql<{ amazonOrderExceptions: unknown[] }>(ponte.gatewayUrl, '{ amazonOrderExceptions(first: 3) { id } }');
    expect(result.errors).toBeUndefined();
  });
});

describe('SP-API client', () => {
  async function withSandbox(
    rateLimits: NonNullable<Parameters<typeof createAmazonSandbox>[0]>['rateLimits'],
    clientLimits: AmazonSubgraphOptions['amazon']['rateLimits'],
    run: (client: AmazonClient, control: SandboxControlClient) => Promise<void>,
    now?: () => number,
  ) {
    const own = createAmazonSandbox({ rateLimits, ...(now ? { now } : {}) });
    const ownControl = new SandboxControlClient(await own.listen());
    const client = new AmazonClient({
      baseUrl: own.url,
      lwa: { tokenUrl: `${own.url}/auth/o2/token`, ...own.lwa },
      sellerId: own.sellerId,
      marketplaceId: own.marketplaceId,
      ...(clientLimits ? { rateLimits: clientLimits } : {}),
      retryBaseDelayMs: 10,
      log,
    });
    try {
      await run(client, ownControl);
    } finally {
      client.close();
      await own.close();
    }
  }

  it('paces each operation below Amazon\'s rate once its burst is spent', async () => {
    await withSandbox(undefined, undefined, async (client, ownControl) => {
      // searchListingsItems: burst 5, then 5 a second: 8 calls in a row wait for 3 refills.
      const started = performance.now();
      for (let call = 0; call < 8; call++) expect(await client.listingsForSkus(['CAB-USBC'])).toHaveLength(1);
      expect(performance.now() - started).toBeGreaterThanOrEqual(600);
      expect((await ownControl.calls()).calls.filter((entry) => entry.operation === 'searchListingsItems' && entry.status === 200)).toHaveLength(8);
    });
  });

  it('backs off and retries when Amazon answers 429 QuotaExceeded (its bucket shared with another app)', async () => {
    await withSandbox({ searchListingsItems: { rate: 5, burst: 1 } }, { searchListingsItems: { rate: 100, burst: 100 } }, async (client, ownControl) => {
      expect(await client.listingsForSkus(['CAB-USBC'])).toHaveLength(1);
      expect(await client.listingsForSkus(['OCU-SOL'])).toHaveLength(1);
      const calls = await ownControl.calls();
      expect(calls.rateLimited).toBeGreaterThanOrEqual(1);
      expect(calls.calls.at(-1)).toMatchObject({ operation: 'searchListingsItems', status: 200 });
    });
  });

  it('fetches a new LWA access token when Amazon says the current one expired', async () => {
    let clock = Date.now();
    await withSandbox(undefined, undefined, async (client, ownControl) => {
      expect(await client.listingsForSkus(['CAB-USBC'])).toHaveLength(1);
      clock += 3_600_000; // the sandbox's clock: its 1-hour tokens expire, ours still looks fresh
      expect(await client.listingsForSkus(['CAB-USBC'])).toHaveLength(1);
      const calls = (await ownControl.calls()).calls.map((call) => `${call.path} ${call.status}`);
      expect(calls.filter((call) => call.startsWith('/auth/o2/token'))).toEqual(['/auth/o2/token 200', '/auth/o2/token 200']);
      expect(calls.filter((call) => call.includes('/listings/')).map((call) => call.split(' ')[1])).toEqual(['200', '403', '200']);
    }, () => clock);
  });

  it('refuses more than 20 SKUs per search, the API\'s limit', async () => {
    await withSandbox(undefined, undefined, async (client) => {
      await expect(client.listingsForSkus(demoProducts.slice(0, 21).map((product) => product.sku))).rejects.toThrow(/at most 20/);
    });
  });
});

describe('Amazon data dictionary', () => {
  const order = (status: string, fulfilledBy = 'MERCHANT') =>
    orderSnapshot({
      orderId: '701-1',
      createdTime: '2026-11-28T11:00:00Z',
      lastUpdatedTime: '2026-11-28T12:00:00Z',
      salesChannel: { channelName: 'AMAZON', marketplaceId: 'A2Q3Y263D00KWC' },
      fulfillment: { fulfillmentStatus: status, fulfilledBy } as AmazonOrder['fulfillment'] & object,
      orderItems: [
        { orderItemId: '1', quantityOrdered: 2, product: { sellerSku: 'A', asin: 'B0A' }, fulfillment: { quantityFulfilled: 2 } },
        { orderItemId: '2', quantityOrdered: 1, product: { sellerSku: 'B', asin: 'B0B' }, fulfillment: { quantityFulfilled: 0 } },
        { orderItemId: '3', quantityOrdered: 1, product: { asin: 'B0C' } },
      ],
    });
  const mapped = (status: string, fulfilledBy?: string) => {
    const snapshot = order(status, fulfilledBy);
    return channelOrdersFrom(snapshot.order, snapshot.items);
  };

  it('maps order statuses, splits partly shipped orders and ignores unpaid and FBA orders', () => {
    expect(mapped('PENDING')).toEqual([]);
    expect(mapped('UNSHIPPED', 'AMAZON')).toEqual([]);
    expect(mapped('CANCELLED')).toEqual([expect.objectContaining({ orderId: '701-1', status: 'CANCELLED', lines: [{ lineId: '1', sku: 'A', quantity: 2 }, { lineId: '2', sku: 'B', quantity: 1 }, { lineId: '3', sku: null, quantity: 1 }] })]);
    expect(mapped('SHIPPED')[0]?.status).toBe('FULFILLED');
    expect(mapped('UNFULFILLABLE')[0]?.status).toBe('CANCELLED');
    // One order; each line with its own status.
    expect(mapped('PARTIALLY_SHIPPED')).toEqual([
      expect.objectContaining({ orderId: '701-1', status: 'OPEN', lines: [{ lineId: '1', sku: 'A', quantity: 2, status: 'FULFILLED' }, { lineId: '2', sku: 'B', quantity: 1, status: 'OPEN' }, { lineId: '3', sku: null, quantity: 1, status: 'OPEN' }] }),
    ]);
  });

  it('reads a snapshot the Orders v0 poller left in the inbox in the v2026-01-01 shape', () => {
    const v0 = {
      order: { AmazonOrderId: '701-9', OrderStatus: 'PartiallyShipped', FulfillmentChannel: 'MFN', LastUpdateDate: '2026-11-28T12:00:00Z' },
      items: [
        { OrderItemId: '1', SellerSKU: 'A', QuantityOrdered: 2, QuantityShipped: 2 },
        { OrderItemId: '2', SellerSKU: 'B', QuantityOrdered: 1, QuantityShipped: 0 },
      ],
    };
    const { order: snapshot, items } = fromOrdersV0Snapshot(v0);
    expect(channelOrdersFrom(snapshot, items)).toEqual([
      expect.objectContaining({ orderId: '701-9', status: 'OPEN', lines: [{ lineId: '1', sku: 'A', quantity: 2, status: 'FULFILLED' }, { lineId: '2', sku: 'B', quantity: 1, status: 'OPEN' }] }),
    ]);
    const fba = fromOrdersV0Snapshot({ order: { ...v0.order, FulfillmentChannel: 'AFN' }, items: v0.items });
    expect(channelOrdersFrom(fba.order, fba.items)).toEqual([]);
  });

  it('maps times, amounts and the ship-to CEP; the snapshot keeps them and nothing of the buyer', () => {
    const money = (amount: string) => ({ currencyCode: 'BRL', amount });
    const full = {
      orderId: '701-2', createdTime: '2026-11-28T11:00:00Z', lastUpdatedTime: '2026-11-28T12:00:00Z',
      salesChannel: { channelName: 'AMAZON', marketplaceId: 'A2Q3Y263D00KWC' },
      fulfillment: { fulfillmentStatus: 'UNSHIPPED', fulfilledBy: 'MERCHANT' } as AmazonOrder['fulfillment'] & object,
      proceeds: { grandTotal: money('129.70'), breakdowns: [{ type: 'ITEM', subtotal: money('119.80') }, { type: 'SHIPPING', subtotal: money('19.90') }, { type: 'DISCOUNT', subtotal: money('-10.00') }] },
      buyer: { buyerName: 'Pedro Souza', buyerEmail: 'pedro@marketplace.amazon.com.br' },
      recipient: { deliveryAddress: { name: 'Pedro Souza', addressLine1: 'Av. Sete de Setembro, 200', city: 'Salvador', stateOrRegion: 'BA', postalCode: '40060-001', countryCode: 'BR', phone: '+5571987650004' } },
      orderItems: [{ orderItemId: '1', quantityOrdered: 2, product: { sellerSku: 'A', asin: 'B0A', price: { unitPrice: money('59.90') } }, proceeds: { proceedsTotal: money('109.80'), breakdowns: [{ type: 'DISCOUNT', subtotal: money('-10.00') }] } }],
    } as AmazonOrder;
    const snapshot = orderSnapshot(full);
    expect(JSON.stringify(snapshot)).not.toMatch(/pedro|souza|sete|98765/i);
    expect(channelOrdersFrom(snapshot.order, snapshot.items)).toEqual([{
      orderId: '701-2', status: 'OPEN', placedAt: '2026-11-28T11:00:00Z', updatedAt: '2026-11-28T12:00:00Z', currency: 'BRL',
      lines: [{ lineId: '1', sku: 'A', quantity: 2, status: 'OPEN', unitPriceCents: 5990, discountCents: 1000 }],
      totals: { subtotalCents: 11980, discountCents: 1000, shippingCents: 1990, taxCents: 0, totalCents: 12970 },
      shipTo: { postalCode: '40060-001' }, customer: null,
    }]);
    expect(shopperContactOf(full)).toMatchObject({ name: 'Pedro Souza', email: 'pedro@marketplace.amazon.com.br', address: { postalCode: '40060-001' } });
  });

  it('maps a listing for Ponte\'s marketplace only', () => {
    const listing = listingFromItem(
      {
        sku: 'A',
        summaries: [
          { marketplaceId: 'ATVPDKIKX0DER', productType: 'SHOES', status: ['BUYABLE'], itemName: 'US title', createdDate: '', lastUpdatedDate: '' },
          { marketplaceId: 'A2Q3Y263D00KWC', asin: 'B0XYZ', productType: 'SHIRT', status: ['DISCOVERABLE'], itemName: 'Camisa', createdDate: '2026-01-01T00:00:00Z', lastUpdatedDate: '2026-01-02T00:00:00Z' },
        ],
        offers: [{ marketplaceId: 'A2Q3Y263D00KWC', offerType: 'B2C', price: { currencyCode: 'BRL', amount: '59.90' } }],
        fulfillmentAvailability: [{ fulfillmentChannelCode: 'AMAZON_NA', quantity: 7 }, { fulfillmentChannelCode: 'DEFAULT', quantity: 0 }],
      },
      { marketplaceId: 'A2Q3Y263D00KWC', sellerId: 'S' },
    );
    expect(listing).toMatchObject({ title: 'Camisa', category: 'SHIRT', status: 'INACTIVE', quantity: 0, price: { amountInCents: 5990, currency: 'BRL' }, url: 'https://www.amazon.com.br/dp/B0XYZ' });
  });

  it('is documented by the table in README.md', async () => {
    expect(await readFile(new URL('./README.md', import.meta.url), 'utf8')).toContain(dictionaryTable());
  });
});
