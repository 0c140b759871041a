import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicePrincipal } from '../../kit/identity.ts';
import { as, graphql, startPonte, TEST_GATEWAY_SECRET, TEST_SERVICE_KEYS, type RunningPonte, type TestCaller } from '../../test/support/ponte.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../kit/logger.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { createOrdersSubgraph } from './index.ts';
import type { RecordChannelOrderInput } from './services/order-book.ts';
import { StoreSaleFeed } from './store-sales.ts';

/**
 * fulfilOrder through the gateway with real operator and partner keys: the parcel is recorded once,
 * the order moves on, and each line shipped in full commits its reservation in the inventory once,
 * even when the platform's intake commits it again afterwards.
 */
let ponte: RunningPonte;
let sku: string;

beforeAll(async () => {
  ponte = await startPonte();
  // The Extrema 3PL (partnerB) ships amazon-br's orders from its own shelf.
  const [row] = await ponte.inventory.db.query<{ sku: string }>(
    "SELECT sku FROM stock_levels WHERE location_id = '3pl-extrema' AND on_hand - committed >= 20 ORDER BY sku LIMIT 1",
  );
  sku = row!.sku;
}, 60_000);
afterAll(async () => {
  await ponte?.close();
});

async function stockOf(): Promise<{ onHand: number; committed: number }> {
  const [row] = await ponte.inventory.db.query<{ onHand: number; committed: number }>(
    'SELECT coalesce(sum(on_hand), 0)::int AS "onHand", coalesce(sum(committed), 0)::int AS committed FROM stock_levels WHERE sku = $1',
    [sku],
  );
  return row!;
}

/** An amazon-br order of 2 + 1 units, reserved in the inventory as the intake does, and recorded. */
async function placeOrder(reference: string): Promise<{ orderId: string; reservations: string[] }> {
  const reservations: string[] = [];
  for (const [lineId, quantity] of [['L1', 2], ['L2', 1]] as const) {
    const reserved = await graphql<{ reserveStock: { reservation: { id: string } } }>(
      ponte.gatewayUrl,
      `mutation ($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } } }`,
      { input: { idempotencyKey: `${reference}-${lineId}`, channel: 'amazon-br', orderReference: reference, lines: [{ sku, quantity, lineReference: lineId }] } },
      as('operator'),
    );
    expect(reserved.errors).toBeUndefined();
    reservations.push(reserved.data!.reserveStock.reservation.id);
  }
  const input: RecordChannelOrderInput = {
    channel: 'amazon-br', platform: 'amazon', platformOrderId: reference, status: 'OPEN', updatedAt: '2026-03-01T12:00:00Z',
    lines: [
      { lineId: 'L1', sku, quantity: 2, unitPriceCents: 5990, reservationId: reservations[0] },
      { lineId: 'L2', sku, quantity: 1, unitPriceCents: 5990, reservationId: reservations[1] },
    ],
  };
  const { order } = await ponte.orders.orders.record(input, servicePrincipal('amazon'));
  return { orderId: order.id, reservations };
}

const FULFIL = `mutation ($input: FulfilOrderInput!) { fulfilOrder(input: $input) { replayed } }`;
const fulfil = (input: Record<string, unknown>, who: TestCaller | 'anonymous') =>
  graphql<{ fulfilOrder: { replayed: boolean } | null }>(ponte.gatewayUrl, FULFIL, { input }, as(who));

async function orderState(orderId: string) {
  const { data, errors } = await graphql<{ order: { status: string; statusHistory: Array<{ status: string; source: string }>; lines: Array<{ lineId: string; status: string }>; fulfilments: Array<{ carrier: string; trackingCode: string; trackingUrl: string | null; source: string; lines: Array<{ lineId: string; quantity: number }> }> } }>(
    ponte.gatewayUrl,
    `query ($id: ID!) { order(id: $id) { status statusHistory { status source } lines { lineId status } fulfilments { carrier trackingCode trackingUrl source lines { lineId quantity } } } }`,
    { id: orderId },
    as('operator'),
  );
  expect(errors).toBeUndefined();
  return data!.order;
}

const reservationStatus = async (id: string) =>
  (await ponte.inventory.db.query<{ status: string }>('SELECT status FROM reservations WHERE id = $1', [id]))[0]!.status;

