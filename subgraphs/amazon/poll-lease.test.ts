import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { Inbox } from '../platform-common/inbox.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import type { AmazonClient } from './client.ts';
import { AmazonOrderPoller } from './orders.ts';

/** searchOrders' quota belongs to the seller: two replicas must not both spend it. */
let testDb: TestDatabase;
const log = createLogger('test');

beforeAll(async () => {
  testDb = await createTestDatabase('amazon');
  await migrate(testDb.db, new URL('../platform-common/migrations', import.meta.url).pathname);
});
afterAll(async () => {
  await testDb?.drop();
});

function replica(calls: { count: number }) {
  const client = {
    async ordersUpdatedSince() {
      calls.count++;
      return { orders: [], lastUpdatedBefore: new Date().toISOString() };
    },
  } as unknown as AmazonClient;
  const inbox = new Inbox({ db: testDb.db, log, handle: async () => {} });
  return new AmazonOrderPoller({ db: testDb.db, client, inbox, log, intervalMs: false });
}

describe('Amazon order polling across replicas', () => {
  it('lets one replica poll while it holds the lease, and the other once it stops', async () => {
    const calls = { count: 0 };
    const first = replica(calls);
    const second = replica(calls);
    await first.pollOnce();
    await second.pollOnce();
    await first.pollOnce();
    expect(calls.count).toBe(2);
    await first.stop();
    await second.pollOnce();
    expect(calls.count).toBe(3);
    await second.stop();
  });
});
