import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { startCommerce, type RunningCommerce } from '../support/all-platforms.ts';
import { graphql } from '../support/ponte.ts';

/**
 * Ponte's promise, end to end: a sale on one platform reserves from the canonical stock and
 * every other platform's listing follows. Everything runs for real on free ports: four
 * sandboxes, inventory, catalog, four platform subgraphs with channel sync, and the gateway.
 */
let commerce: RunningCommerce;
let platforms: Record<'shopify' | 'woocommerce' | 'mercadolivre' | 'amazon', SandboxControlClient>;
const CHANNELS = { shopify: 'shopify-br', woocommerce: 'woocommerce-br', mercadolivre: 'mercado-livre', amazon: 'amazon-br' } as const;
type Platform = keyof typeof CHANNELS;

beforeAll(async () => {
  commerce = await startCommerce();
  const { urls } = commerce.sandboxes;
  platforms = {
    shopify: new SandboxControlClient(urls.shopify),
    woocommerce: new SandboxControlClient(urls.woocommerce),
    mercadolivre: new SandboxControlClient(urls.mercadolivre),
    amazon: new SandboxControlClient(urls.amazon),
  };
}, 120_000);
afterAll(async () => {
  await commerce?.close();
});

async function canonical(sku: string): Promise<Record<Platform, number>> {
  const result = await graphql<{ product: Record<string, { quantity: number }> }>(
    commerce.ponte.gatewayUrl,
    `query($sku: ID!) { product(sku: $sku) {
      shopify: availability(channel: "shopify-br") { quantity } woocommerce: availability(channel: "woocommerce-br") { quantity }
      mercadolivre: availability(channel: "mercado-livre") { quantity } amazon: availability(channel: "amazon-br") { quantity } } }`,
    { sku },
  );
  const product = result.data!.product;
  return { shopify: product.shopify!.quantity, woocommerce: product.woocommerce!.quantity, mercadolivre: product.mercadolivre!.quantity, amazon: product.amazon!.quantity };
}

/** Waits until every platform lists `expected`; resolves to how long each took from `since`. */
async function everyListingShows(sku: string, expected: Record<Platform, number>, since: number, timeoutMs = 20_000): Promise<Record<Platform, number>> {
  const reachedAfter: Partial<Record<Platform, number>> = {};
  const deadline = Date.now() + timeoutMs;
  const shown: Partial<Record<Platform, number | undefined>> = {};
  for (;;) {
    for (const platform of Object.keys(CHANNELS) as Platform[]) {
      if (reachedAfter[platform] !== undefined) continue;
      shown[platform] = await platforms[platform].quantityOf(sku);
      if (shown[platform] === expected[platform]) reachedAfter[platform] = Date.now() - since;
    }
    if (Object.keys(reachedAfter).length === 4) return reachedAfter as Record<Platform, number>;
    if (Date.now() > deadline) throw new Error(`listings of ${sku} did not converge: expected ${JSON.stringify(expected)}, shown ${JSON.stringify(shown)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('channel sync across every platform', () => {
  it('lists the canonical channel availability on every platform after start', async () => {
    for (const sku of ['CAM-BASICA-G', 'CAF-MOIDO-500', 'TEN-CORRIDA-42']) {
      await everyListingShows(sku, await canonical(sku), Date.now(), 60_000);
    }
  });

  it('a sale on Shopify reaches WooCommerce, Mercado Livre and Amazon, and its cancellation too', async () => {
    const sku = 'MOC-URBANA-VERDE';
    await everyListingShows(sku, await canonical(sku), Date.now(), 60_000);
    const before = await canonical(sku);

    const soldAt = Date.now();
    // A shopper in São Paulo: routed to the São Paulo warehouse, which feeds every channel (a buyer
    // nearer Extrema would ship from the 3PL, which WooCommerce does not list from).
    const order = await platforms.shopify.placeOrder([{ sku, quantity: 3 }], { shopper: 0 });
    let after = before;
    for (const deadline = Date.now() + 20_000; after.woocommerce === before.woocommerce && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await canonical(sku);
    }
    // The sale came from the warehouse that feeds every channel: each one lists 3 fewer (or its cap).
    expect(after.woocommerce).toBeLessThan(before.woocommerce);
    const latency = await everyListingShows(sku, after, soldAt);
    console.log(`sale on Shopify reached the listings after (ms): ${JSON.stringify(latency)}`);

    const cancelledAt = Date.now();
    await platforms.shopify.cancelOrder(order.id);
    const restored = await everyListingShows(sku, before, cancelledAt);
    console.log(`cancellation reached the listings after (ms): ${JSON.stringify(restored)}`);
  });

  it('a sale on Mercado Livre reaches the other platforms', async () => {
    const sku = 'GAR-TERMICA-INOX';
    await everyListingShows(sku, await canonical(sku), Date.now(), 60_000);
    const before = await canonical(sku);
    const soldAt = Date.now();
    await platforms.mercadolivre.placeOrder([{ sku, quantity: 2 }], { shopper: 0 });
    let after = before;
    for (const deadline = Date.now() + 20_000; after.amazon === before.amazon && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await canonical(sku);
    }
    expect(after.amazon).toBeLessThan(before.amazon);
    const latency = await everyListingShows(sku, after, soldAt);
    console.log(`sale on Mercado Livre reached the listings after (ms): ${JSON.stringify(latency)}`);
  });
});
