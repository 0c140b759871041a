import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../demo/catalog.ts';
import { createAmazonSandbox, type AmazonSandbox } from '../../sandboxes/amazon/amazon-sandbox.ts';
import { defaultSeedFor } from '../../sandboxes/common/catalog.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { graphql, startPonte, type RunningPonte } from '../../test/support/ponte.ts';
import { createLogger } from '../../kit/logger.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { amazonSdl, createAmazonSubgraph, type AmazonSubgraph } from './index.ts';
import { eventually } from '../../test/support/eventually.ts';

/**
 * Channel sync to Amazon, end to end through real sockets: the inventory's stock feed, the Amazon
 * subgraph's StockSync worker, patchListingsItem on the sandbox, and the gateway for status,
 * replay and reconciliation. Patches and single-listing reads use Amazon's default usage plans
 * on both sides, so "no call was throttled" means the client stays inside Amazon's real limits.
 */

const CHANNEL = 'amazon-br';
/** A canonical SKU the seller has not listed on Amazon: its pushes end as dead letters. */
const UNLISTED_SKU = 'LAN-CAMPING';
/** Reconciliation reads listings by search; a larger bucket on both sides keeps the test short. */
const TEST_RATE_LIMITS = { searchListingsItems: { rate: 20, burst: 50 } };
const log = createLogger('amazon-listing-sync-test');

let sandbox: AmazonSandbox;
let control: SandboxControlClient;
let ponte: RunningPonte;
let database: TestDatabase;
let amazon: AmazonSubgraph;
let inventoryUrl: string;
let gatewaySecret: string;
let serviceKey: string | undefined;

