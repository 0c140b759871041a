/**
 * Channel sync to Shopify, end to end over real HTTP: the Shopify sandbox, the inventory and
 * catalog subgraphs, this subgraph with its StockSync, and the gateway, each on a free port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createShopifySandbox, type ShopifySandbox } from '../../sandboxes/shopify/shopify-sandbox.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { graphql, startPonte, type RunningPonte } from '../../test/support/ponte.ts';
import { createLogger } from '../../kit/logger.ts';
import { createShopifySubgraph, shopifySdl, type ShopifySubgraph } from './index.ts';
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
