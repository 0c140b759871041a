import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFixtures, startInventory, type InventoryHarness } from './test-fixtures.ts';

/**
 * On a PostgreSQL server the relay hears of new events through LISTEN on a connection of its
 * own. When that connection is cut (a failover, an idle-connection reaper), it must listen again;
 * the poll is set to an hour here so that only LISTEN can deliver in time.
 */
let inventory: InventoryHarness;

describe.skipIf(!process.env.DATABASE_URL)('outbox relay on a PostgreSQL server', () => {
  beforeAll(async () => {
    inventory = await startInventory({ pollIntervalMs: 3_600_000 });
    await addFixtures(inventory.subgraph.db, { locations: [{ id: 'hub', priority: 1 }], skus: ['LAMP'] });
  });
  afterAll(async () => {
    await inventory?.close();
  });

  it('listens again after its connection is terminated, and catches up', async () => {
    const channel = `ponte_stock_events_${inventory.subgraph.db.schema}`;
    const terminated = await inventory.subgraph.db.query<{ count: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS count FROM pg_stat_activity
        WHERE pid <> pg_backend_pid() AND query ILIKE $1`,
      [`LISTEN "${channel}"%`],
    );
    expect(terminated[0]!.count).toBe(1);
    const received = (async () => {
      for await (const event of inventory.subgraph.stockEvents.events((e) => e.sku === 'LAMP')) return event;
      return undefined;
    })();
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'lamp-1', sku: 'LAMP', location: 'hub', quantity: 1 }, { name: 'test' });
    const event = await Promise.race([received, new Promise((_, reject) => setTimeout(() => reject(new Error('no event: LISTEN was not restored')), 15_000))]);
    expect(event).toMatchObject({ sku: 'LAMP', kind: 'RECEIPT' });
  });
});
