/**
 * Mercado Livre keeps whichever `PUT /items/{id}` lands last, with no version to compare: two
 * writes of one item in flight at once may land in either order. A write held back (the call
 * budget lets a sold-out push go first) must not be overtaken by a newer one. And a write that
 * would wait behind order reads for the budget is held back instead, so it goes with the newest
 * quantity rather than one superseded while it waited.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import type { MlItem, MlItemUpdate } from './api-types.ts';
import type { MercadoLivreClient } from './client.ts';
import { MercadoLivreListingSync } from './listing-sync.ts';
import type { MercadoLivreListings } from './listings.ts';
import type { SkuIndex } from './sku-index.ts';

/** A client whose writes are answered when the test says. */
function heldClient() {
  const writes: Array<{ itemId: string; body: MlItemUpdate; answer: () => void }> = [];
  const client = {
    updateItem: (itemId: string, body: MlItemUpdate) =>
      new Promise<MlItem>((resolve) => writes.push({ itemId, body, answer: () => resolve({ id: itemId, available_quantity: body.available_quantity } as MlItem) })),
    items: async () => [],
  } as unknown as MercadoLivreClient;
  return { client, writes };
}

describe('Mercado Livre listing writes', () => {
  it('sends an item\'s next quantity only once the write before it is answered, so the newer one lands last', async () => {
    const { client, writes } = heldClient();
    let now = 0;
    const sync = new MercadoLivreListingSync({
      client,
      index: { lookup: async (skus: readonly string[]) => new Map(skus.map((sku) => [sku, { itemId: 'MLB1', variationId: null }])), learn: () => {} } as unknown as SkuIndex,
      listings: { forgetItem: () => {} } as unknown as MercadoLivreListings,
      log: createLogger('test', 'silent'),
      minItemWriteIntervalMs: 250,
      now: () => now,
    });

    const first = sync.push([{ sku: 'KETTLE', quantity: 3 }]);
    await settled(() => writes.length === 1);
    // Well past the write interval, the first write still unanswered (waiting on the budget).
    now += 5_000;
    const second = await sync.push([{ sku: 'KETTLE', quantity: 0 }]);
    expect(second).toEqual([expect.objectContaining({ sku: 'KETTLE', outcome: 'RETRY', deferred: true })]);
    expect(writes).toHaveLength(1);

    writes[0]!.answer();
    expect(await first).toEqual([{ sku: 'KETTLE', outcome: 'PUSHED' }]);
    now += 5_000;
    const retried = sync.push([{ sku: 'KETTLE', quantity: 0 }]);
    await settled(() => writes.length === 2);
    writes[1]!.answer();
    expect(await retried).toEqual([{ sku: 'KETTLE', outcome: 'PUSHED' }]);
    expect(writes.map((write) => write.body.available_quantity)).toEqual([3, 0]);
  });

  it('holds a quantity back while order reads wait for the call budget, and writes a sell-out at once', async () => {
    const { client, writes } = heldClient();
    let readsWaiting = 3;
    const sync = new MercadoLivreListingSync({
      client,
      index: { lookup: async (skus: readonly string[]) => new Map(skus.map((sku, index) => [sku, { itemId: `MLB${index + 1}`, variationId: null }])), learn: () => {} } as unknown as SkuIndex,
      listings: { forgetItem: () => {} } as unknown as MercadoLivreListings,
      log: createLogger('test', 'silent'),
      callsAhead: () => readsWaiting,
    });

    const sent = sync.push([{ sku: 'KETTLE', quantity: 3 }, { sku: 'TOASTER', quantity: 0 }]);
    await settled(() => writes.length === 1);
    // The sell-out goes (it keeps the platform from selling what is gone); the other waits, uncounted.
    expect(writes.map((write) => [write.itemId, write.body.available_quantity])).toEqual([['MLB2', 0]]);
    writes[0]!.answer();
    expect(await sent).toEqual([
      expect.objectContaining({ sku: 'KETTLE', outcome: 'RETRY', deferred: true }),
      { sku: 'TOASTER', outcome: 'PUSHED' },
    ]);

    // The reads went through: the quantity as it is by then is written.
    readsWaiting = 0;
    const later = sync.push([{ sku: 'KETTLE', quantity: 2 }]);
    await settled(() => writes.length === 2);
    writes[1]!.answer();
    expect(await later).toEqual([{ sku: 'KETTLE', outcome: 'PUSHED' }]);
    expect(writes[1]!.body.available_quantity).toBe(2);
  });
});

/** Lets pending promise callbacks run until `condition` holds. */
async function settled(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}
