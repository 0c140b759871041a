// Channel sync to Mercado Livre, end to end through real sockets: the sandbox, inventory +
// catalog + this subgraph, and the gateway. Waits poll with a deadline; nothing sleeps a fixed time.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSeedFor } from '../../sandboxes/common/catalog.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createMercadoLivreSandbox, type MercadoLivreSandbox } from '../../sandboxes/mercadolivre/mercadolivre-sandbox.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { graphql, startPonte, type RunningPonte } from '../../test/support/ponte.ts';
import { createLogger } from '../../kit/logger.ts';
import { createMercadoLivreSubgraph, DEFAULT_CHANNEL, mercadolivreSdl, type MercadoLivreSubgraph } from './index.ts';
import { eventually } from '../../test/support/eventually.ts';
import { sandboxPlatform } from '../../test/support/mercadolivre.ts';

const log = createLogger('test');
/** In the canonical catalog, left out of the Mercado Livre account. */
const UNLISTED_SKU = 'LAN-CAMPING';
/** The warehouse that feeds the Mercado Livre channel first. */
const WAREHOUSE = 'cd-sao-paulo';

let sandbox: MercadoLivreSandbox;
let control: SandboxControlClient;
let ponte: RunningPonte;
let ml: MercadoLivreSubgraph;
let mlDatabase: TestDatabase;

beforeAll(async () => {
  const seed = defaultSeedFor('MERCADO_LIVRE');
  seed.products = seed.products.filter((product) => product.sku !== UNLISTED_SKU);
  sandbox = createMercadoLivreSandbox({ seed, notificationRetry: { initialDelayMs: 50, maxDelayMs: 500, timeoutMs: 2000 } });
  control = new SandboxControlClient(await sandbox.listen());
  ponte = await startPonte({
    extraSubgraphs: [
      {
        name: 'mercadolivre',
        sdl: mercadolivreSdl(),
        async start({ inventoryUrl, gatewaySecret, serviceKey }) {
          mlDatabase = await createTestDatabase('mercadolivre_sync');
          ml = await createMercadoLivreSubgraph({
            database: mlDatabase.db,
            log,
            gatewaySecret,
            serviceKey,
            inventoryUrl,
            platform: sandboxPlatform(sandbox),
            inbox: { pollIntervalMs: 100, maxBackoffMs: 1000 },
            stockSync: { pollIntervalMs: 100, maxBackoffMs: 1000, resyncIntervalMs: false },
            alerts: false,
          });
          const url = await ml.server.listen(0, '127.0.0.1');
          // Sales on Mercado Livre reach the subgraph as they would: notified, then read.
          sandbox.notificationCallbackUrl = new URL(ml.notificationsPath, url).toString();
          return { url, close: () => ml.close() };
        },
      },
    ],
  });
}, 60_000);

afterAll(async () => {
  await ponte?.close();
  await mlDatabase?.drop();
  await sandbox?.close();
});

