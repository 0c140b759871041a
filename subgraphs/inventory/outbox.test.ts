import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StockEvent } from './models.ts';
import { addFixtures, startInventory, type InventoryHarness } from './test-fixtures.ts';
import { appendStockEvents, stockEventsAfter } from './repositories/stock-repository.ts';

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

  it('hands events over in id order, each once, when their ids gain a digit (99, 100) in one read', async () => {
    // Ids were once sorted as text ("100" before "99"): the relay sent 100, then 99, then 100 again.
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'digit-kettle', sku: 'KETTLE', location: 'main', quantity: 5 }, actor);
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'digit-toaster', sku: 'TOASTER', location: 'main', quantity: 5 }, actor);
    await inventory.subgraph.db.query(`SELECT setval(pg_get_serial_sequence('stock_events', 'id'), 98)`);
    const abort = new AbortController();
    const seen: number[] = [];
    const done = (async () => {
      // Only the events from 99 on: the receipts' events above may still be on their way to the relay.
      for await (const event of inventory.subgraph.stockEvents.events((e) => Number(e.id) > 98, abort.signal)) {
        seen.push(Number(event.id));
        if (seen.length === 3) break;
      }
    })();
    // One reservation of two SKUs commits two events, 99 and 100, read in one page.
    await inventory.subgraph.service.reserveStock({ idempotencyKey: 'digit-both', channel: 'shop', orderReference: 'o-digit', lines: [{ sku: 'KETTLE', quantity: 1 }, { sku: 'TOASTER', quantity: 1 }] }, actor);
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'digit-after', sku: 'KETTLE', location: 'main', quantity: 1 }, actor);
    await done;
    abort.abort();
    expect(seen).toEqual([99, 100, 101]);
  });
  // PGlite runs one transaction at a time, so two cannot overlap there.
  it.skipIf(!process.env.DATABASE_URL)('lets a stock change commit while another transaction holds events it has not committed, and gives the later commit the later id', async () => {
    const db = inventory.subgraph.db;
    const [{ last }] = (await db.query<{ last: number }>('SELECT coalesce(max(id), 0)::int AS last FROM stock_events')) as [{ last: number }];
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let appended!: () => void;
    const open = new Promise<void>((resolve) => (appended = resolve));
    // A transaction (another replica's, a slow one) appends an event and keeps going.
    const slow = db.transaction(async (tx) => {
      await appendStockEvents(tx, db.schema, [{ sku: 'KETTLE', locationId: 'main', kind: 'ADJUSTMENT' }]);
      appended();
      await held;
    });
    await open;
    let first: Awaited<ReturnType<typeof stockEventsAfter>>;
    try {
      // Meanwhile a receipt commits: it waits for nothing (the ids are the outbox's, allocated at commit).
      const receipt = inventory.subgraph.service.receiveStock({ idempotencyKey: 'overlap-toaster', sku: 'TOASTER', location: 'main', quantity: 1 }, actor);
      await Promise.race([receipt, new Promise((_, reject) => setTimeout(() => reject(new Error('the receipt waited on the open transaction')), 5000))]);
      first = await stockEventsAfter(db, last, 10);
      expect(first.map((event) => [event.sku, event.kind])).toEqual([['TOASTER', 'RECEIPT']]);
    } finally {
      commit();
      await slow;
    }
    // A reader that remembered the receipt's id finds the slow transaction's event after it: nothing skipped.
    const next = await stockEventsAfter(db, Number(first[0]!.id), 10);
    expect(next.map((event) => [event.sku, event.kind])).toEqual([['KETTLE', 'ADJUSTMENT']]);
    expect(Number(next[0]!.id)).toBeGreaterThan(Number(first[0]!.id));
  });
});