beforeAll(async () => {
  const seed = defaultSeedFor('AMAZON');
  sandbox = createAmazonSandbox({ seed: { ...seed, products: demoProducts.filter((product) => product.sku !== UNLISTED_SKU) }, rateLimits: TEST_RATE_LIMITS });
  control = new SandboxControlClient(await sandbox.listen());
  database = await createTestDatabase('amazon_listing_sync');
  ponte = await startPonte({
    extraSubgraphs: [
      {
        name: 'amazon',
        sdl: amazonSdl(),
        async start(context) {
          inventoryUrl = context.inventoryUrl;
          gatewaySecret = context.gatewaySecret;
          serviceKey = context.serviceKey;
          amazon = await createAmazonSubgraph({
            database: database.db,
            log,
            gatewaySecret,
            serviceKey,
            inventoryUrl,
            channel: CHANNEL,
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
            polling: { intervalMs: false },
            // Enough attempts to outlast the outage test; backoff short so convergence is quick.
            stockSync: { pollIntervalMs: 100, maxBackoffMs: 500, resyncIntervalMs: false, maxAttempts: 1000 },
          });
          const url = await amazon.server.listen(0, '127.0.0.1');
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

async function gateway<Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const result = await graphql<Data>(ponte.gatewayUrl, query, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

/** The channel's canonical availability per SKU, read from the inventory itself (past the gateway's response cache). */
async function canonical(skus: readonly string[]): Promise<Map<string, number>> {
  const result = await graphql<{ products: { nodes: Array<{ sku: string; availability: { quantity: number } }> } }>(
    inventoryUrl,
    'query($skus: [ID!], $channel: ID!) { products(skus: $skus, first: 200) { nodes { sku availability(channel: $channel) { quantity } } } }',
    { skus, channel: CHANNEL },
    { [GATEWAY_SECRET_HEADER]: gatewaySecret },
  );
  expect(result.errors).toBeUndefined();
  return new Map(result.data!.products.nodes.map((node) => [node.sku, node.availability.quantity]));
}

async function receive(sku: string, quantity: number): Promise<void> {
  await gateway(
    'mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { replayed } }',
    { input: { idempotencyKey: randomUUID(), sku, location: 'cd-sao-paulo', quantity, reason: 'listing sync test' } },
  );
}

async function amazonQuantity(sku: string): Promise<number | undefined> {
  return control.quantityOf(sku);
}

/** Waits until Amazon's merchant-fulfilled quantity of `sku` is the channel's canonical availability. */
async function converged(sku: string, timeoutMs = 30_000): Promise<number> {
  return eventually(
    async () => ({ amazon: await amazonQuantity(sku), canonical: (await canonical([sku])).get(sku) }),
    ({ amazon, canonical }) => amazon !== undefined && amazon === canonical,
    `${sku} on Amazon to show the canonical quantity`,
    timeoutMs,
  ).then(({ canonical }) => canonical!);
}

const listedSkus = demoProducts.map((product) => product.sku).filter((sku) => sku !== UNLISTED_SKU);

// ---- tests ----

describe('Amazon channel sync', () => {
  it('after start, every listed SKU shows the canonical channel availability (read through the gateway)', async () => {
    const query = 'query($skus: [ID!]) { products(skus: $skus, first: 200) { nodes { sku availability(channel: "amazon-br") { quantity } } } }';
    const shown = await eventually(
      async () => {
        const data = await gateway<{ products: { nodes: Array<{ sku: string; availability: { quantity: number } }> } }>(query, { skus: listedSkus });
        const stock = new Map((await control.stock()).map((entry) => [entry.sku, entry.quantity]));
        return data.products.nodes.map((node) => ({ sku: node.sku, canonical: node.availability.quantity, amazon: stock.get(node.sku) }));
      },
      (rows) => rows.length === listedSkus.length && rows.every((row) => row.amazon === row.canonical),
      'every listing to show the canonical quantity',
      40_000,
      250,
    );
    // The seed lists raw on-hand units; the channel keeps a buffer, so the sync really changed them.
    const seeded = new Map(demoProducts.map((product) => [product.sku, (product.onHand['cd-sao-paulo'] ?? 0) + (product.onHand['3pl-extrema'] ?? 0)]));
    expect(shown.some((row) => row.canonical !== seeded.get(row.sku))).toBe(true);
    const calls = await control.calls();
    expect(calls.calls.filter((call) => call.rateLimited)).toEqual([]);
    // FBA is never touched: every patch only names the DEFAULT channel.
    expect(sandbox.store.listings.get(listedSkus[0]!)!.attributes['fulfillment_availability']!.every((entry) => entry['fulfillment_channel_code'] === 'DEFAULT')).toBe(true);
  });

  it('a stock change through the gateway reaches Amazon quickly', async () => {
    const sku = listedSkus[1]!;
    await converged(sku);
    const before = (await canonical([sku])).get(sku)!;
    const started = performance.now();
    await receive(sku, 7);
    const expected = (await canonical([sku])).get(sku)!;
    expect(expected).toBe(before + 7);
    await eventually(() => amazonQuantity(sku), (quantity) => quantity === expected, `${sku} to show ${expected}`, 10_000, 10);
    const latencyMs = Math.round(performance.now() - started);
    console.log(`[amazon channel sync] receiveStock → Amazon listing quantity in ${latencyMs} ms`);
  });

  it('a stock push changes the quantity alone: the merchant\'s handling time, restock date and FBA entry stay', async () => {
    const sku = listedSkus[3]!;
    await converged(sku);
    // Set by the merchant in Seller Central: 6 days to ship, restock expected, and FBA stock Amazon manages.
    const listing = sandbox.store.listings.get(sku)!;
    const merchantEntry = { ...listing.attributes['fulfillment_availability']!.find((entry) => entry['fulfillment_channel_code'] === 'DEFAULT'), lead_time_to_ship_max_days: 6, restock_date: '2026-12-20' };
    listing.attributes['fulfillment_availability'] = [{ fulfillment_channel_code: 'AMAZON_NA', quantity: 11 }, merchantEntry];
    await control.clearCalls();
    await receive(sku, 3);
    const expected = (await canonical([sku])).get(sku)!;
    await eventually(() => amazonQuantity(sku), (quantity) => quantity === expected, `${sku} to show ${expected}`, 10_000, 10);
    expect(sandbox.store.listings.get(sku)!.attributes['fulfillment_availability']).toEqual([
      { fulfillment_channel_code: 'AMAZON_NA', quantity: 11 },
      { fulfillment_channel_code: 'DEFAULT', quantity: expected, lead_time_to_ship_max_days: 6, restock_date: '2026-12-20' },
    ]);
    const patches = (await control.calls()).calls.filter((call) => call.operation === 'patchListingsItem');
    expect(patches.length).toBeGreaterThanOrEqual(1);
  });

  it('30 rapid changes to one SKU are coalesced, end at the right quantity and never break the rate limit', async () => {
    const sku = listedSkus[2]!;
    await converged(sku);
    await control.clearCalls();
    // A burst, as a flash sale's orders arrive: sent together, so how many pushes they coalesce into
    // does not depend on how fast this machine runs 30 requests one after another.
    await Promise.all(Array.from({ length: 30 }, () => receive(sku, 1)));
    const final = await converged(sku);
    const expected = (await canonical([sku])).get(sku)!;
    expect(final).toBe(expected);
    // Nothing else is pending, so the quantity must stay there (no late, older push).
    await eventually(() => amazon.stockSync.status(), (status) => status.pending === 0, 'nothing pending', 10_000);
    expect(await amazonQuantity(sku)).toBe(expected);
    const calls = await control.calls();
    const patches = calls.calls.filter((call) => call.method === 'PATCH' && call.path.endsWith(`/${sku}`));
    console.log(`[amazon channel sync] 30 changes → ${patches.length} patchListingsItem calls`);
    expect(patches.length).toBeGreaterThan(0);
    // Fewer pushes than changes: how many fewer depends on how fast the inventory commits the burst
    // (about half on a loaded 2-core machine, a handful on a quiet one).
    expect(patches.length).toBeLessThan(30);
    expect(calls.rateLimited).toBe(0);
  });

  it('retries while Amazon is down and converges once it is back', async () => {
    const sku = listedSkus[3]!;
    await converged(sku);
    const shownBefore = await amazonQuantity(sku);
    await control.clearCalls();
    await control.injectFault({ mode: 'error', status: 503, pathPrefix: '/listings/', durationMs: 60_000 });
    try {
      await receive(sku, 3);
      // Several patches answered 503 (the client's own retries, then the worker's backoff).
      await eventually(async () => (await control.calls()).calls.filter((call) => call.method === 'PATCH' && call.fault === 'error').length, (failed) => failed >= 6, 'the patches to fail', 15_000);
      expect(await amazonQuantity(sku)).toBe(shownBefore);
      const status = await gateway<{ amazonListingSync: { pending: number; dead: number } }>('{ amazonListingSync { pending dead } }');
      expect(status.amazonListingSync.pending).toBeGreaterThanOrEqual(1);
    } finally {
      await control.clearFaults();
    }
    await converged(sku, 15_000);
    expect((await control.calls()).rateLimited).toBe(0);
  });

  it('a merchant edit in Seller Central is reported by reconcileAmazonListings and overwritten', async () => {
    const sku = listedSkus[4]!;
    const expected = await converged(sku);
    await eventually(() => amazon.stockSync.status(), (status) => status.pending === 0, 'nothing pending', 10_000);
    await control.setStock(sku, expected + 42);
    const data = await gateway<{ reconcileAmazonListings: Array<{ sku: string; expected: number; actual: number | null }> }>('mutation { reconcileAmazonListings { sku expected actual } }');
    expect(data.reconcileAmazonListings).toContainEqual({ sku, expected, actual: expected + 42 });
    await eventually(() => amazonQuantity(sku), (quantity) => quantity === expected, `${sku} to show ${expected}`, 10_000);
  });

  it('a SKU Amazon does not list ends as a dead letter, visible through the gateway, and can be replayed', async () => {
    const query = '{ amazonListingSync { dead deadLetters { sku quantity attempts lastError } } }';
    const dead = await eventually(
      () => gateway<{ amazonListingSync: { dead: number; deadLetters: Array<{ sku: string; quantity: number; attempts: number; lastError: string | null }> } }>(query),
      // Counts and letters are read by two statements: wait until both show it.
      (data) => data.amazonListingSync.dead >= 1 && data.amazonListingSync.deadLetters.some((letter) => letter.sku === UNLISTED_SKU),
      'the unlisted SKU among the dead letters',
    );
    const letter = dead.amazonListingSync.deadLetters.find((entry) => entry.sku === UNLISTED_SKU)!;
    expect(dead.amazonListingSync.dead).toBeGreaterThanOrEqual(1);
    expect(letter.lastError).toMatch(/not listed/);
    expect(letter.quantity).toBe((await canonical([UNLISTED_SKU])).get(UNLISTED_SKU));

    // The seller lists it on Amazon; replaying the dead letter pushes the canonical quantity.
    await control.seed({});
    expect(await amazonQuantity(UNLISTED_SKU)).toBeDefined();
    const replayed = await gateway<{ replayAmazonListingSync: number }>('mutation($skus: [ID!]) { replayAmazonListingSync(skus: $skus) }', { skus: [UNLISTED_SKU] });
    expect(replayed.replayAmazonListingSync).toBe(1);
    await converged(UNLISTED_SKU, 15_000);
    const after = await gateway<{ amazonListingSync: { deadLetters: Array<{ sku: string }> } }>(query);
    expect(after.amazonListingSync.deadLetters.map((entry) => entry.sku)).not.toContain(UNLISTED_SKU);
  });
});
