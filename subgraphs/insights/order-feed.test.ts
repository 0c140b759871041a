import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicePrincipal, staticApiKeyResolver } from '../../kit/identity.ts';
import { createLogger } from '../../kit/logger.ts';
import { eventually } from '../../test/support/eventually.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createOrdersSubgraph, type OrdersSubgraph } from '../orders/index.ts';
import { seedDemoOrders } from '../orders/seed.ts';
import type { RecordChannelOrderInput } from '../orders/services/order-book.ts';
import { createInsightsSubgraph, type InsightsSubgraph } from './index.ts';
import { OrderFeed } from './order-feed.ts';

/**
 * The insights store follows the orders subgraph through `orderChangesSince` from a watermark of
 * its own: the whole history on a first start, then each change; stopped mid-stream, with its last
 * acknowledgement lost, or with the orders subgraph restarted under it, it ends with every order
 * counted once.
 */
const log = createLogger('test');
const INSIGHTS_KEY = 'order-feed-test-insights-key';
const shopify = servicePrincipal('shopify');
let ordersDb: TestDatabase;
let insightsDb: TestDatabase;
let orders: OrdersSubgraph;
let ordersUrl: string;
let insights: InsightsSubgraph;
const apiKeys = staticApiKeyResolver({ [INSIGHTS_KEY]: servicePrincipal('insights') });

async function startOrders(port = 0): Promise<void> {
  orders = await createOrdersSubgraph({ database: ordersDb.db, log, gatewaySecret: 'feed-test-secret', apiKeys, relay: { pollIntervalMs: 100 } });
  ordersUrl = await orders.server.listen(port, '127.0.0.1');
}

beforeAll(async () => {
  ordersDb = await createTestDatabase('orders');
  insightsDb = await createTestDatabase('insights');
  await startOrders();
  await seedDemoOrders(orders.orders, orders.db, { until: new Date('2026-03-01T00:00:00Z') });
  insights = await createInsightsSubgraph({ database: insightsDb.db, log });
}, 60_000);
afterAll(async () => {
  await insights?.close();
  await orders?.close();
  await Promise.all([ordersDb?.drop(), insightsDb?.drop()]);
});

function feed(options: { fetch?: typeof fetch } = {}): OrderFeed {
  return new OrderFeed({ db: insights.db, log, orders: { url: ordersUrl, serviceKey: INSIGHTS_KEY, ...options }, timeZone: insights.clock.timeZone, pollIntervalMs: 100 });
}

/** Until the store counts exactly what the orders subgraph holds. */
async function inStep(what: string): Promise<void> {
  await eventually(totals, (now) => now.insights.orders === now.orders.orders && now.insights.gross === now.orders.gross, what, 15_000);
}

/** What the orders subgraph says sold (orders not cancelled), against what the insights store counts. */
async function totals(): Promise<{ orders: { orders: number; gross: number }; insights: { facts: number; orders: number; gross: number } }> {
  const [source] = await orders.db.query<{ orders: number; gross: number }>(
    `SELECT count(*)::int AS orders, coalesce(sum(subtotal_cents), 0)::bigint::text::numeric::float8 AS gross FROM orders WHERE status <> 'CANCELLED'`,
  );
  const [facts] = await insights.db.query<{ facts: number }>('SELECT count(*)::int AS facts FROM order_facts');
  const [figures] = await insights.db.query<{ orders: number; gross: number }>(
    'SELECT coalesce(sum(orders), 0)::int AS orders, coalesce(sum(gross_cents), 0)::float8 AS gross FROM daily_channel_sales',
  );
  return { orders: source!, insights: { facts: facts!.facts, ...figures! } };
}

function order(id: string, overrides: Partial<RecordChannelOrderInput> = {}): RecordChannelOrderInput {
  return {
    channel: 'shopify-br', platform: 'shopify', platformOrderId: id, status: 'OPEN',
    placedAt: '2026-03-02T12:00:00Z', updatedAt: '2026-03-02T12:00:00Z', currency: 'BRL',
    lines: [{ lineId: '1', sku: 'CAM-BAS-BRA-M', quantity: 2, unitPriceCents: 5990 }],
    totals: { subtotalCents: 11980, discountCents: 0, shippingCents: 0, taxCents: 0, totalCents: 11980 },
    ...overrides,
  };
}

describe('the orders feed', () => {
  it('catches up on the history, stopped mid-stream and with a lost acknowledgement, counting each order once', async () => {
    const [{ count }] = (await orders.db.query<{ count: number }>('SELECT count(*)::int AS count FROM orders')) as [{ count: number }];
    expect(count).toBeGreaterThan(1000);

    // Killed as its first page (of several) comes in: the next consumer resumes from the watermark.
    let pages = 0;
    const first: OrderFeed = feed({
      fetch: async (...args) => {
        const response = await fetch(...args);
        if (++pages === 1) void first.stop();
        return response;
      },
    });
    await first.catchUp();
    expect(pages).toBe(1);
    const partial = await totals();
    expect(partial.insights.facts).toBeGreaterThan(0);
    expect(partial.insights.facts).toBeLessThan(count);

    const second = feed();
    await second.catchUp();
    const whole = await totals();
    expect(whole.insights.facts).toBe(count);
    expect(whole.insights.orders).toBe(whole.orders.orders);
    expect(whole.insights.gross).toBe(whole.orders.gross);

    // A crash after the facts committed but before the watermark moved: everything is read again.
    await insights.db.query(`DELETE FROM feed_watermarks`);
    expect(await second.catchUp()).toBe(count);
    expect(await totals()).toEqual(whole);
    await second.stop();
  }, 120_000);

  it('follows new orders and cancellations live, across a restart of the orders subgraph and of itself', async () => {
    const live = feed();
    await live.start();
    await orders.orders.record(order('feed-live-1'), shopify);
    await inStep('the new order counted');

    // The orders subgraph goes away; what it records meanwhile (another replica) and after comes through.
    const port = Number(new URL(ordersUrl).port);
    await orders.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replica = await createOrdersSubgraph({ database: ordersDb.db, log });
    await replica.orders.record(order('feed-live-1', { status: 'CANCELLED', updatedAt: '2026-03-02T13:00:00Z' }), shopify);
    await replica.orders.record(order('feed-live-2', { lines: [{ lineId: '1', sku: 'CAM-BAS-BRA-M', quantity: 3, unitPriceCents: 5990 }], totals: { subtotalCents: 17970, discountCents: 0, shippingCents: 0, taxCents: 0, totalCents: 17970 } }), shopify);
    await replica.close();
    await startOrders(port);
    await inStep('the cancellation and the order recorded while the orders subgraph was down');
    const [{ id }] = (await orders.db.query<{ id: string }>(`SELECT id::text AS id FROM orders WHERE platform_order_id = 'feed-live-1'`)) as [{ id: string }];
    const [fact] = await insights.db.query<{ status: string }>('SELECT status FROM order_facts WHERE order_id = $1', [id]);
    expect(fact?.status).toBe('CANCELLED');

    // The consumer itself restarts: nothing is counted twice.
    await live.stop();
    const before = await totals();
    const restarted = feed();
    await restarted.start();
    await orders.orders.record(order('feed-live-3'), shopify);
    await inStep('the order recorded after the consumer restarted');
    expect((await totals()).insights.orders).toBe(before.insights.orders + 1);
    await restarted.stop();
  }, 120_000);
});
