import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createWooCommerceSandbox, type WooCommerceSandbox } from '../../sandboxes/woocommerce/woocommerce-sandbox.ts';
import { graphql, startPonte, type RunningPonte } from '../../test/support/ponte.ts';
import { createLogger } from '../../kit/logger.ts';
import { createWooCommerceSubgraph, woocommerceSdl, type WooCommerceSubgraph } from './index.ts';
import { eventually } from '../../test/support/eventually.ts';
import { platformSubgraph } from '../../test/support/platform-subgraph.ts';

/**
 * Channel sync end to end over real sockets: canonical stock changes in the inventory (through
 * the gateway) reach the WooCommerce sandbox's listings through the subgraph's StockSync.
 */
const CHANNEL = 'woocommerce-br';
const WAREHOUSE = 'cd-sao-paulo';
const BATCH_PATH = /^\/wp-json\/wc\/v3\/products\/(\d+\/variations\/)?batch$/;

let sandbox: WooCommerceSandbox;
let control: SandboxControlClient;
let ponte: RunningPonte;
let woo: WooCommerceSubgraph;
let keys = 0;

beforeAll(async () => {
  sandbox = createWooCommerceSandbox();
  control = new SandboxControlClient(await sandbox.listen(0, '127.0.0.1'));
  ponte = await startPonte({
    extraSubgraphs: [
      platformSubgraph({
        name: 'woocommerce',
        sdl: woocommerceSdl(),
        database: 'woocommerce_sync',
        create: ({ database, inventoryUrl, gatewaySecret, serviceKey }) =>
          createWooCommerceSubgraph({
            database,
            log: createLogger('test'),
            gatewaySecret,
            serviceKey,
            inventoryUrl,
            store: { storeUrl: sandbox.url, consumerKey: 'ck_sandbox', consumerSecret: 'cs_sandbox', baseDelayMs: 20 },
            reconcileIntervalMs: 0,
            stockSync: { pollIntervalMs: 100, maxBackoffMs: 300, resyncIntervalMs: false },
          }),
        started: async ({ subgraph }) => {
          woo = subgraph;
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
  await control.clearFaults();
});

async function gql<Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const result = await graphql<Data>(ponte.gatewayUrl, query, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

/** The canonical availability of the store's channel, per SKU, through the gateway. */
async function canonicalAvailability(): Promise<Map<string, number>> {
  const data = await gql<{ products: { nodes: Array<{ sku: string; availability: { quantity: number } }> } }>(
    'query($channel: ID!) { products(first: 200) { nodes { sku availability(channel: $channel) { quantity } } } }',
    { channel: CHANNEL },
  );
  return new Map(data.products.nodes.map((node) => [node.sku, node.availability.quantity]));
}

async function availabilityOf(sku: string): Promise<number> {
  const data = await gql<{ product: { availability: { quantity: number } } }>('query($sku: ID!, $channel: ID!) { product(sku: $sku) { availability(channel: $channel) { quantity } } }', { sku, channel: CHANNEL });
  return data.product.availability.quantity;
}

async function receive(sku: string, quantity: number): Promise<void> {
  await gql('mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { replayed } }', {
    input: { idempotencyKey: `listing-sync-test-${++keys}-${Date.now()}`, sku, location: WAREHOUSE, quantity, reason: 'listing sync test' },
  });
}

/** Waits until the store shows the canonical quantity of `sku`; returns it. */
async function converged(sku: string, timeoutMs = 20_000): Promise<number> {
  const wanted = await availabilityOf(sku);
  await eventually(() => control.quantityOf(sku), (shown) => shown === wanted, `${sku} at ${wanted} on WooCommerce`, timeoutMs);
  return wanted;
}

async function syncStatus(): Promise<{ pending: number; synced: number; dead: number; deadLetters: Array<{ sku: string; quantity: number; attempts: number; lastError: string | null; updatedAt: string }> }> {
  return (await gql<{ wooCommerceListingSync: Awaited<ReturnType<typeof syncStatus>> }>('{ wooCommerceListingSync { pending synced dead deadLetters { sku quantity attempts lastError updatedAt } } }')).wooCommerceListingSync;
}

describe('channel sync pushes canonical stock to WooCommerce', () => {
  it('after start, every SKU the store lists shows the channel availability', async () => {
    const listed = await control.stock();
    expect(listed.length).toBeGreaterThan(0);
    await eventually(
      async () => {
        const canonical = await canonicalAvailability();
        const shown = new Map((await control.stock()).map((entry) => [entry.sku, entry.quantity]));
        return listed.filter((entry) => canonical.has(entry.sku)).map((entry) => ({ sku: entry.sku, canonical: canonical.get(entry.sku), shown: shown.get(entry.sku) }));
      },
      (rows) => rows.length > 0 && rows.every((row) => row.canonical === row.shown),
      'every listed SKU at its canonical availability',
    );
    // Seeded with the demo onHand, without the channel's 80 % policy: the first sync had to correct them.
    expect((await control.calls()).calls.some((call) => BATCH_PATH.test(call.path) && call.status === 200)).toBe(true);
  });

  it('a stock change through the gateway reaches the store within the deadline', async () => {
    const sku = 'CAF-GRAOS-1KG';
    await converged(sku);
    const before = await control.quantityOf(sku);
    const started = performance.now();
    await receive(sku, 10);
    const wanted = await availabilityOf(sku);
    expect(wanted).not.toBe(before);
    await eventually(() => control.quantityOf(sku), (shown) => shown === wanted, 'received units on WooCommerce', 10_000, 5);
    const latencyMs = performance.now() - started;
    console.log(`[listing-sync] receiveStock → WooCommerce stock_quantity in ${latencyMs.toFixed(0)} ms`);
  });

  it('coalesces 30 rapid changes of one SKU into far fewer pushes, without breaking the rate limit', async () => {
    const sku = 'CAF-MOIDO-500';
    await converged(sku);
    await control.clearCalls();
    // A real WordPress takes a few hundred ms per write; the sandbox answers in one. While a push
    // is in flight the changes after it pile up in one row and go as one quantity.
    await control.injectFault({ mode: 'slow', delayMs: 200, pathPrefix: '/wp-json/wc/v3/products', method: 'POST' });
    await Promise.all(Array.from({ length: 30 }, () => receive(sku, 1)));
    const wanted = await converged(sku);
    expect(wanted).toBe(await availabilityOf(sku));
    const log = await control.calls();
    const pushes = log.calls.filter((call) => BATCH_PATH.test(call.path) && call.method === 'POST');
    console.log(`[listing-sync] 30 changes of ${sku} → ${pushes.length} batch pushes`);
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.length).toBeLessThanOrEqual(10);
    expect(log.rateLimited).toBe(0);
  });

  it('retries while the store is down, then converges once it answers again', async () => {
    const sku = 'CAF-GRAOS-1KG';
    await converged(sku);
    await control.clearCalls();
    // Every product call fails for 8 calls: the client's own retries and then the queue's.
    await control.injectFault({ mode: 'error', status: 503, pathPrefix: '/wp-json/wc/v3/products', calls: 8 });
    await receive(sku, 3);
    await eventually(async () => (await control.calls()).calls.filter((call) => call.status === 503).length, (failed) => failed >= 8, 'the store failing');
    await converged(sku);
    const log = await control.calls();
    expect(log.calls.filter((call) => BATCH_PATH.test(call.path) && call.status === 200).length).toBeGreaterThan(0);
    expect((await syncStatus()).dead).toBe(0);
  });

  it('keeps a SKU the store does not list as a dead letter, visible and replayable through the gateway', async () => {
    const sku = 'SYNC-NAO-LISTADO-1';
    await gql('mutation($input: RegisterProductsInput!) { registerProducts(input: $input) { replayed } }', { input: { idempotencyKey: `register-${sku}-${Date.now()}`, skus: [sku] } });
    await receive(sku, 7);
    // Counts and letters are read by two statements: wait until both show it.
    const status = await eventually(syncStatus, (current) => current.dead >= 1 && current.deadLetters.some((letter) => letter.sku === sku), 'dead letter for the unlisted SKU');
    expect(status.dead).toBeGreaterThanOrEqual(1);
    expect(status.deadLetters.find((letter) => letter.sku === sku)).toMatchObject({ quantity: await availabilityOf(sku), attempts: 1, lastError: expect.stringContaining('not listed') });

    const replayed = await gql<{ replayWooCommerceListingSync: number }>('mutation($skus: [ID!]) { replayWooCommerceListingSync(skus: $skus) }', { skus: [sku] });
    expect(replayed.replayWooCommerceListingSync).toBe(1);
    // Still not listed: tried again (a newer updatedAt), and back among the dead letters.
    const before = status.deadLetters.find((letter) => letter.sku === sku)!.updatedAt;
    await eventually(
      syncStatus,
      (current) => current.pending === 0 && current.deadLetters.some((letter) => letter.sku === sku && letter.updatedAt > before),
      'replayed dead letter tried again',
    );
  });

  it('reports a merchant edit in the store admin as drift and overwrites it with the canonical quantity', async () => {
    const sku = 'CAF-MOIDO-500';
    const wanted = await converged(sku);
    await eventually(syncStatus, (current) => current.pending === 0, 'queue settled');
    await control.setStock(sku, wanted + 41);
    const drift = await gql<{ reconcileWooCommerceListings: Array<{ sku: string; expected: number; actual: number | null }> }>('mutation { reconcileWooCommerceListings { sku expected actual } }');
    expect(drift.reconcileWooCommerceListings).toContainEqual({ sku, expected: wanted, actual: wanted + 41 });
    await eventually(() => control.quantityOf(sku), (shown) => shown === wanted, 'merchant edit overwritten', 10_000);
  });
});
