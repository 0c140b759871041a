import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicePrincipal } from '../../kit/identity.ts';
import { createLogger } from '../../kit/logger.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { CustomersRejection, CustomersUnavailable } from '../platform-common/customers-client.ts';
import { withRefusalsAsNoCustomer, type CustomerChange, type CustomerDirectory } from './customer-directory.ts';
import { createOrdersSubgraph, type OrdersSubgraph } from './index.ts';
import type { RecordChannelOrderInput } from './services/order-book.ts';

const log = createLogger('test');
const shopify = servicePrincipal('shopify');

/** A customers subgraph stand-in: answers by e-mail, refuses or fails on demand, publishes the changes a test appends. */
const published: CustomerChange[] = [];
let failure: Error | undefined;
const directory: CustomerDirectory = {
  identify: async (contact) => {
    if (failure) throw failure;
    return contact.email ? `cus-${contact.email.split('@')[0]}` : null;
  },
  changes: async (after, first) => published.filter((change) => Number(change.id) > Number(after ?? 0)).slice(0, first),
};
const publish = (kind: CustomerChange['kind'], customerId: string, otherCustomerId: string | null = null) => published.push({ id: String(published.length + 1), kind, customerId, otherCustomerId });

let database: TestDatabase;
let orders: OrdersSubgraph;

beforeAll(async () => {
  database = await createTestDatabase('orders_links');
  // Polling off (a long interval): the test applies the feed with catchUp().
  orders = await createOrdersSubgraph({ database: database.db, log, customers: withRefusalsAsNoCustomer(directory, log), customerLinks: { pollIntervalMs: 3_600_000 } });
});
afterAll(async () => {
  await orders?.close();
  await database?.drop();
});

function order(id: string, email: string | undefined): RecordChannelOrderInput {
  return {
    channel: 'shopify-br', platform: 'shopify', platformOrderId: id, status: 'OPEN', placedAt: '2026-03-01T12:00:00Z', updatedAt: '2026-03-01T12:00:00Z', currency: 'BRL',
    lines: [{ lineId: '1', sku: 'CAB-USBC', quantity: 1, unitPriceCents: 2990 }],
    totals: { subtotalCents: 2990, discountCents: 0, shippingCents: 0, taxCents: 0, totalCents: 2990 },
    ...(email ? { customer: { email, name: 'Quem Compra' } } : {}),
  };
}
const linkOf = async (id: string) => (await orders.orders.orderOnChannel('shopify-br', id))?.customerId ?? null;

describe('orders follow the customers subgraph', () => {
  it('a refused contact records the order without a customer; an outage fails the recording (the inbox retries)', async () => {
    failure = new CustomersRejection('BAD_USER_INPUT', 'observedAt must be a time');
    expect((await orders.orders.record(order('R-1', 'rita@example.com'), shopify)).outcome).toBe('CREATED');
    expect(await linkOf('R-1')).toBeNull();
    failure = new CustomersUnavailable('customers unreachable');
    await expect(orders.orders.record(order('R-2', 'rita@example.com'), shopify)).rejects.toBeInstanceOf(CustomersUnavailable);
    expect(await orders.orders.orderOnChannel('shopify-br', 'R-2')).toBeUndefined();
    failure = undefined;
    await orders.orders.record(order('R-2', 'rita@example.com'), shopify);
    expect(await linkOf('R-2')).toBe('cus-rita');
  });

  it('merge moves the orders to the survivor, unmerge moves exactly those back, erasure drops the link and keeps the totals; each change once', async () => {
    await orders.orders.record(order('M-1', 'ana@example.com'), shopify);
    await orders.orders.record(order('M-2', 'bia@example.com'), shopify);
    publish('CUSTOMERS_MERGED', 'cus-ana', 'cus-bia');
    expect(await orders.customerLinks.catchUp()).toBe(1);
    expect([await linkOf('M-1'), await linkOf('M-2')]).toEqual(['cus-ana', 'cus-ana']);

    // Recorded on the survivor while the merge stood: stays there after the unmerge.
    await orders.orders.record(order('M-3', 'ana@example.com'), shopify);
    publish('CUSTOMERS_UNMERGED', 'cus-ana', 'cus-bia');
    expect(await orders.customerLinks.catchUp()).toBe(1);
    expect([await linkOf('M-1'), await linkOf('M-2'), await linkOf('M-3')]).toEqual(['cus-ana', 'cus-bia', 'cus-ana']);

    publish('CUSTOMER_ERASED', 'cus-ana');
    expect(await orders.customerLinks.catchUp()).toBe(1);
    expect([await linkOf('M-1'), await linkOf('M-2'), await linkOf('M-3')]).toEqual([null, 'cus-bia', null]);
    const erased = await orders.orders.orderOnChannel('shopify-br', 'M-1');
    expect(Number(erased?.totalCents)).toBe(2990);

    // The watermark: nothing is applied twice, by this follower or a second one on the same database.
    expect(await orders.customerLinks.catchUp()).toBe(0);
    const replica = await createOrdersSubgraph({ database: database.db, log, customers: directory, customerLinks: { pollIntervalMs: 3_600_000 } });
    expect(await replica.customerLinks.catchUp()).toBe(0);
    await replica.close();
    expect(await linkOf('M-2')).toBe('cus-bia');
  });
});