async function gateway<Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const result = await graphql<Data>(ponte.gatewayUrl, query, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

/** The quantity the canonical inventory wants the Mercado Livre listing of each SKU to show. */
async function canonical(skus: readonly string[]): Promise<Map<string, number>> {
  const data = await gateway<{ products: { nodes: Array<{ sku: string; availability: { quantity: number } }> } }>(
    `query($skus: [ID!], $channel: ID!) { products(skus: $skus, first: 200) { nodes { sku availability(channel: $channel) { quantity } } } }`,
    { skus, channel: DEFAULT_CHANNEL },
  );
  return new Map(data.products.nodes.map((node) => [node.sku, node.availability.quantity]));
}

async function canonicalOf(sku: string): Promise<number> {
  const data = await gateway<{ product: { availability: { quantity: number } } }>(`query($sku: ID!, $channel: ID!) { product(sku: $sku) { availability(channel: $channel) { quantity } } }`, { sku, channel: DEFAULT_CHANNEL });
  return data.product.availability.quantity;
}

/** A stock count at the warehouse: sets on-hand there, which moves the channel's availability. */
async function countStock(sku: string, quantity: number): Promise<void> {
  await gateway(`mutation($input: SetStockInput!) { setStock(input: $input) { replayed } }`, { input: { idempotencyKey: randomUUID(), sku, location: WAREHOUSE, quantity, reason: 'cycle count' } });
}

async function platformQuantity(sku: string): Promise<number | undefined> {
  return control.quantityOf(sku);
}

async function listedSkus(): Promise<string[]> {
  return (await control.stock()).map((entry) => entry.sku);
}

async function untilListingShowsCanonical(sku: string, timeoutMs = 10_000): Promise<number> {
  const wanted = await canonicalOf(sku);
  await eventually(() => platformQuantity(sku), (shown) => shown === wanted, `${sku} to show ${wanted} on Mercado Livre`, timeoutMs);
  return wanted;
}

interface SyncStatusView {
  pending: number;
  synced: number;
  dead: number;
  deadLetters: Array<{ sku: string; quantity: number; attempts: number; lastError: string | null; updatedAt: string }>;
}

async function syncStatus(): Promise<SyncStatusView> {
  return (await gateway<{ mercadoLivreListingSync: SyncStatusView }>('{ mercadoLivreListingSync { pending synced dead deadLetters { sku quantity attempts lastError updatedAt } } }')).mercadoLivreListingSync;
}

describe('Mercado Livre channel sync', () => {
  it('brings every listed SKU to the canonical channel availability after start', async () => {
    const skus = await listedSkus();
    expect(skus.length).toBeGreaterThan(40);
    const wanted = await canonical(skus);
    expect(wanted.size).toBe(skus.length);
    const stock = await eventually(
      () => control.stock(),
      (listed) => listed.every((entry) => entry.quantity === wanted.get(entry.sku)),
      'every listing to show the canonical availability',
    );
    // The seed lists raw on-hand sums; the channel policy (buffer, cap of 50) changes most of them.
    expect(stock.some((entry) => entry.quantity === 50)).toBe(true);
    expect((await control.calls()).rateLimited).toBe(0);
  });

  it('carries a stock change at the gateway to the listing within the deadline', async () => {
    const sku = 'XIC-PORCELANA';
    const before = await untilListingShowsCanonical(sku);
    const started = performance.now();
    await countStock(sku, 3);
    const after = await canonicalOf(sku);
    expect(after).not.toBe(before);
    await eventually(() => platformQuantity(sku), (shown) => shown === after, `${sku} to show ${after}`, 10_000);
    const latencyMs = performance.now() - started;
    console.log(`[mercadolivre listing sync] stock count → Mercado Livre listing in ${latencyMs.toFixed(0)} ms (${before} → ${after})`);

    // A SKU that is a variation: one PUT with every variation of its item.
    const variationSku = (await listedSkus()).find((candidate) => candidate.startsWith('CAM-LINHO-'))!;
    const siblings = (await listedSkus()).filter((candidate) => candidate.startsWith('CAM-LINHO-') && candidate !== variationSku);
    const siblingsBefore = await Promise.all(siblings.map((candidate) => platformQuantity(candidate)));
    await countStock(variationSku, 4);
    await untilListingShowsCanonical(variationSku);
    // The other variations survive the write, with the quantities they had.
    expect(await Promise.all(siblings.map((candidate) => platformQuantity(candidate)))).toEqual(siblingsBefore);
  });

  it("does not write back Mercado Livre's own sale: its listings show it already, read with one multiget", async () => {
    // Below the channel's cap, so that a sale moves the canonical quantity as it moves the listing.
    const skus = ['CAF-GRAOS-1KG', 'PRA-CERAMICA'];
    for (const sku of skus) await countStock(sku, 12);
    for (const sku of skus) await untilListingShowsCanonical(sku);
    const before = await canonical(skus);
    await eventually(() => syncStatus(), (status) => status.pending === 0, 'the queue to drain');
    await control.clearCalls();
    // Both lines' stock changes in one claim, as a storm's come: held (as by another replica's
    // claim) until both are reserved, else the drain every 100 ms may take them one at a time.
    await ml.db.query(`UPDATE listing_sync SET claimed_until = now() + interval '1 minute' WHERE sku = ANY($1::text[])`, [skus]);

    const placed = await control.placeOrder(skus.map((sku) => ({ sku, quantity: 1 })));
    for (const sku of skus) expect(await platformQuantity(sku)).toBe(before.get(sku)! - 1);
    await eventually(() => canonical(skus), (now) => skus.every((sku) => now.get(sku) === before.get(sku)! - 1), 'the sale reserved in Ponte');
    await eventually(
      () => ml.db.query<{ quantity: number }>(`SELECT quantity FROM listing_sync WHERE sku = ANY($1::text[]) AND status = 'PENDING'`, [skus]),
      (pending) => pending.length === 2,
      'both new quantities queued',
    );
    await eventually(() => ml.orderSync.lineStates(placed.id), (lines) => lines.length === 2, "the order's lines recorded");
    await ml.db.query(`UPDATE listing_sync SET claimed_until = NULL WHERE sku = ANY($1::text[])`, [skus]);
    const rows = await eventually(
      () => ml.db.query<{ sku: string; quantity: number; status: string }>(`SELECT sku, quantity, status FROM listing_sync WHERE sku = ANY($1::text[])`, [skus]),
      (found) => found.length === 2 && found.every((row) => row.status === 'SYNCED' && row.quantity === before.get(row.sku)! - 1),
      'the new quantities settled in the listing sync',
    );
    expect(rows).toHaveLength(2);

    const calls = (await control.calls()).calls;
    // Nothing else changed meanwhile: no listing written at all.
    expect(calls.filter((call) => call.method === 'PUT' && call.path.startsWith('/items/'))).toEqual([]);
    // The one multiget (`GET /items?ids=…`) that read both listings.
    expect(calls.filter((call) => call.method === 'GET' && call.path === '/items')).toHaveLength(1);
    for (const sku of skus) expect(await platformQuantity(sku)).toBe(before.get(sku)! - 1);
  });

  it('coalesces 30 rapid changes to one SKU into a few pushes, within the rate limit', async () => {
    const sku = (await listedSkus()).find((candidate) => candidate.startsWith('TEN-CORRIDA-'))!;
    await untilListingShowsCanonical(sku);
    await control.clearCalls();
    await Promise.all(Array.from({ length: 30 }, (_, index) => countStock(sku, 1 + index)));
    const final = await untilListingShowsCanonical(sku);
    // Let anything still queued go out before counting.
    await eventually(() => syncStatus(), (status) => status.pending === 0, 'the queue to drain');
    expect(await platformQuantity(sku)).toBe(final);
    const log = await control.calls();
    const pushes = log.calls.filter((call) => call.method === 'PUT' && call.path.startsWith('/items/'));
    console.log(`[mercadolivre listing sync] 30 changes → ${pushes.length} pushes`);
    expect(pushes.length).toBeGreaterThan(0);
    // An item is written at most every 250 ms; changes meanwhile collapse into the next write.
    expect(pushes.length).toBeLessThanOrEqual(10);
    expect(log.rateLimited).toBe(0);
  });

  it('retries while Mercado Livre is down and converges once it is back', async () => {
    const sku = 'VEL-AROMA';
    await untilListingShowsCanonical(sku);
    await control.clearCalls();
    await control.injectFault({ mode: 'error', status: 503, pathPrefix: '/items' });
    let wanted: number;
    try {
      await countStock(sku, 2);
      wanted = await canonicalOf(sku);
      await eventually(
        () => ml.db.query<{ attempts: number; lastError: string | null }>(`SELECT attempts, last_error AS "lastError" FROM listing_sync WHERE sku = $1`, [sku]),
        (rows) => (rows[0]?.attempts ?? 0) >= 2 && /503/.test(rows[0]?.lastError ?? ''),
        'failed pushes to be retried',
      );
      expect((await control.calls()).failed).toBeGreaterThan(1);
      expect(await platformQuantity(sku)).not.toBe(wanted);
    } finally {
      await control.clearFaults();
    }
    await eventually(() => platformQuantity(sku), (shown) => shown === wanted, `${sku} to show ${wanted} after the outage`, 15_000);
    expect((await syncStatus()).deadLetters.map((letter) => letter.sku)).not.toContain(sku);
  });

  it('keeps a SKU Mercado Livre does not list as a dead letter, and replays it on request', async () => {
    const dead = await eventually(() => syncStatus(), (status) => status.dead >= 1 && status.deadLetters.some((letter) => letter.sku === UNLISTED_SKU), 'the unlisted SKU to become a dead letter');
    expect(dead.dead).toBeGreaterThanOrEqual(1);
    const letter = dead.deadLetters.find((candidate) => candidate.sku === UNLISTED_SKU)!;
    expect(letter).toMatchObject({ attempts: 1, lastError: expect.stringContaining('not listed on Mercado Livre'), quantity: await canonicalOf(UNLISTED_SKU) });

    const replayed = await gateway<{ replayMercadoLivreListingSync: number }>('mutation($skus: [ID!]) { replayMercadoLivreListingSync(skus: $skus) }', { skus: [UNLISTED_SKU] });
    expect(replayed.replayMercadoLivreListingSync).toBe(1);
    // Tried again (still not listed, so dead again, with a newer timestamp).
    await eventually(
      () => syncStatus(),
      (status) => status.deadLetters.some((candidate) => candidate.sku === UNLISTED_SKU && candidate.updatedAt > letter.updatedAt),
      'the replayed SKU to be tried again',
    );
    // Nothing else was dead, so replaying "all" finds only that one.
    expect((await gateway<{ replayMercadoLivreListingSync: number }>('mutation { replayMercadoLivreListingSync }')).replayMercadoLivreListingSync).toBe(1);
  });

  it('reports a merchant edit on Mercado Livre as drift and overwrites it with the canonical quantity', async () => {
    const sku = (await listedSkus()).find((candidate) => candidate.startsWith('CAM-BASICA-'))!;
    const wanted = await untilListingShowsCanonical(sku);
    await eventually(() => syncStatus(), (status) => status.pending === 0, 'the queue to drain');
    const edited = wanted === 7 ? 8 : 7;
    await control.setStock(sku, edited);

    const drift = (await gateway<{ reconcileMercadoLivreListings: Array<{ sku: string; expected: number; actual: number | null }> }>('mutation { reconcileMercadoLivreListings { sku expected actual } }')).reconcileMercadoLivreListings;
    expect(drift).toContainEqual({ sku, expected: wanted, actual: edited });
    expect(drift.map((entry) => entry.sku)).not.toContain(UNLISTED_SKU);
    await eventually(() => platformQuantity(sku), (shown) => shown === wanted, `${sku} back at ${wanted}`, 10_000);

    const again = (await gateway<{ reconcileMercadoLivreListings: Array<{ sku: string }> }>('mutation { reconcileMercadoLivreListings { sku } }')).reconcileMercadoLivreListings;
    expect(again).toEqual([]);
  });
});