const events = async (orderId: string) =>
  (await ponte.orders.db.query<{ kind: string; status: string }>('SELECT kind, status FROM order_events WHERE order_id = $1 ORDER BY id', [orderId])).map((event) => `${event.kind}:${event.status}`);

describe('fulfilOrder', () => {
  it('ships in two parcels (a 3PL partner, then an operator): the order moves on and the stock leaves on hand once', async () => {
    const { orderId, reservations } = await placeOrder('AMZ-FUL-1');
    const before = await stockOf();

    const first = await fulfil({ orderId, idempotencyKey: 'parcel-1', carrier: 'Correios', trackingCode: 'BR100000001BR', trackingUrl: 'https://rastreamento.correios.com.br/?objeto=BR100000001BR', lines: [{ lineId: 'L1', quantity: 1 }] }, 'partnerB');
    expect(first.errors).toBeUndefined();
    expect(first.data!.fulfilOrder).toEqual({ replayed: false });
    expect((await orderState(orderId)).status).toBe('PARTIALLY_FULFILLED');
    // Line L1 has one unit still to ship: its reservation stays open, nothing has left yet.
    expect(await reservationStatus(reservations[0]!)).toBe('OPEN');
    expect(await stockOf()).toEqual(before);

    // The same request again (a retry after a timeout) records nothing.
    const replay = await fulfil({ orderId, idempotencyKey: 'parcel-1', carrier: 'Correios', trackingCode: 'BR100000001BR', trackingUrl: 'https://rastreamento.correios.com.br/?objeto=BR100000001BR', lines: [{ lineId: 'L1', quantity: 1 }] }, 'partnerB');
    expect(replay.data!.fulfilOrder).toEqual({ replayed: true });

    const second = await fulfil({ orderId, idempotencyKey: 'parcel-2', carrier: 'Jadlog', trackingCode: 'JD200', lines: [{ lineId: 'L1', quantity: 1 }, { lineId: 'L2', quantity: 1 }] }, 'operator');
    expect(second.errors).toBeUndefined();
    const shipped = await orderState(orderId);
    expect(shipped.status).toBe('FULFILLED');
    expect(shipped.lines.map((line) => line.status)).toEqual(['FULFILLED', 'FULFILLED']);
    expect(shipped.statusHistory.map((change) => `${change.status}:${change.source}`)).toEqual(['OPEN:amazon', 'PARTIALLY_FULFILLED:3pl-extrema', 'FULFILLED:test-operator']);
    expect(shipped.fulfilments).toEqual([
      { carrier: 'Correios', trackingCode: 'BR100000001BR', trackingUrl: 'https://rastreamento.correios.com.br/?objeto=BR100000001BR', source: '3pl-extrema', lines: [{ lineId: 'L1', quantity: 1 }] },
      { carrier: 'Jadlog', trackingCode: 'JD200', trackingUrl: null, source: 'test-operator', lines: [{ lineId: 'L1', quantity: 1 }, { lineId: 'L2', quantity: 1 }] },
    ]);
    expect(await events(orderId)).toEqual(['PLACED:OPEN', 'FULFILMENT_ADDED:PARTIALLY_FULFILLED', 'FULFILMENT_ADDED:FULFILLED']);
    expect(await Promise.all(reservations.map(reservationStatus))).toEqual(['FULFILLED', 'FULFILLED']);
    expect(await stockOf()).toEqual({ onHand: before.onHand - 3, committed: before.committed - 3 });

    // The platform then says the order shipped: its intake commits the reservation too (OrderSync
    // takes RESERVATION_NOT_OPEN as settled), and the stock does not move again.
    const again = await graphql(ponte.inventoryUrl, 'mutation ($input: ReservationActionInput!) { fulfilReservation(input: $input) { replayed } }',
      { input: { idempotencyKey: 'amazon-intake-L1', reservationId: reservations[0] } }, { authorization: `Bearer ${TEST_SERVICE_KEYS['amazon']}`, 'x-ponte-gateway-secret': TEST_GATEWAY_SECRET });
    expect(again.errors?.[0]?.extensions?.code).toBe('RESERVATION_NOT_OPEN');
    await ponte.orders.orders.record({
      channel: 'amazon-br', platform: 'amazon', platformOrderId: 'AMZ-FUL-1', status: 'FULFILLED', updatedAt: '2026-03-02T12:00:00Z',
      lines: [{ lineId: 'L1', sku, quantity: 2, unitPriceCents: 5990 }, { lineId: 'L2', sku, quantity: 1, unitPriceCents: 5990 }],
    }, servicePrincipal('amazon'));
    expect(await stockOf()).toEqual({ onHand: before.onHand - 3, committed: before.committed - 3 });
    expect((await orderState(orderId)).status).toBe('FULFILLED');
  });

  it('keeps what shipped through Ponte when the platform sends a version written before it heard', async () => {
    const { orderId } = await placeOrder('AMZ-FUL-2');
    expect((await fulfil({ orderId, idempotencyKey: 'p', carrier: 'Correios', trackingCode: 'BR2', lines: [{ lineId: 'L2', quantity: 1 }] }, 'operator')).errors).toBeUndefined();
    await ponte.orders.orders.record({
      channel: 'amazon-br', platform: 'amazon', platformOrderId: 'AMZ-FUL-2', status: 'OPEN', updatedAt: '2026-03-01T13:00:00Z',
      lines: [{ lineId: 'L1', sku, quantity: 2, unitPriceCents: 5990 }, { lineId: 'L2', sku, quantity: 1, unitPriceCents: 5990 }],
    }, servicePrincipal('amazon'));
    const state = await orderState(orderId);
    expect(state.status).toBe('PARTIALLY_FULFILLED');
    expect(state.lines.map((line) => line.status)).toEqual(['OPEN', 'FULFILLED']);
  });

  it('refuses with a clear code and changes nothing: unknown order or line, too many units, a cancelled order, a reused key', async () => {
    const { orderId, reservations } = await placeOrder('AMZ-FUL-3');
    const before = { stock: await stockOf(), events: await events(orderId) };
    const parcel = { orderId, idempotencyKey: 'bad', carrier: 'Correios', trackingCode: 'BR3' };
    const code = async (input: Record<string, unknown>, who: TestCaller = 'operator') => (await fulfil(input, who)).errors?.[0]?.extensions?.code;

    expect(await code({ ...parcel, orderId: '999999999', lines: [{ lineId: 'L1', quantity: 1 }] })).toBe('UNKNOWN_ORDER');
    expect(await code({ ...parcel, orderId: 'not-an-id', lines: [{ lineId: 'L1', quantity: 1 }] })).toBe('UNKNOWN_ORDER');
    expect(await code({ ...parcel, lines: [{ lineId: 'L9', quantity: 1 }] })).toBe('UNKNOWN_ORDER_LINE');
    expect(await code({ ...parcel, lines: [{ lineId: 'L1', quantity: 1 }, { lineId: 'L2', quantity: 2 }] })).toBe('FULFILMENT_EXCEEDS_ORDER');
    expect(await code({ ...parcel, lines: [{ lineId: 'L1', quantity: 0 }] })).toBe('INVALID_QUANTITY');
    expect(await code({ ...parcel, lines: [] })).toBe('BAD_USER_INPUT');
    expect(await code({ ...parcel, trackingUrl: 'javascript:alert(1)', lines: [{ lineId: 'L1', quantity: 1 }] })).toBe('BAD_USER_INPUT');
    // The Ipanema store's till is a partner too, but amazon-br is not its channel: it learns nothing of the order.
    expect(await code({ ...parcel, lines: [{ lineId: 'L1', quantity: 1 }] }, 'partnerA')).toBe('UNKNOWN_ORDER');
    // Without orders:write the gateway refuses before anything runs.
    for (const who of ['storefront', 'internal', 'anonymous'] as const) {
      const refused = await fulfil({ ...parcel, lines: [{ lineId: 'L1', quantity: 1 }] }, who);
      expect(refused.data?.fulfilOrder ?? null, who).toBeNull();
      expect(['FORBIDDEN', 'UNAUTHENTICATED'], who).toContain(refused.errors?.[0]?.extensions?.code);
    }
    expect(await stockOf()).toEqual(before.stock);
    expect(await events(orderId)).toEqual(before.events);
    expect((await orderState(orderId)).fulfilments).toEqual([]);

    expect(await code({ ...parcel, idempotencyKey: 'k', lines: [{ lineId: 'L2', quantity: 1 }] })).toBeUndefined();
    expect(await code({ ...parcel, idempotencyKey: 'k', trackingCode: 'OTHER', lines: [{ lineId: 'L2', quantity: 1 }] })).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await code({ ...parcel, idempotencyKey: 'k2', lines: [{ lineId: 'L2', quantity: 1 }] })).toBe('FULFILMENT_EXCEEDS_ORDER');

    await ponte.orders.orders.record({
      channel: 'amazon-br', platform: 'amazon', platformOrderId: 'AMZ-FUL-3', status: 'CANCELLED', updatedAt: '2026-03-03T12:00:00Z',
      lines: [{ lineId: 'L1', sku, quantity: 2, unitPriceCents: 5990 }, { lineId: 'L2', sku, quantity: 1, unitPriceCents: 5990 }],
    }, servicePrincipal('amazon'));
    expect(await code({ ...parcel, idempotencyKey: 'after-cancel', lines: [{ lineId: 'L1', quantity: 1 }] })).toBe('ORDER_CANCELLED');
    expect(await reservationStatus(reservations[0]!)).toBe('OPEN');
  });
});

