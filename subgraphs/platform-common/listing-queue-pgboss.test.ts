import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { eventually } from '../../test/support/eventually.ts';
import { listingQueueFromEnv } from './listing-queue-pgboss.ts';
import { StockSync, type ListingQuantity, type ListingQuantityPusher, type PushResult } from './stock-sync.ts';

/**
 * The storm bench's pg-boss variant of the listing queue keeps StockSync's semantics: the newest
 * quantity per SKU, a platform's Retry-After, dead letters and their replay. pg-boss needs a
 * server, so this runs in the DATABASE_URL pass only.
 */
const log = createLogger('test');
const url = process.env.DATABASE_URL;

class ScriptedPlatform implements ListingQuantityPusher {
  readonly batchSize = 2;
  readonly calls: Array<{ at: number; batch: ListingQuantity[] }> = [];
  readonly shown = new Map<string, number>();
  answer: (item: ListingQuantity) => PushResult = (item) => ({ sku: item.sku, outcome: 'PUSHED' });

  async push(batch: readonly ListingQuantity[]): Promise<PushResult[]> {
    this.calls.push({ at: Date.now(), batch: [...batch] });
    return batch.map((item) => {
      const result = this.answer(item);
      if (result.outcome === 'PUSHED') this.shown.set(item.sku, item.quantity);
      return result;
    });
  }
}

describe.skipIf(!url)('listing pushes queued by pg-boss', () => {
  let testDb: TestDatabase;
  let platform: ScriptedPlatform;
  let sync: StockSync;
  // An inventory with no stock changes: its feed acknowledges the connection and sends nothing, and
  // a full read is refused, so quantities come from enqueue() alone.
  let silentInventory: Server;

  beforeAll(async () => {
    silentInventory = createServer((_request, response) => response.writeHead(503).end());
    const feed = new WebSocketServer({ server: silentInventory });
    feed.on('connection', (socket) => socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_init') socket.send(JSON.stringify({ type: 'connection_ack' }));
    }));
    silentInventory.listen(0, '127.0.0.1');
    await once(silentInventory, 'listening');
    const inventoryUrl = `http://127.0.0.1:${(silentInventory.address() as AddressInfo).port}/graphql`;
    testDb = await createTestDatabase('pgboss');
    await migrate(testDb.db, new URL('./migrations', import.meta.url).pathname);
    platform = new ScriptedPlatform();
    const queue = listingQueueFromEnv({ db: testDb.db, channel: 'web', log }, { PONTE_QUEUE: 'pg-boss', DATABASE_URL: url });
    sync = new StockSync({ db: testDb.db, log, channel: 'web', inventoryUrl, pusher: platform, maxAttempts: 2, maxBackoffMs: 1, resyncIntervalMs: false, reconcileIntervalMs: false, ...(queue ? { queue } : {}) });
    sync.start();
  }, 60_000);
  afterAll(async () => {
    await sync?.stop();
    silentInventory?.closeAllConnections();
    silentInventory?.close();
    const admin = await testDb.reopen();
    await admin.query(`DROP SCHEMA IF EXISTS ${testDb.db.schema}_pgboss CASCADE`);
    await admin.close();
    await testDb?.drop();
  });

  it('pushes the newest quantity per SKU, honours Retry-After, and keeps what fails for good to replay', async () => {
    await sync.enqueue([{ sku: 'A', quantity: 5, stockVersion: 1 }]);
    await sync.enqueue([{ sku: 'A', quantity: 7, stockVersion: 3 }, { sku: 'B', quantity: 1, stockVersion: 1 }]);
    await sync.enqueue([{ sku: 'A', quantity: 6, stockVersion: 2 }]);
    await eventually(() => sync.status(), (status) => status.synced === 2, 'A and B synced');
    expect(platform.shown).toEqual(new Map([['A', 7], ['B', 1]]));

    const throttledAt = Date.now();
    let throttled = false;
    platform.answer = (item) => {
      if (throttled) return { sku: item.sku, outcome: 'PUSHED' };
      throttled = true;
      return { sku: item.sku, outcome: 'RETRY', error: 'HTTP 429', retryAfterMs: 2000 };
    };
    await sync.enqueue([{ sku: 'A', quantity: 4, stockVersion: 4 }]);
    await eventually(() => Promise.resolve(platform.shown.get('A')), (shown) => shown === 4, 'A pushed after Retry-After', 30_000);
    const attempts = platform.calls.filter((call) => call.at >= throttledAt);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(2000);

    platform.answer = (item) => ({ sku: item.sku, outcome: 'FAILED', error: 'not listed' });
    await sync.enqueue([{ sku: 'C', quantity: 3, stockVersion: 1 }]);
    await eventually(() => sync.status(), (status) => status.dead === 1, 'C kept as a dead letter');
    platform.answer = (item) => ({ sku: item.sku, outcome: 'PUSHED' });
    expect(await sync.replayDeadLetters(['C'])).toBe(1);
    await eventually(() => sync.status(), (status) => status.dead === 0 && status.pending === 0 && status.synced === 3, 'C replayed');
    expect(platform.shown.get('C')).toBe(3);
  }, 90_000);
});
