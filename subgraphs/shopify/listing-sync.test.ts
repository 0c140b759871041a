/**
 * Channel sync to Shopify, end to end over real HTTP: the Shopify sandbox, the inventory and
 * catalog subgraphs, this subgraph with its StockSync, and the gateway, each on a free port.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoProducts } from '../../demo/catalog.ts';
import { defaultSeedFor } from '../../sandboxes/common/catalog.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createShopifySandbox, type ShopifySandbox } from '../../sandboxes/shopify/shopify-sandbox.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { graphql, startPonte, type RunningPonte } from '../../test/support/ponte.ts';
import { createLogger } from '../../kit/logger.ts';
import { ShopifyClient } from './client.ts';
import { createShopifySubgraph, shopifySdl, type ShopifySubgraph } from './index.ts';
import { ShopifyListingPusher } from './listing-sync.ts';
import { eventuallyDefined as eventually } from '../../test/support/eventually.ts';
import { platformSubgraph } from '../../test/support/platform-subgraph.ts';

const log = createLogger('shopify-listing-sync-test');
const CHANNEL = 'shopify-br';
const WAREHOUSE = 'cd-sao-paulo';

describe('Shopify channel sync (sandbox, inventory, gateway)', () => {
  let sandbox: ShopifySandbox;
  let control: SandboxControlClient;
  let ponte: RunningPonte;
  let shopify: ShopifySubgraph;
  let shopifyDb: TestDatabase;
  let receipts = 0;

  beforeAll(async () => {
    sandbox = createShopifySandbox();
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
              shopify: { baseUrl: sandboxUrl, shopDomain: sandbox.shopDomain, accessToken: sandbox.accessToken, apiSecretKey: sandbox.apiSecretKey, baseDelayMs: 20, maxAttempts: 2 },
              reconciliation: { intervalMs: 0 },
              // Enough attempts to outlast the outage test; short backoff so it converges quickly.
              stockSync: { pollIntervalMs: 100, maxBackoffMs: 300, resyncIntervalMs: false, maxAttempts: 100 },
            }),
          started: async ({ subgraph, database: testDatabase }) => {
            shopify = subgraph;
            shopifyDb = testDatabase;
          },
        }),
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await ponte?.close();
    await sandbox?.close();
  });

  const viaGateway = async <Data = any>(query: string, variables: Record<string, unknown> = {}): Promise<Data> => {
    const result = await graphql<Data>(ponte.gatewayUrl, query, variables);
    if (result.errors?.length) throw new Error(result.errors.map((error) => error.message).join('; '));
    return result.data!;
  };

  async function canonical(skus: string[]): Promise<Map<string, number>> {
    const data = await viaGateway<{ products: { nodes: Array<{ sku: string; availability: { quantity: number } }> } }>(
      `query($skus: [ID!], $first: Int) { products(skus: $skus, first: $first) { nodes { sku availability(channel: "${CHANNEL}") { quantity } } } }`,
      { skus, first: skus.length },
    );
    return new Map(data.products.nodes.map((node) => [node.sku, node.availability.quantity]));
  }

  async function channelQuantity(sku: string): Promise<number> {
    const data = await viaGateway<{ product: { availability: { quantity: number } } }>(`query($sku: ID!) { product(sku: $sku) { availability(channel: "${CHANNEL}") { quantity } } }`, { sku });
    return data.product.availability.quantity;
  }

  function receiveStock(sku: string, quantity: number): Promise<unknown> {
    return viaGateway('mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { replayed } }', {
      input: { idempotencyKey: `listing-sync-test-${++receipts}`, sku, location: WAREHOUSE, quantity },
    });
  }

  /** Waits until the Shopify listing of `sku` shows the canonical channel quantity; returns it. */
  async function converged(sku: string, timeoutMs = 20_000): Promise<number> {
    return eventually(async () => {
      const [wanted, shown] = await Promise.all([channelQuantity(sku), control.quantityOf(sku)]);
      return wanted === shown && wanted;
    }, `the Shopify listing of ${sku} to show the canonical quantity`, timeoutMs);
  }

  it('(a) after start, every listed SKU shows the canonical channel availability', async () => {
    const listed = await control.stock();
    expect(listed.length).toBeGreaterThan(10);
    const skus = listed.map((entry) => entry.sku);
    await eventually(async () => {
      const [wanted, shown, status] = await Promise.all([canonical(skus), control.stock(), viaGateway<{ shopifyListingSync: { pending: number } }>('{ shopifyListingSync { pending } }')]);
      const mismatched = shown.filter((entry) => wanted.get(entry.sku) !== entry.quantity);
      // Some seeded listings already match (zero stock) before their push: wait for the queue too.
      return mismatched.length === 0 && status.shopifyListingSync.pending === 0;
    }, 'every Shopify listing to show the canonical quantity');
    // The channel's quantity sits at the primary location; the other location shows none, so nothing is sold twice.
    for (const entry of await control.stock()) expect(Object.values(entry.byLocation ?? {}).filter((quantity) => quantity !== 0).length).toBeLessThanOrEqual(1);
    const status = await viaGateway<{ shopifyListingSync: { pending: number; synced: number; dead: number } }>('{ shopifyListingSync { pending synced dead } }');
    expect(status.shopifyListingSync).toMatchObject({ pending: 0, dead: 0 });
    expect(status.shopifyListingSync.synced).toBeGreaterThanOrEqual(skus.length);
  });

  it('(b) a stock change through the gateway reaches the Shopify listing within the deadline', async () => {
    const sku = 'VEL-AROMA';
    const before = await converged(sku);
    // The first sync wrote it moments ago; a listing is written at most every 250 ms, so the
    // latency of a lone change is measured once that interval is over.
    await eventually(async () => {
      const rows = await shopifyDb.db.query<{ idle: boolean }>(`SELECT pushed_at < now() - interval '300 milliseconds' AS idle FROM listing_sync WHERE sku = $1`, [sku]);
      return rows[0]?.idle === true;
    }, `${sku} to be outside its write interval`);
    const started = performance.now();
    await receiveStock(sku, 3);
    const wanted = before + 3;
    await eventually(async () => (await control.quantityOf(sku)) === wanted, `${sku} to reach ${wanted} on Shopify`, 10_000);
    const latencyMs = Math.round(performance.now() - started);
    console.log(`[channel sync] gateway receiveStock → Shopify listing updated in ${latencyMs} ms`);
    expect(await channelQuantity(sku)).toBe(wanted);
  });

  it('(c) 30 rapid changes to one SKU are coalesced into few pushes, within the rate limit', async () => {
    const sku = 'CAB-USBC';
    const before = await converged(sku);
    await control.clearCalls();
    const burstStarted = performance.now();
    await Promise.all(Array.from({ length: 30 }, () => receiveStock(sku, 1)));
    const burstMs = Math.round(performance.now() - burstStarted);
    expect(await channelQuantity(sku)).toBe(before + 30);
    await eventually(async () => (await control.quantityOf(sku)) === before + 30, `${sku} to reach ${before + 30} on Shopify`);
    const calls = await control.calls();
    const pushes = calls.calls.filter((call) => call.operation === 'SetListingQuantities').length;
    console.log(`[channel sync] 30 changes in ${burstMs} ms → ${pushes} Shopify pushes`);
    expect(pushes).toBeGreaterThan(0);
    // A listing is written at most every 250 ms: a burst of about a second is a handful of writes.
    expect(pushes).toBeLessThanOrEqual(10);
    expect(calls.rateLimited).toBe(0);
  });

  it('(d) while Shopify is down pushes are retried, and converge once it is back', async () => {
    const sku = 'CIN-COURO';
    const before = await converged(sku);
    await control.clearCalls();
    await control.injectFault({ mode: 'error', status: 503 });
    try {
      await receiveStock(sku, 2);
      await eventually(async () => (await control.calls()).failed >= 4, 'pushes to hit the outage');
      expect(await control.quantityOf(sku)).toBe(before);
      const status = await viaGateway<{ shopifyListingSync: { pending: number; dead: number } }>('{ shopifyListingSync { pending dead } }');
      expect(status.shopifyListingSync.pending).toBeGreaterThanOrEqual(1);
    } finally {
      await control.clearFaults();
    }
    expect(await converged(sku)).toBe(before + 2);
    const status = await viaGateway<{ shopifyListingSync: { pending: number; dead: number } }>('{ shopifyListingSync { pending dead } }');
    expect(status.shopifyListingSync).toEqual({ pending: 0, dead: 0 });
  });

  it('(e) a SKU Shopify does not list ends as a dead letter, and a replay queues it again', async () => {
    const sku = 'PONTE-SO-NO-HUB';
    await viaGateway('mutation($input: RegisterProductsInput!) { registerProducts(input: $input) { replayed } }', { input: { idempotencyKey: `register-${sku}`, skus: [sku] } });
    await receiveStock(sku, 4);
    const statusQuery = '{ shopifyListingSync { dead deadLetters { sku quantity attempts lastError updatedAt } } }';
    const dead = await eventually(async () => {
      const { shopifyListingSync } = await viaGateway<{ shopifyListingSync: { dead: number; deadLetters: Array<{ sku: string; quantity: number; attempts: number; lastError: string | null }> } }>(statusQuery);
      return shopifyListingSync.deadLetters.find((letter) => letter.sku === sku);
    }, 'the dead letter');
    expect(dead).toMatchObject({ sku, quantity: await channelQuantity(sku), attempts: 1, lastError: expect.stringContaining('not listed') });

    const replayed = await viaGateway<{ replayShopifyListingSync: number }>('mutation($skus: [ID!]) { replayShopifyListingSync(skus: $skus) }', { skus: [sku] });
    expect(replayed.replayShopifyListingSync).toBe(1);
    // Still not listed: the replay is pushed again and ends where it was, with a fresh attempt.
    const again = await eventually(async () => {
      const rows = await shopifyDb.db.query<{ status: string; attempts: number; updated_at: string }>('SELECT status, attempts, updated_at FROM listing_sync WHERE sku = $1', [sku]);
      return rows[0]?.status === 'DEAD' && rows[0];
    }, 'the replayed SKU to be pushed again');
    expect(again.attempts).toBe(1);
    expect(await control.quantityOf(sku)).toBeUndefined();
  });

  it('(f) a merchant edit in Shopify admin is reported by reconciliation and overwritten', async () => {
    const sku = 'OCU-SOL';
    const wanted = await converged(sku);
    await control.setStock(sku, wanted + 17);
    const { reconcileShopifyListings } = await viaGateway<{ reconcileShopifyListings: Array<{ sku: string; expected: number; actual: number | null }> }>(
      'mutation { reconcileShopifyListings { sku expected actual } }',
    );
    expect(reconcileShopifyListings).toEqual([{ sku, expected: wanted, actual: wanted + 17 }]);
    await eventually(async () => (await control.quantityOf(sku)) === wanted, `${sku} to be set back to ${wanted}`);
    const { reconcileShopifyListings: after } = await viaGateway<{ reconcileShopifyListings: unknown[] }>('mutation { reconcileShopifyListings { sku } }');
    expect(after).toEqual([]);
  });
});

