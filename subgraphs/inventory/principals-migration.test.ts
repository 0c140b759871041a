import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { INVENTORY_MIGRATIONS } from './index.ts';
import { addFixtures } from './test-fixtures.ts';
import { fingerprint, InventoryService } from './services/inventory-service.ts';

/**
 * Upgrading a running inventory to per-principal idempotency keys: an order line a platform
 * subgraph reserved before the upgrade must still be recognised when it is retried after it,
 * or the retry would reserve the same units twice.
 */
let testDb: TestDatabase;
let dir: string;

beforeAll(async () => {
  testDb = await createTestDatabase('inventory');
  dir = await mkdtemp(join(tmpdir(), 'ponte-migrations-'));
});
afterAll(async () => {
  await testDb?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('migration 002: principals', () => {
  it("moves the platforms' existing keys into their service principal's namespace", async () => {
    await copyFile(join(INVENTORY_MIGRATIONS, '001_inventory.sql'), join(dir, '001_inventory.sql'));
    await migrate(testDb.db, dir);
    await addFixtures(testDb.db, { locations: [{ id: 'dc', priority: 1 }], channel: { id: 'shopify-br', locations: ['dc'] }, skus: ['KETTLE'] });
    // What the Shopify subgraph's reservation left behind before the upgrade (written as the
    // previous code wrote it: actor from x-ponte-actor, one global key).
    const order = { idempotencyKey: 'shopify:gid://shopify/Order/1:1:reserve', channel: 'shopify-br', orderReference: 'gid://shopify/Order/1', lines: [{ sku: 'KETTLE', quantity: 3 }] };
    await testDb.db.exec(`
      INSERT INTO stock_levels (sku, location_id, on_hand, committed) VALUES ('KETTLE', 'dc', 10, 3);
      INSERT INTO reservations (channel_id, order_reference) VALUES ('shopify-br', 'gid://shopify/Order/1');
      INSERT INTO reservation_lines (reservation_id, line_number, sku, location_id, quantity) SELECT id, 1, 'KETTLE', 'dc', 3 FROM reservations;
      INSERT INTO stock_movements (kind, sku, location_id, on_hand_delta, actor, idempotency_key) VALUES ('RECEIPT', 'KETTLE', 'dc', 10, 'operator', 'stock-in');
      INSERT INTO stock_movements (kind, sku, location_id, committed_delta, actor, idempotency_key, reservation_id)
        SELECT 'RESERVATION', 'KETTLE', 'dc', 3, 'shopify', '${order.idempotencyKey}', id FROM reservations;
      INSERT INTO idempotency_keys (key, operation, request_hash, response) VALUES ('stock-in', 'receiveStock', 'x', '{}');`);
    const [reservation] = await testDb.db.query<{ id: string }>('SELECT id::text AS id FROM reservations');
    await testDb.db.query('INSERT INTO idempotency_keys (key, operation, request_hash, response) VALUES ($1, $2, $3, $4::jsonb)', [
      order.idempotencyKey, 'reserveStock', fingerprint('reserveStock', order), JSON.stringify({ reservation: { id: reservation!.id }, movements: [], levels: [] }),
    ]);
    const first = { reservation: { id: reservation!.id } };

    await copyFile(join(INVENTORY_MIGRATIONS, '002_principals.sql'), join(dir, '002_principals.sql'));
    expect(await migrate(testDb.db, dir)).toEqual(['002_principals.sql']);
    const keys = await testDb.db.query<{ principalId: string; key: string }>('SELECT principal_id AS "principalId", key FROM idempotency_keys ORDER BY key');
    expect(keys).toEqual([
      { principalId: 'service:shopify', key: order.idempotencyKey },
      { principalId: '', key: 'stock-in' },
    ]);

    const after = new InventoryService(testDb.db, createLogger('test'));
    const retried = await after.reserveStock(order, { id: 'service:shopify', name: 'shopify' });
    expect(retried).toMatchObject({ replayed: true, reservation: { id: first.reservation.id } });
    const [level] = await testDb.db.query<{ committed: number }>(`SELECT committed FROM stock_levels WHERE sku = 'KETTLE'`);
    expect(level!.committed).toBe(3);
  });
});
