import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalFor, servicePrincipal } from '../../kit/identity.ts';
import { createLogger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createOrdersSubgraph, type OrdersSubgraph } from './index.ts';
import { seedDemoOrders } from './seed.ts';
import type { RecordChannelOrderInput } from './services/order-book.ts';

/** `orderChangesSince`: how a service keeping its own copy of the orders catches up from a cursor. */
const log = createLogger('test');
const shopify = servicePrincipal('shopify');
const insights = servicePrincipal('insights');
const storefront = principalFor('storefront', { id: 'key:storefront', name: 'storefront' });

let database: TestDatabase;
let orders: OrdersSubgraph;

beforeAll(async () => {
  database = await createTestDatabase('orders');
  orders = await createOrdersSubgraph({ database: database.db, log, relay: { pollIntervalMs: 100 } });
  // History without outbox events, as `npm start` seeds it.
  await seedDemoOrders(orders.orders, orders.db, { until: new Date('2026-03-01T00:00:00Z') });
});
afterAll(async () => {
  await orders?.close();
  await database?.drop();
});

async function gql<Data = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, principal: Principal = insights) {
  const response = await orders.server.apollo.executeOperation({ query, variables }, { contextValue: orders.context(principal) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: Data; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

const CHANGES = `query ($after: String, $first: Int) { orderChangesSince(after: $after, first: $first) { edges { cursor node { id platformOrderId status updatedAt } } pageInfo { endCursor hasNextPage } } }`;
type Changes = { orderChangesSince: { edges: Array<{ cursor: string; node: { id: string; platformOrderId: string; status: string; updatedAt: string } }>; pageInfo: { endCursor: string | null; hasNextPage: boolean } } };

async function readAll(after: string | null): Promise<{ ids: string[]; statuses: Map<string, string>; cursor: string | null }> {
  const ids: string[] = [];
  const statuses = new Map<string, string>();
  let cursor = after;
  for (;;) {
    const page = await gql<Changes>(CHANGES, { after: cursor, first: 500 });
    expect(page.errors).toBeUndefined();
    for (const edge of page.data!.orderChangesSince.edges) {
      ids.push(edge.node.id);
      statuses.set(edge.node.platformOrderId, edge.node.status);
    }
    cursor = page.data!.orderChangesSince.pageInfo.endCursor ?? cursor;
    if (!page.data!.orderChangesSince.pageInfo.hasNextPage) return { ids, statuses, cursor };
  }
}

function order(id: string, overrides: Partial<RecordChannelOrderInput> = {}): RecordChannelOrderInput {
  return {
    channel: 'shopify-br', platform: 'shopify', platformOrderId: id, status: 'OPEN',
    placedAt: '2026-03-02T12:00:00Z', updatedAt: '2026-03-02T12:00:00Z', currency: 'BRL',
    lines: [{ lineId: '1', sku: 'CAM-BAS-BRA-M', quantity: 1, unitPriceCents: 5990 }],
    totals: { subtotalCents: 5990, discountCents: 0, shippingCents: 0, taxCents: 0, totalCents: 5990 },
    ...overrides,
  };
}

describe('orderChangesSince', () => {
  it('pages every order once from the start, then only what changed after the cursor, an order changed again included', async () => {
    const [{ count }] = (await orders.db.query<{ count: number }>('SELECT count(*)::int AS count FROM orders')) as [{ count: number }];
    expect(count).toBeGreaterThan(500);
    const first = await readAll(null);
    expect(first.ids).toHaveLength(count);
    expect(new Set(first.ids).size).toBe(count);

    await orders.orders.record(order('feed-1'), shopify);
    await orders.orders.record(order('feed-2'), shopify);
    const second = await readAll(first.cursor);
    expect([...second.statuses.keys()]).toEqual(['feed-1', 'feed-2']);

    await orders.orders.record(order('feed-1', { status: 'CANCELLED', updatedAt: '2026-03-02T13:00:00Z' }), shopify);
    const third = await readAll(second.cursor);
    expect([...third.statuses]).toEqual([['feed-1', 'CANCELLED']]);
    // Caught up: an empty page that keeps the cursor.
    expect((await readAll(third.cursor)).ids).toEqual([]);
  });

  it('refuses a caller without orders:read, and a cursor it did not give', async () => {
    const refused = await gql(CHANGES, {}, storefront);
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await gql(CHANGES, { after: 'not-a-cursor' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