describe('Shopify channel sync reads only what a set needs (sandbox)', () => {
  /** 100 SKUs more than the demo catalog: one push of them needs two read calls. */
  const BULK = Array.from({ length: 100 }, (_, index) => `BULK-${String(index + 1).padStart(3, '0')}`);
  let sandbox: ShopifySandbox;
  let control: SandboxControlClient;
  /** Every Admin API call the pusher made: its operation, its query and the cost Shopify reported. */
  let sent: Array<{ operation: string; query: string; requestedQueryCost: number | undefined; errors: unknown; data: any }>;

  function pusher(options: { locationCountTtlMs?: number; beforeSend?: (operation: string) => void } = {}): ShopifyListingPusher {
    const client = new ShopifyClient({
      shopDomain: sandbox.shopDomain,
      accessToken: sandbox.accessToken,
      baseUrl: sandbox.url,
      baseDelayMs: 5,
      maxAttempts: 2,
      log,
      fetch: async (input, init) => {
        const query = typeof init?.body === 'string' ? ((JSON.parse(init.body) as { query: string }).query ?? '') : '';
        const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
        options.beforeSend?.(operation);
        const response = await fetch(input, init);
        const body = (await response.clone().json().catch(() => ({}))) as { data?: unknown; errors?: unknown; extensions?: { cost?: { requestedQueryCost: number } } };
        sent.push({ operation, query, requestedQueryCost: body.extensions?.cost?.requestedQueryCost, errors: body.errors, data: body.data });
        return response;
      },
    });
    return new ShopifyListingPusher({ client, log, channel: CHANNEL, minWriteIntervalMs: 0, ...(options.locationCountTtlMs !== undefined ? { locationCountTtlMs: options.locationCountTtlMs } : {}) });
  }

  const reads = () => sent.filter((call) => call.operation === 'ListingLevelsBySku');
  const levelsAsked = (query: string) => Number(/inventoryLevels\(first: (\d+)\)/.exec(query)?.[1]);
  const byLocation = async (sku: string) => (await control.stock()).find((entry) => entry.sku === sku)?.byLocation;

  beforeEach(async () => {
    const bulk = BULK.map((sku, index) => ({ sku, parentSku: null, title: `Bulk item ${index + 1}`, brand: 'Ponte', category: 'Bench', options: {}, priceCents: 990, onHand: { 'cd-sao-paulo': 1, '3pl-extrema': 2 } }));
    sandbox = createShopifySandbox({ seed: { ...defaultSeedFor('SHOPIFY'), products: [...demoProducts, ...bulk] } });
    control = new SandboxControlClient(await sandbox.listen());
    sent = [];
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('asks 13 points a SKU on a shop with two locations (the storefront read asks 37), 76 SKUs a call', async () => {
    const sync = pusher();
    const results = await sync.push(BULK.map((sku) => ({ sku, quantity: 3 })));
    expect(results.every((result) => result.outcome === 'PUSHED')).toBe(true);
    // The shop's locations were counted once (1 point), then levels read for exactly that many.
    expect(sent.filter((call) => call.operation === 'ShopLocationCount')).toMatchObject([{ requestedQueryCost: 1 }]);
    expect(reads().map((call) => levelsAsked(call.query))).toEqual([2, 2]);
    // Shopify's own figure: 13 points a SKU, as many SKUs as fit under its 1000-point ceiling.
    expect(reads().map((call) => call.requestedQueryCost)).toEqual([76 * 13, 24 * 13]);
    expect(reads().every((call) => call.errors === undefined)).toBe(true);
    expect(sync.batchSize).toBe(76);
    // The channel's quantity sits at the primary location; the other one shows none.
    for (const sku of BULK) expect(await byLocation(sku)).toEqual({ 'cd-sao-paulo': 3, '3pl-extrema': 0 });
  });

  it('sets the other location of a two-location shop to 0, compare-and-set against the fresh read', async () => {
    const sku = 'CAM-BASICA-M';
    await control.setStock(sku, 7, '3pl-extrema');
    await control.setStock(sku, 2, 'cd-sao-paulo');
    expect(await pusher().push([{ sku, quantity: 5 }])).toEqual([{ sku, outcome: 'PUSHED' }]);
    expect(await byLocation(sku)).toEqual({ 'cd-sao-paulo': 5, '3pl-extrema': 0 });
    expect(await control.quantityOf(sku)).toBe(5);
  });

  it('a location opened after the count is read too: its units are set to 0, and later reads ask for it', async () => {
    const sync = pusher();
    expect(await sync.push([{ sku: 'VEL-AROMA', quantity: 1 }])).toEqual([{ sku: 'VEL-AROMA', outcome: 'PUSHED' }]);
    expect(levelsAsked(reads()[0]!.query)).toBe(2);
    // The merchant opens a third location and stocks one SKU there: past the two levels the sync counted.
    sandbox.store.addLocation({ code: 'loja-rio', name: 'Loja Rio', available: { 'CAB-USBC': 4 } });
    sent = [];
    const results = await sync.push([
      { sku: 'CAB-USBC', quantity: 3 },
      { sku: 'OCU-SOL', quantity: 2 },
    ]);
    expect(results).toEqual([
      { sku: 'CAB-USBC', outcome: 'PUSHED' },
      { sku: 'OCU-SOL', outcome: 'PUSHED' },
    ]);
    // Nothing left on sale at the new location: the shop shows the channel's quantity and no more.
    expect(await byLocation('CAB-USBC')).toEqual({ 'cd-sao-paulo': 3, '3pl-extrema': 0, 'loja-rio': 0 });
    expect(await control.quantityOf('CAB-USBC')).toBe(3);
    expect(await byLocation('OCU-SOL')).toEqual({ 'cd-sao-paulo': 2, '3pl-extrema': 0 });
    // Both read with two levels; the one stocked at three read again with three (7 + 3 × 3 = 16 points).
    expect(reads().map((call) => [levelsAsked(call.query), call.requestedQueryCost])).toEqual([
      [2, 2 * 13],
      [3, 16],
    ]);
    // From then on every read asks for three levels, once.
    sent = [];
    expect(await sync.push([{ sku: 'OCU-SOL', quantity: 1 }])).toEqual([{ sku: 'OCU-SOL', outcome: 'PUSHED' }]);
    expect(reads().map((call) => levelsAsked(call.query))).toEqual([3]);
    expect(sync.batchSize).toBe(Math.floor(1000 / 16));
  });

  it('a set refused for a level that is gone counts the locations again and pushes from a fresh read', async () => {
    const sku = 'CIN-COURO';
    await control.setStock(sku, 6, '3pl-extrema');
    let unstocked = false;
    // Between the read and the set, the merchant stops stocking the SKU at the second location.
    const sync = pusher({
      beforeSend: (operation) => {
        if (operation !== 'SetListingQuantities' || unstocked) return;
        unstocked = true;
        sandbox.store.deactivateInventory(sku, '3pl-extrema');
      },
    });
    expect(await sync.push([{ sku, quantity: 4 }])).toEqual([{ sku, outcome: 'PUSHED' }]);
    const sets = sent.filter((call) => call.operation === 'SetListingQuantities');
    expect(sets.map((call) => call.data.inventorySetQuantities.userErrors.map((error: { code: string }) => error.code))).toEqual([['ITEM_NOT_STOCKED_AT_LOCATION'], []]);
    expect(sent.filter((call) => call.operation === 'ShopLocationCount')).toHaveLength(2);
    expect(await byLocation(sku)).toEqual({ 'cd-sao-paulo': 4 });
  });

  it('keeps the location count across pushes, and counts again once it is older than locationCountTtlMs', async () => {
    const counts = () => sent.filter((call) => call.operation === 'ShopLocationCount').length;
    const kept = pusher();
    for (const quantity of [1, 2, 3]) expect(await kept.push([{ sku: 'TOA-BANHO', quantity }])).toEqual([{ sku: 'TOA-BANHO', outcome: 'PUSHED' }]);
    expect(counts()).toBe(1);
    sent = [];
    const expiring = pusher({ locationCountTtlMs: 0 });
    for (const quantity of [4, 5]) expect(await expiring.push([{ sku: 'TOA-BANHO', quantity }])).toEqual([{ sku: 'TOA-BANHO', outcome: 'PUSHED' }]);
    expect(counts()).toBeGreaterThanOrEqual(2);
  });
});
