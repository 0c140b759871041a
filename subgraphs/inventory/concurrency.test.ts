import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPonteError } from '../../kit/errors.ts';
import { addFixtures, ledgerImbalances, startInventory, type InventoryHarness } from './test-fixtures.ts';

/**
 * The promise Ponte makes to merchants: no unit is sold twice. On the PostgreSQL server run
 * (DATABASE_URL) these reservations really race over a pool of connections; on PGlite they
 * queue on its single connection. Either way the sum accepted must match what was there.
 */
let inventory: InventoryHarness;
const actor = { name: 'concurrency-test' };

beforeAll(async () => {
  inventory = await startInventory();
  await addFixtures(inventory.subgraph.db, {
    locations: [
      { id: 'dc-1', priority: 1 },
      { id: 'dc-2', priority: 2 },
    ],
    channel: { id: 'flash-sale', locations: ['dc-1', 'dc-2'] },
    skus: ['LIMITED-1', 'LIMITED-2', 'LIMITED-3'],
  });
});
afterAll(async () => {
  await inventory?.close();
});

async function reserveConcurrently(count: number, lines: (index: number) => Array<{ sku: string; quantity: number }>) {
  const outcomes = await Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      inventory.subgraph.service.reserveStock({ idempotencyKey: `race-${lines(0)[0]!.sku}-${index}`, channel: 'flash-sale', orderReference: `order-${index}`, lines: lines(index) }, actor),
    ),
  );
  const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
  for (const outcome of rejected) {
    // Only "not enough stock" is an acceptable refusal: never a deadlock or a constraint error.
    expect(isPonteError(outcome.reason) && outcome.reason.code).toBe('INSUFFICIENT_STOCK');
  }
  return { accepted: outcomes.length - rejected.length, rejected: rejected.length };
}

async function committedOf(sku: string) {
  const rows = await inventory.subgraph.db.query<{ onHand: number; committed: number }>(
    'SELECT coalesce(sum(on_hand), 0)::int AS "onHand", coalesce(sum(committed), 0)::int AS committed FROM stock_levels WHERE sku = $1',
    [sku],
  );
  return rows[0]!;
}

describe('concurrent reservations', () => {
  it('accepts exactly 50 of 200 single-unit reservations against 50 units', async () => {
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'stock-limited-1', sku: 'LIMITED-1', location: 'dc-1', quantity: 50 }, actor);
    const { accepted, rejected } = await reserveConcurrently(200, () => [{ sku: 'LIMITED-1', quantity: 1 }]);
    expect(accepted).toBe(50);
    expect(rejected).toBe(150);
    expect(await committedOf('LIMITED-1')).toEqual({ onHand: 50, committed: 50 });
    expect(await ledgerImbalances(inventory.subgraph.db)).toEqual([]);
  });

  it('never over-commits across two locations with mixed quantities', async () => {
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'stock-limited-2a', sku: 'LIMITED-2', location: 'dc-1', quantity: 25 }, actor);
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'stock-limited-2b', sku: 'LIMITED-2', location: 'dc-2', quantity: 25 }, actor);
    await reserveConcurrently(200, (index) => [{ sku: 'LIMITED-2', quantity: (index % 3) + 1 }]);
    const rows = await inventory.subgraph.db.query<{ committed: number; onHand: number }>(
      'SELECT committed, on_hand AS "onHand" FROM stock_levels WHERE sku = $1',
      ['LIMITED-2'],
    );
    for (const row of rows) expect(row.committed).toBeLessThanOrEqual(row.onHand);
    const [reserved] = await inventory.subgraph.db.query<{ units: number }>(
      `SELECT coalesce(sum(quantity), 0)::int AS units FROM reservation_lines WHERE sku = 'LIMITED-2'`,
    );
    expect(reserved!.units).toBe(rows.reduce((sum, row) => sum + row.committed, 0));
    // Every rejected order asked for more than was left at any single location.
    expect(reserved!.units).toBeGreaterThan(40);
    expect(await ledgerImbalances(inventory.subgraph.db)).toEqual([]);
  });

  it('keeps two-line orders all-or-nothing while racing in opposite line order', async () => {
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'stock-limited-3a', sku: 'LIMITED-3', location: 'dc-1', quantity: 30 }, actor);
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'stock-limited-3b', sku: 'LIMITED-1', location: 'dc-2', quantity: 30 }, actor);
    const { accepted } = await reserveConcurrently(100, (index) =>
      index % 2 === 0
        ? [{ sku: 'LIMITED-3', quantity: 1 }, { sku: 'LIMITED-1', quantity: 1 }]
        : [{ sku: 'LIMITED-1', quantity: 1 }, { sku: 'LIMITED-3', quantity: 1 }],
    );
    expect(accepted).toBe(30);
    expect((await committedOf('LIMITED-3')).committed).toBe(30);
    expect((await committedOf('LIMITED-1')).committed).toBe(80);
    expect(await ledgerImbalances(inventory.subgraph.db)).toEqual([]);
  });

  it('applies a key delivered many times at once exactly once', async () => {
    const input = { idempotencyKey: 'same-webhook', channel: 'flash-sale', orderReference: 'dup', lines: [{ sku: 'LIMITED-3', quantity: 0 + 1 }] };
    await inventory.subgraph.service.receiveStock({ idempotencyKey: 'stock-limited-3c', sku: 'LIMITED-3', location: 'dc-2', quantity: 5 }, actor);
    const results = await Promise.all(Array.from({ length: 20 }, () => inventory.subgraph.service.reserveStock(input, actor)));
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(new Set(results.map((result) => result.reservation.id)).size).toBe(1);
    const reservations = await inventory.subgraph.db.query(`SELECT id FROM reservations WHERE order_reference = 'dup'`);
    expect(reservations).toHaveLength(1);
  });
});
