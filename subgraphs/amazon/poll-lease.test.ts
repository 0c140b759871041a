import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { eventually } from '../../test/support/eventually.ts';
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

function replica(calls: { count: number }, leaseMs?: number) {
  const client = {
    async ordersUpdatedSince() {
      calls.count++;
      return { orders: [], lastUpdatedBefore: new Date().toISOString() };
    },
  } as unknown as AmazonClient;
  const inbox = new Inbox({ db: testDb.db, log, handle: async () => {} });
  return new AmazonOrderPoller({ db: testDb.db, client, inbox, log, intervalMs: false, ...(leaseMs === undefined ? {} : { leaseMs }) });
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

  it('lets the other replica take over once a holder that died stops renewing (leaseMs)', async () => {
    await testDb.db.query(`DELETE FROM platform_state`);
    const calls = { count: 0 };
    // The holder polls once and is never stopped: as after a SIGKILL, nothing releases its lease.
    await replica(calls, 1000).pollOnce();
    const survivor = replica(calls, 1000);
    await survivor.pollOnce();
    expect(calls.count).toBe(1);
    await eventually(async () => (await survivor.pollOnce(), calls.count), (count) => count === 2, 'the survivor to poll once the lease lapsed', 20_000, 100);
    await survivor.stop();
  });
});
