/**
 * The idempotency key of Ponte's Shopify quantity writes, against the sandbox on API 2026-04+,
 * where `@idempotent(key:)` is mandatory at run time
 * (https://shopify.dev/changelog/making-idempotency-mandatory-for-inventory-adjustments-and-refund-mutations):
 * a retry of the same push replays Shopify's stored result; a newer push is a new write.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createShopifySandbox, type ShopifySandbox } from '../../sandboxes/shopify/shopify-sandbox.ts';
import { createLogger } from '../../kit/logger.ts';
import { ShopifyClient } from './client.ts';
import { ShopifyListingPusher } from './listing-sync.ts';

const log = createLogger('shopify-idempotency-test');
const SKU = 'CAM-BASICA-M';

describe('Shopify quantity writes carry an idempotency key (API 2026-04 and later)', () => {
  let sandbox: ShopifySandbox;
  let control: SandboxControlClient;
  /** Set by a test: the next answer to a quantity write is lost after Shopify applied it. */
  let loseNextWriteAnswer = false;
  const sentKeys: string[] = [];

  function pusher(apiVersion: string): ShopifyListingPusher {
    const client = new ShopifyClient({
      shopDomain: sandbox.shopDomain,
      accessToken: sandbox.accessToken,
      apiVersion,
      baseUrl: sandbox.url,
      baseDelayMs: 5,
      maxAttempts: 3,
      log,
      fetch: async (input, init) => {
        const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { query: string; variables?: { idempotencyKey?: string } }) : undefined;
        const response = await fetch(input, init);
        if (body?.query.includes('SetListingQuantities')) {
          sentKeys.push(body.variables?.idempotencyKey ?? '(none)');
          if (loseNextWriteAnswer) {
            loseNextWriteAnswer = false;
            await response.body?.cancel();
            throw new TypeError('fetch failed: the connection dropped before the answer arrived');
          }
        }
        return response;
      },
    });
    return new ShopifyListingPusher({ client, log, channel: 'shopify-br', minWriteIntervalMs: 0 });
  }

  /** Adjustment groups Ponte's writes made (the merchant's edits make their own). */
  const ponteWrites = () => [...sandbox.store.adjustmentGroups.values()].filter((group) => group.referenceDocumentUri?.startsWith('gid://ponte/')).length;
  const shown = async () => (await control.stock()).find((entry) => entry.sku === SKU)?.quantity;

  beforeEach(async () => {
    sandbox = createShopifySandbox();
    control = new SandboxControlClient(await sandbox.listen());
    sentKeys.length = 0;
    loseNextWriteAnswer = false;
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('a retry after a lost answer is a replay: the quantity is written once', async () => {
    const sync = pusher('2026-04');
    loseNextWriteAnswer = true;
    expect(await sync.push([{ sku: SKU, quantity: 7, stockVersion: 41 }])).toEqual([{ sku: SKU, outcome: 'PUSHED' }]);
    // Two sends (the lost one and the client's retry) with one key; Shopify applied one write.
    expect(sentKeys).toHaveLength(2);
    expect(sentKeys[1]).toBe(sentKeys[0]);
    expect(sentKeys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ponteWrites()).toBe(1);
    expect(await shown()).toBe(7);
  });

  it('a newer push is a new key and a new write; so is the same push after the merchant undid it', async () => {
    const sync = pusher('2026-10');
    const before = (await control.stock()).find((entry) => entry.sku === SKU)?.byLocation ?? {};
    expect(await sync.push([{ sku: SKU, quantity: 7, stockVersion: 41 }])).toEqual([{ sku: SKU, outcome: 'PUSHED' }]);
    expect(await sync.push([{ sku: SKU, quantity: 5, stockVersion: 42 }])).toEqual([{ sku: SKU, outcome: 'PUSHED' }]);
    expect(new Set(sentKeys).size).toBe(2);
    expect(await shown()).toBe(5);

    // The merchant puts the old count back in Shopify admin; reconciliation pushes version 42 again.
    // The write has the same content as before, but it must not be answered from Shopify's store of results.
    for (const [locationCode, quantity] of Object.entries(before)) await control.setStock(SKU, quantity, locationCode);
    expect(await sync.push([{ sku: SKU, quantity: 7, stockVersion: 41 }])).toEqual([{ sku: SKU, outcome: 'PUSHED' }]);
    expect(sentKeys[2]).not.toBe(sentKeys[0]);
    expect(await shown()).toBe(7);
    expect(ponteWrites()).toBe(3);
    // And a plain repeat of what Shopify already shows writes nothing at all.
    expect(await sync.push([{ sku: SKU, quantity: 7, stockVersion: 41 }])).toEqual([{ sku: SKU, outcome: 'PUSHED' }]);
    expect(sentKeys).toHaveLength(3);
  });

  it('sends no directive to a version that does not have it (before 2026-01)', async () => {
    const sync = pusher('2025-10');
    // Before 2026-04 the compare-and-set check cannot be skipped by a null changeFromQuantity, and Ponte always sends one.
    expect(await sync.push([{ sku: SKU, quantity: 3, stockVersion: 1 }])).toEqual([{ sku: SKU, outcome: 'PUSHED' }]);
    expect(sentKeys).toEqual(['(none)']);
    expect(await shown()).toBe(3);
  });
});
