import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StockEvent } from './models.ts';
import { addFixtures, startInventory, type InventoryHarness } from './test-fixtures.ts';

let inventory: InventoryHarness;
const actor = { name: 'outbox-test' };

beforeAll(async () => {
  inventory = await startInventory();
  await addFixtures(inventory.subgraph.db, {
    locations: [{ id: 'main', priority: 1 }],
    channel: { id: 'shop', locations: ['main'], bufferUnits: 1 },
    skus: ['KETTLE', 'TOASTER'],
  });
});
afterAll(async () => {
  await inventory?.close();
});

/** Collects the relay's events for `sku` until `count` arrived. */
function collect(sku: string, count: number): { events: StockEvent[]; done: Promise<StockEvent[]>; stop: () => void } {
  const abort = new AbortController();
  const events: StockEvent[] = [];
  const done = (async () => {
    for await (const event of inventory.subgraph.stockEvents.events((e) => e.sku === sku, abort.signal)) {
      events.push(event);
      if (events.length === count) break;
    }
    return events;
  })();
  return { events, done, stop: () => abort.abort() };
}

describe('outbox', () => {
  it('publishes each committed change with its level, and nothing for a rolled-back one', async () => {
    const watcher = collect('KETTLE', 2);
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'kettle-in', sku: 'KETTLE', location: 'main', quantity: 3 }, actor);
    await expect(
      inventory.subgraph.service.reserveStock({ idempotencyKey: 'kettle-too-many', channel: 'shop', orderReference: 'o-1', lines: [{ sku: 'KETTLE', quantity: 4 }] }, actor),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    await inventory.subgraph.service.reserveStock({ idempotencyKey: 'kettle-ok', channel: 'shop', orderReference: 'o-2', lines: [{ sku: 'KETTLE', quantity: 2 }] }, actor);
    const events = await watcher.done;
    expect(events.map((event) => [event.kind, event.level.onHand, event.level.committed])).toEqual([
      ['RECEIPT', 3, 0],
      ['RESERVATION', 3, 2],
    ]);
    expect(Number(events[1]!.id)).toBeGreaterThan(Number(events[0]!.id));
  });

  it('writes the event in the same transaction as the change', async () => {
    const before = await inventory.subgraph.db.query<{ count: number }>('SELECT count(*)::int AS count FROM stock_events');
    await expect(
      inventory.subgraph.service.adjustStock({ idempotencyKey: 'toaster-bad', sku: 'TOASTER', location: 'main', delta: -1, reason: 'broken' }, actor),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    const after = await inventory.subgraph.db.query<{ count: number }>('SELECT count(*)::int AS count FROM stock_events');
    expect(after[0]!.count).toBe(before[0]!.count);
  });

  it('carries every level of the SKU as committed, so availability needs no later read', async () => {
    const watcher = collect('TOASTER', 1);
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'toaster-in', sku: 'TOASTER', location: 'main', quantity: 6 }, actor);
    const [event] = await watcher.done;
    expect(event!.levels).toEqual([expect.objectContaining({ sku: 'TOASTER', locationId: 'main', onHand: 6 })]);
  });
});
