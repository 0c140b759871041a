import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicePrincipal, principalFor } from '../../kit/identity.ts';
import { createLogger } from '../../kit/logger.ts';
import type { Principal } from '../../kit/principal.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import { createOrdersSubgraph, type OrdersSubgraph } from './index.ts';
import type { OrderEvent } from './models.ts';
import { Subscription } from './resolvers/subscription.ts';
import type { RecordChannelOrderInput } from './services/order-book.ts';

const log = createLogger('test');
const shopify = servicePrincipal('shopify');
const internal = principalFor('internal', { id: 'key:internal', name: 'internal' });
const partner = principalFor('partner', { id: 'key:partner', name: 'partner' });
const storefront = principalFor('storefront', { id: 'key:storefront', name: 'storefront' });

let database: TestDatabase;
let orders: OrdersSubgraph;
const identified: Array<{ email: string | null | undefined; channel: string }> = [];
const directory: CustomerDirectory = {
  identify: async (contact, observation) => {
    identified.push({ email: contact.email, channel: observation.channel });
    return contact.email ? `customer-${contact.email.split('@')[0]}` : null;
  },
};

beforeAll(async () => {
  database = await createTestDatabase('orders');
  orders = await createOrdersSubgraph({ database: database.db, log, customers: directory, relay: { pollIntervalMs: 100 } });
});
afterAll(async () => {
  await orders?.close();
  await database?.drop();
});

