import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { InventoryClient } from './inventory-client.ts';
import { OrderSync } from './order-sync.ts';

/**
 * An order line whose quantity no Int can hold (a platform bug, a forged payload) must not fail
 * every retry of its inbox message: it becomes an exception for review at once.
 */
let testDb: TestDatabase;
let sync: OrderSync;
const inventoryCalls: string[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase('orders');
  await migrate(testDb.db, new URL('./migrations', import.meta.url).pathname);
  // Any call to the inventory is recorded and answered as an outage: these lines must not need one.
  const fetchRecorder: typeof fetch = async (_url, init) => {
    inventoryCalls.push(String(init?.body));
    throw new Error('inventory must not be called');
  };
  const inventory = new InventoryClient({ url: 'http://127.0.0.1:1/graphql', fetch: fetchRecorder });
  sync = new OrderSync({ db: testDb.db, inventory, platform: 'test', channel: 'web', log: createLogger('test') });
});
afterAll(async () => {
  await testDb?.drop();
});

describe('order lines with quantities Ponte cannot hold', () => {
  it.each([
    ['past 32 bits', 3_000_000_000],
    ['fractional', 1.5],
    ['hugely negative', -1e20],
  ])('a quantity %s is an INVALID_QUANTITY exception at once, with nothing asked of the inventory', async (_name, quantity) => {
    const orderId = `order-${String(quantity)}`;
    await sync.apply({ orderId, status: 'OPEN', lines: [{ lineId: 'line-1', sku: 'CAM-BASICA-M', quantity }] });
    expect(inventoryCalls).toEqual([]);
    const exception = (await sync.exceptions()).find((each) => each.orderId === orderId);
    expect(exception).toMatchObject({ lineId: 'line-1', code: 'INVALID_QUANTITY', quantity: 0 });
    expect(exception!.message).toContain(String(quantity));
    expect(await sync.lineStates(orderId)).toEqual([expect.objectContaining({ lineId: 'line-1', state: 'EXCEPTION' })]);

    await sync.apply({ orderId, status: 'CANCELLED', lines: [{ lineId: 'line-1', sku: 'CAM-BASICA-M', quantity }] });
    expect(await sync.lineStates(orderId)).toEqual([expect.objectContaining({ state: 'RELEASED' })]);
    expect((await sync.exceptions()).find((each) => each.orderId === orderId)).toBeUndefined();
  });

  it('a cancellation that arrives first, with such a quantity, leaves its tombstone', async () => {
    await sync.apply({ orderId: 'order-early-cancel', status: 'CANCELLED', lines: [{ lineId: 'line-1', sku: 'CAM-BASICA-M', quantity: 9e15 }] });
    expect(await sync.lineStates('order-early-cancel')).toEqual([expect.objectContaining({ state: 'RELEASED' })]);
    expect(inventoryCalls).toEqual([]);
  });
});