describe('store sales', () => {
  it('a sale at the till (recordSale through the gateway, a partner key) becomes a FULFILLED order of its channel', async () => {
    const [row] = await ponte.inventory.db.query<{ sku: string }>("SELECT sku FROM stock_levels WHERE location_id = 'loja-rio' AND on_hand - committed >= 5 ORDER BY sku LIMIT 1");
    const tillSku = row!.sku;
    const sale = await graphql<{ recordSale: { replayed: boolean } }>(
      ponte.gatewayUrl,
      'mutation ($input: ReserveStockInput!) { recordSale(input: $input) { replayed } }',
      { input: { idempotencyKey: 'till-1-sale-42', channel: 'pos-ipanema', orderReference: 'PDV-IPA-42', lines: [{ sku: tillSku, quantity: 2, lineReference: 'item-1', unitPriceCents: 4990 }] } },
      as('partnerA'),
    );
    expect(sale.errors).toBeUndefined();
    const [reservation] = await ponte.inventory.db.query<{ id: string }>("SELECT id::text AS id FROM reservations WHERE channel_id = 'pos-ipanema' AND order_reference = 'PDV-IPA-42'");
    const ORDERS = '{ orders(filter: { channel: "pos-ipanema" }, first: 5) { nodes { platform platformOrderId status lines { lineId sku quantity status unitPrice { amountInCents } reservation { id } } totals { total { amountInCents } } } } }';
    const read = async () => (await graphql<{ orders: { nodes: Array<Record<string, unknown>> } }>(ponte.gatewayUrl, ORDERS, {}, as('operator'))).data?.orders.nodes ?? [];
    const { eventually } = await import('../../test/support/eventually.ts');
    const nodes = await eventually(read, (found) => found.length > 0, 'the store sale to become an order');
    expect(nodes).toEqual([{
      platform: 'pos', platformOrderId: 'PDV-IPA-42', status: 'FULFILLED',
      lines: [{ lineId: 'item-1', sku: tillSku, quantity: 2, status: 'FULFILLED', unitPrice: { amountInCents: 4990 }, reservation: { id: reservation!.id } }],
      totals: { total: { amountInCents: 9980 } },
    }]);

    // A till that sends no price for a line: the catalog's list price, and the order's totals add up.
    const [other] = await ponte.inventory.db.query<{ sku: string }>("SELECT sku FROM stock_levels WHERE location_id = 'loja-rio' AND on_hand - committed >= 5 AND sku <> $1 ORDER BY sku LIMIT 1", [tillSku]);
    const listed = await graphql<{ products: { nodes: Array<{ sku: string; price: { amountInCents: number; currency: string } }> } }>(
      ponte.gatewayUrl, 'query($skus: [ID!]!) { products(skus: $skus) { nodes { sku price { amountInCents currency } } } }', { skus: [tillSku, other!.sku] }, as('operator'),
    );
    const listPrice = (sku: string) => listed.data!.products.nodes.find((node) => node.sku === sku)!.price;
    expect(listPrice(other!.sku).currency).toBe('BRL');
    const unpriced = await graphql(
      ponte.gatewayUrl,
      'mutation ($input: ReserveStockInput!) { recordSale(input: $input) { replayed } }',
      { input: { idempotencyKey: 'till-1-sale-43', channel: 'pos-ipanema', orderReference: 'PDV-IPA-43', lines: [{ sku: other!.sku, quantity: 3, lineReference: 'item-1' }, { sku: tillSku, quantity: 1, lineReference: 'item-2', unitPriceCents: 1990 }] } },
      as('partnerA'),
    );
    expect(unpriced.errors).toBeUndefined();
    const ORDER = '{ orderOnChannel(channel: "pos-ipanema", platformOrderId: "PDV-IPA-43") { currency lines { lineId unitPrice { amountInCents currency } total { amountInCents } } totals { subtotal { amountInCents } total { amountInCents } } } }';
    const priced = await eventually(async () => (await graphql<{ orderOnChannel: any }>(ponte.gatewayUrl, ORDER, {}, as('operator'))).data?.orderOnChannel ?? undefined, (found) => found !== undefined, 'the unpriced store sale to become an order');
    const fromCatalog = listPrice(other!.sku).amountInCents;
    expect(fromCatalog).toBeGreaterThan(0);
    expect(priced).toEqual({
      currency: 'BRL',
      lines: [
        { lineId: 'item-1', unitPrice: { amountInCents: fromCatalog, currency: 'BRL' }, total: { amountInCents: 3 * fromCatalog } },
        // The till's own price wins over the list price.
        { lineId: 'item-2', unitPrice: { amountInCents: 1990, currency: 'BRL' }, total: { amountInCents: 1990 } },
      ],
      totals: { subtotal: { amountInCents: 3 * fromCatalog + 1990 }, total: { amountInCents: 3 * fromCatalog + 1990 } },
    });
    expect(listPrice(tillSku).amountInCents).not.toBe(1990);

    // A sale on an online channel is no store sale: nothing recorded from it.
    const [{ n }] = (await ponte.inventory.db.query<{ n: number }>("SELECT count(*)::int AS n FROM store_sales WHERE channel_id <> 'pos-ipanema'")) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('waits for the catalog when a sale needs its list price: nothing recorded at 0, the page read again once it answers', async () => {
    // A sale the till sends without a price, read by an orders subgraph of its own from the start.
    const [row] = await ponte.inventory.db.query<{ sku: string }>("SELECT sku FROM stock_levels WHERE location_id = 'loja-rio' AND on_hand - committed >= 2 ORDER BY sku DESC LIMIT 1");
    const sold = await graphql(ponte.gatewayUrl, 'mutation ($input: ReserveStockInput!) { recordSale(input: $input) { replayed } }',
      { input: { idempotencyKey: 'till-1-sale-44', channel: 'pos-ipanema', orderReference: 'PDV-IPA-44', lines: [{ sku: row!.sku, quantity: 1 }] } }, as('partnerA'));
    expect(sold.errors).toBeUndefined();
    const database = await createTestDatabase('orders_store_sale_prices');
    const orders = await createOrdersSubgraph({ database: database.db, log: createLogger('test') });
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const goneUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/graphql`;
    await new Promise((resolve) => gone.close(resolve));
    const feed = (catalogUrl: string) => new StoreSaleFeed({
      db: orders.db, log: createLogger('test'), orders: orders.orders,
      inventory: { url: ponte.inventoryUrl, secret: TEST_GATEWAY_SECRET, serviceKey: TEST_SERVICE_KEYS['orders'] },
      catalog: { url: catalogUrl, secret: TEST_GATEWAY_SECRET, serviceKey: TEST_SERVICE_KEYS['orders'] },
    });
    try {
      await expect(feed(goneUrl).readOnce()).rejects.toThrow();
      expect(await orders.db.query('SELECT id FROM orders')).toEqual([]);
      expect(await orders.db.query('SELECT last_id FROM feed_watermarks')).toEqual([]);

      expect(await feed(ponte.catalogUrl).readOnce()).toBeGreaterThanOrEqual(1);
      const [line] = await orders.db.query<{ unitPriceCents: number }>(
        "SELECT l.unit_price_cents::int AS \"unitPriceCents\" FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.platform_order_id = 'PDV-IPA-44'",
      );
      const listed = await graphql<{ products: { nodes: Array<{ price: { amountInCents: number } }> } }>(ponte.gatewayUrl, 'query($skus: [ID!]!) { products(skus: $skus) { nodes { price { amountInCents } } } }', { skus: [row!.sku] }, as('operator'));
      expect(line).toEqual({ unitPriceCents: listed.data!.products.nodes[0]!.price.amountInCents });
    } finally {
      await orders.close();
      await database.drop();
    }
  });
});