async function gql<Data = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, principal: Principal = internal) {
  const response = await orders.server.apollo.executeOperation({ query, variables }, { contextValue: orders.context(principal) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: Data; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

function order(id: string, overrides: Partial<RecordChannelOrderInput> = {}): RecordChannelOrderInput {
  return {
    channel: 'shopify-br',
    platform: 'shopify',
    platformOrderId: id,
    status: 'OPEN',
    placedAt: '2026-03-01T12:00:00Z',
    updatedAt: '2026-03-01T12:00:00Z',
    currency: 'BRL',
    lines: [
      { lineId: '1', sku: 'CAM-BAS-BRA-M', quantity: 2, unitPriceCents: 5990, discountCents: 1000, reservationId: `res-${id}-1` },
      { lineId: '2', sku: 'TEN-COR-PRE-40', quantity: 1, unitPriceCents: 29990 },
    ],
    totals: { subtotalCents: 41970, discountCents: 1000, shippingCents: 1500, taxCents: 0, totalCents: 42470 },
    shipTo: { postalCode: '22410-003' },
    ...overrides,
  };
}

const count = async (table: string, orderId: string) =>
  (await orders.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE order_id = $1`, [orderId]))[0]!.n;

describe('recording a channel order', () => {
  it('records it with its lines, totals, CEP and customer, keeping no contact', async () => {
    const { order: recorded, outcome } = await orders.orders.record(order('A-1', { customer: { email: 'maria@example.com', name: 'Maria' } }), shopify);
    expect(outcome).toBe('CREATED');
    expect(recorded).toMatchObject({ status: 'OPEN', currency: 'BRL', totalCents: 42470, shipToPostalCode: '22410-003', customerId: 'customer-maria', placedAt: '2026-03-01T12:00:00.000Z' });
    const { data } = await gql(`{ orderOnChannel(channel: "shopify-br", platformOrderId: "A-1") {
      platform status lines { lineId sku quantity status unitPrice { amountInCents currency } discount { amountInCents } total { amountInCents } reservation { id } product { sku } }
      totals { subtotal { amountInCents } total { amountInCents } shipping { amountInCents } } shipTo { postalCode } customer { id } statusHistory { status at source } channel { id } } }`);
    expect(data!.orderOnChannel).toMatchObject({
      platform: 'shopify',
      status: 'OPEN',
      lines: [
        { lineId: '1', sku: 'CAM-BAS-BRA-M', quantity: 2, status: 'OPEN', unitPrice: { amountInCents: 5990, currency: 'BRL' }, discount: { amountInCents: 1000 }, total: { amountInCents: 10980 }, reservation: { id: 'res-A-1-1' }, product: { sku: 'CAM-BAS-BRA-M' } },
        { lineId: '2', reservation: null, total: { amountInCents: 29990 } },
      ],
      totals: { subtotal: { amountInCents: 41970 }, total: { amountInCents: 42470 }, shipping: { amountInCents: 1500 } },
      shipTo: { postalCode: '22410-003' },
      customer: { id: 'customer-maria' },
      statusHistory: [{ status: 'OPEN', at: '2026-03-01T12:00:00.000Z', source: 'shopify' }],
      channel: { id: 'shopify-br' },
    });
    // The contact went to the directory and nowhere else.
    const stored = JSON.stringify(await orders.db.query('SELECT * FROM orders'));
    expect(stored).not.toContain('maria@example.com');
    expect(stored).not.toContain('Maria');
  });

  it('changes nothing on a redelivery, and nothing for an older version', async () => {
    const first = await orders.orders.record(order('A-2'), shopify);
    const events = await orders.db.query<{ n: number }>('SELECT count(*)::int AS n FROM order_events');
    const again = await orders.orders.record(order('A-2'), shopify);
    expect(again.outcome).toBe('UNCHANGED');
    const shipped = await orders.orders.record(order('A-2', { status: 'FULFILLED', updatedAt: '2026-03-02T09:00:00Z' }), shopify);
    expect(shipped).toMatchObject({ outcome: 'UPDATED', order: { status: 'FULFILLED', updatedAt: '2026-03-02T09:00:00.000Z' } });
    // The "placed" webhook arrives late, after the shipment: stale.
    const late = await orders.orders.record(order('A-2', { status: 'OPEN', updatedAt: '2026-03-01T12:00:00Z' }), shopify);
    expect(late).toMatchObject({ outcome: 'STALE', order: { status: 'FULFILLED' } });
    const redelivered = await orders.orders.record(order('A-2', { status: 'FULFILLED', updatedAt: '2026-03-02T09:00:00Z' }), shopify);
    expect(redelivered.outcome).toBe('UNCHANGED');
    const history = await orders.db.query<{ status: string }>('SELECT status FROM order_status_changes WHERE order_id = $1 ORDER BY id', [first.order.id]);
    expect(history.map((row) => row.status)).toEqual(['OPEN', 'FULFILLED']);
    const after = await orders.db.query<{ n: number }>('SELECT count(*)::int AS n FROM order_events');
    expect(after[0]!.n - events[0]!.n).toBe(1);
  });

  it('keeps the ship-to of a version sent without one: the same version, not a change', async () => {
    const first = await orders.orders.record(order('A-2b'), shopify);
    expect(first.order.shipToPostalCode).toBe('22410-003');
    // Mercado Livre's subgraph reads the CEP once, when it first reserves; later versions carry none.
    const withoutShipTo = await orders.orders.record({ ...order('A-2b'), shipTo: null }, shopify);
    expect(withoutShipTo).toMatchObject({ outcome: 'UNCHANGED', order: { shipToPostalCode: '22410-003' } });
    const shipped = await orders.orders.record({ ...order('A-2b', { status: 'FULFILLED', updatedAt: '2026-03-02T09:00:00Z' }), shipTo: null }, shopify);
    expect(shipped).toMatchObject({ outcome: 'UPDATED', order: { status: 'FULFILLED', shipToPostalCode: '22410-003' } });
  });

  it('records an order once when two replicas record it at the same moment', async () => {
    const replica = await database.reopen();
    const second = await createOrdersSubgraph({ database: replica, log, customers: directory });
    try {
      const results = await Promise.all([
        orders.orders.record(order('A-3'), shopify),
        second.orders.record(order('A-3'), shopify),
        orders.orders.record(order('A-3', { status: 'CANCELLED', updatedAt: '2026-03-01T13:00:00Z' }), shopify),
        second.orders.record(order('A-3', { status: 'CANCELLED', updatedAt: '2026-03-01T13:00:00Z' }), shopify),
      ]);
      expect(results.filter((result) => result.outcome === 'CREATED')).toHaveLength(1);
      const [row] = await orders.db.query<{ id: string; status: string }>(`SELECT id::text AS id, status FROM orders WHERE platform_order_id = 'A-3'`);
      expect(row!.status).toBe('CANCELLED');
      expect(await count('order_lines', row!.id)).toBe(2);
      const history = await orders.db.query<{ status: string }>('SELECT status FROM order_status_changes WHERE order_id = $1 ORDER BY id', [row!.id]);
      // However the four interleaved, each status the order took is recorded once.
      expect(new Set(history.map((entry) => entry.status)).size).toBe(history.length);
      expect(history.at(-1)!.status).toBe('CANCELLED');
    } finally {
      await second.close();
      if (replica !== database.db) await replica.close();
    }
  });

  it('derives PARTIALLY_FULFILLED from per-line statuses and keeps a reservation a later version omits', async () => {
    const lines = order('A-4').lines;
    await orders.orders.record(order('A-4'), shopify);
    const partial = await orders.orders.record(order('A-4', { updatedAt: '2026-03-01T15:00:00Z', lines: [{ ...lines[0]!, status: 'FULFILLED', reservationId: null }, lines[1]!] }), shopify);
    expect(partial.order.status).toBe('PARTIALLY_FULFILLED');
    const { data } = await gql(`query($id: ID!) { order(id: $id) { status lines { lineId status reservation { id } } } }`, { id: partial.order.id });
    expect(data!.order.lines).toEqual([
      { lineId: '1', status: 'FULFILLED', reservation: { id: 'res-A-4-1' } },
      { lineId: '2', status: 'OPEN', reservation: null },
    ]);
  });

  it('refuses a caller without orders:write, and a service held to another channel, recording nothing', async () => {
    const mutation = `mutation($input: RecordChannelOrderInput!) { recordChannelOrder(input: $input) { outcome } }`;
    const input = order('A-5');
    for (const caller of [internal, partner, storefront, servicePrincipal('amazon', { channels: ['amazon-br'] })]) {
      const { errors } = await gql(mutation, { input }, caller);
      expect(errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
    expect(await orders.orders.orderOnChannel('shopify-br', 'A-5')).toBeUndefined();
    const { data } = await gql(mutation, { input }, shopify);
    expect(data!.recordChannelOrder.outcome).toBe('CREATED');
  });

  it('refuses reading without orders:read and following without orders:subscribe', async () => {
    const { errors } = await gql('{ orders { nodes { id } } }', {}, storefront);
    expect(errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    // Subscriptions run over WebSockets (the e2e test follows one); here the resolver is asked directly.
    const subscribe = (Subscription.orderChanged as { subscribe: (...args: unknown[]) => unknown }).subscribe;
    expect(() => subscribe({}, {}, orders.context(shopify), {})).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('refuses a malformed order with BAD_USER_INPUT and stores nothing', async () => {
    await expect(orders.orders.record(order('A-6', { lines: [{ lineId: '1', sku: 'X', quantity: -1 }] }), shopify)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(orders.orders.record(order('A-6', { placedAt: 'yesterday' }), shopify)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await orders.orders.orderOnChannel('shopify-br', 'A-6')).toBeUndefined();
  });
});

describe('listing orders', () => {
  const placed = (day: number, hour = 10) => new Date(Date.UTC(2026, 0, day, hour)).toISOString();

  beforeAll(async () => {
    for (let day = 1; day <= 12; day++) {
      await orders.orders.record(
        order(`L-${day}`, {
          channel: day % 2 === 0 ? 'mercado-livre' : 'woocommerce-br',
          platform: day % 2 === 0 ? 'mercadolivre' : 'woocommerce',
          placedAt: placed(day),
          updatedAt: placed(day),
          status: day % 3 === 0 ? 'CANCELLED' : 'OPEN',
          lines: [{ lineId: '1', sku: day % 4 === 0 ? 'BON-ABA-AZU' : 'CAM-BAS-BRA-M', quantity: 1, unitPriceCents: 5990 }],
          customer: { email: day <= 4 ? 'ana@example.com' : null },
        }),
        shopify,
      );
    }
  });

  const page = async (variables: Record<string, unknown>) => (await gql(`query($filter: OrderFilter, $first: Int, $after: String) {
      orders(filter: $filter, first: $first, after: $after) { edges { cursor node { platformOrderId } } pageInfo { endCursor hasNextPage } } }`, variables)).data!.orders;
  const ids = (connection: { edges: Array<{ node: { platformOrderId: string } }> }) => connection.edges.map((edge) => edge.node.platformOrderId);
  const january = { placedFrom: '2026-01-01T00:00:00Z', placedTo: '2026-02-01T00:00:00Z' };

  it('pages newest first by an opaque cursor, unmoved by orders recorded meanwhile', async () => {
    const first = await page({ filter: january, first: 5 });
    expect(ids(first)).toEqual(['L-12', 'L-11', 'L-10', 'L-9', 'L-8']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    // Newer and older orders arrive between two pages, one at the very instant of the cursor's order.
    await orders.orders.record(order('L-new', { placedAt: placed(20), updatedAt: placed(20), lines: [{ lineId: '1', sku: 'CAM-BAS-BRA-M', quantity: 1 }] }), shopify);
    await orders.orders.record(order('L-tie', { placedAt: placed(8), updatedAt: placed(8), lines: [{ lineId: '1', sku: 'CAM-BAS-BRA-M', quantity: 1 }] }), shopify);
    const second = await page({ filter: january, first: 5, after: first.pageInfo.endCursor });
    // L-tie has the same placedAt as L-8 and a higher id: it sorts before L-8, on a page already read.
    expect(ids(second)).toEqual(['L-7', 'L-6', 'L-5', 'L-4', 'L-3']);
    const third = await page({ filter: january, first: 5, after: second.pageInfo.endCursor });
    expect(ids(third)).toEqual(['L-2', 'L-1']);
    expect(third.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by channel, status, customer, SKU and dates, together', async () => {
    expect(ids(await page({ filter: { ...january, channel: 'mercado-livre' }, first: 50 }))).toEqual(['L-12', 'L-10', 'L-8', 'L-6', 'L-4', 'L-2']);
    expect(ids(await page({ filter: { ...january, status: 'CANCELLED' }, first: 50 }))).toEqual(['L-12', 'L-9', 'L-6', 'L-3']);
    expect(ids(await page({ filter: { customerId: 'customer-ana' }, first: 50 }))).toEqual(['L-4', 'L-3', 'L-2', 'L-1']);
    expect(ids(await page({ filter: { ...january, sku: 'BON-ABA-AZU' }, first: 50 }))).toEqual(['L-12', 'L-8', 'L-4']);
    expect(ids(await page({ filter: { channel: 'mercado-livre', status: 'OPEN', placedFrom: placed(4), placedTo: placed(10) }, first: 50 }))).toEqual(['L-8', 'L-4']);
  });

  it('refuses a cursor it did not give and a page over 100', async () => {
    const { errors } = await gql('{ orders(after: "bm90LWEtY3Vyc29y") { nodes { id } } }');
    expect(errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const { errors: tooMany } = await gql('{ orders(first: 101) { nodes { id } } }');
    expect(tooMany?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('resolves Product, Customer, Reservation and Order references through _entities', async () => {
    const { data, errors } = await gql(`query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Product { sku orders(first: 2) { nodes { platformOrderId } pageInfo { hasNextPage } } }
        ... on Customer { id orders { nodes { platformOrderId } } }
        ... on Reservation { id order { platformOrderId } }
        ... on Order { platformOrderId }
      } }`, {
      representations: [
        { __typename: 'Product', sku: 'BON-ABA-AZU' },
        { __typename: 'Customer', id: 'customer-ana' },
        { __typename: 'Reservation', id: 'res-A-1-1' },
        { __typename: 'Reservation', id: 'res-unknown' },
        { __typename: 'Order', id: (await orders.orders.orderOnChannel('shopify-br', 'A-1'))!.id },
      ],
    });
    expect(errors).toBeUndefined();
    expect(data!._entities).toEqual([
      { sku: 'BON-ABA-AZU', orders: { nodes: [{ platformOrderId: 'L-12' }, { platformOrderId: 'L-8' }], pageInfo: { hasNextPage: true } } },
      { id: 'customer-ana', orders: { nodes: ['L-4', 'L-3', 'L-2', 'L-1'].map((platformOrderId) => ({ platformOrderId })) } },
      { id: 'res-A-1-1', order: { platformOrderId: 'A-1' } },
      { id: 'res-unknown', order: null },
      { platformOrderId: 'A-1' },
    ]);
  });
});

describe('orderChanged', () => {
  it('delivers each committed change, once, filtered by channel and status', async () => {
    const abort = new AbortController();
    const received: OrderEvent[] = [];
    const done = (async () => {
      for await (const event of orders.orderEvents.events((event) => event.channelId === 'amazon-br', abort.signal)) {
        received.push(event);
        if (received.length === 2) break;
      }
    })();
    await orders.orders.record(order('E-1', { channel: 'amazon-br', platform: 'amazon' }), shopify);
    await orders.orders.record(order('E-1', { channel: 'amazon-br', platform: 'amazon' }), shopify);
    await orders.orders.record(order('E-1', { channel: 'amazon-br', platform: 'amazon', status: 'CANCELLED', updatedAt: '2026-03-05T00:00:00Z' }), shopify);
    await done;
    expect(received.map((event) => [event.kind, event.status])).toEqual([['PLACED', 'OPEN'], ['STATUS_CHANGED', 'CANCELLED']]);
  });
});
