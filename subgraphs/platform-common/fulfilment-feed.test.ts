import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { FulfilmentFeed } from './fulfilment-feed.ts';
import type { ShipmentConfirmations, ShipmentToConfirm } from './shipment-confirmations.ts';

const log = createLogger('test');
let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase('fulfilment_feed');
  await migrate(testDb.db, new URL('./migrations', import.meta.url).pathname);
});
afterAll(async () => {
  await testDb?.drop();
});

const parcel = (cursor: number) => ({
  cursor: String(cursor), fulfilmentId: String(100 + cursor), platformOrderId: `order-${cursor}`, carrier: 'Correios', trackingCode: `BR${cursor}`,
  trackingUrl: null, shippedAt: '2026-12-01T12:00:00.000Z', lines: [{ lineId: '1', sku: 'S', quantity: 1 }],
});

it('reads on from its watermark: an outage of the orders subgraph, or a restart, misses no parcel and queues none twice', async () => {
  const published = [parcel(1), parcel(2)];
  let down = false;
  const asked: Array<string | null> = [];
  const fakeFetch = (async (_url: string, init: RequestInit) => {
    if (down) throw new TypeError('fetch failed');
    const { variables } = JSON.parse(String(init.body)) as { variables: { after: string | null } };
    asked.push(variables.after);
    const after = Number(variables.after ?? 0);
    return new Response(JSON.stringify({ data: { channelFulfilments: published.filter((p) => Number(p.cursor) > after) } }), { headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const queued: ShipmentToConfirm[] = [];
  const shipments = { enqueue: async (shipment: ShipmentToConfirm) => { queued.push(shipment); return { queued: true }; } } as unknown as ShipmentConfirmations;
  const feed = () => new FulfilmentFeed({ db: testDb.db, log, channel: 'shopify-br', orders: { url: 'http://orders.invalid/graphql', fetch: fakeFetch }, shipments });

  expect(await feed().readOnce()).toBe(2);
  expect(queued.map((s) => [s.orderId, s.fulfilmentId, s.trackingCode])).toEqual([['order-1', '101', 'BR1'], ['order-2', '102', 'BR2']]);

  // The orders subgraph is down: nothing read, the watermark stays.
  down = true;
  published.push(parcel(3));
  await expect(feed().readOnce()).rejects.toThrow();
  down = false;

  // A new process (a restart) reads on after the last parcel it queued.
  expect(await feed().readOnce()).toBe(1);
  expect(queued.map((s) => s.fulfilmentId)).toEqual(['101', '102', '103']);
  expect(asked).toEqual([null, '2']);
  const [mark] = await testDb.db.query<{ last: number }>("SELECT last_event_id::int AS last FROM fulfilment_feed_watermarks WHERE channel_id = 'shopify-br'");
  expect(mark!.last).toBe(3);
});
