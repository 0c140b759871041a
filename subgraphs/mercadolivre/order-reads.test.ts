// Reading notified orders together, end to end: the Mercado Livre sandbox, inventory and this
// subgraph. Each test counts the calls the sandbox logged while its notifications were applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../sandboxes/common/call-log.ts';
import { graphql, TEST_GATEWAY_SECRET } from '../../test/support/ponte.ts';
import { startMercadoLivreBesidePonte, type MercadoLivreBesidePonte } from '../../test/support/mercadolivre.ts';
import { eventually } from '../../test/support/eventually.ts';
import { createLogger } from '../../kit/logger.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { ORDERS_TOPIC } from './notifications.ts';

const CHANNEL = 'mercado-livre';

describe('Mercado Livre orders notified together', () => {
  let world: MercadoLivreBesidePonte;

  beforeAll(async () => {
    world = await startMercadoLivreBesidePonte({
      log: createLogger('mercadolivre-order-reads-test'),
      database: 'mlreads',
      sandbox: { notificationRetry: { initialDelayMs: 50, maxDelayMs: 500, timeoutMs: 2000 } },
      subgraph: {
        channel: CHANNEL,
        inbox: { pollIntervalMs: 100, maxBackoffMs: 1000 },
        // The messages these tests make due together are claimed together; a window this long (a
        // second) keeps a loaded machine (or a pool opening connections) from splitting their reads.
        orderReadWindowMs: 1000,
        // Only the order intake calls Mercado Livre here.
        stockSync: false,
        alerts: false,
      },
    });
    // The SKU index is built on start: its item reads are not these tests' calls.
    await world.ml.skuIndex.rebuild();
  });

  afterAll(async () => {
    await world?.close();
  });

  async function reservations(orderId: string): Promise<Array<{ status: string; lines: Array<{ sku: string; quantity: number }> }>> {
    const result = await graphql<{ reservationsForOrder: Array<{ status: string; lines: Array<{ sku: string; quantity: number }> }> }>(
      world.ponte.inventoryUrl,
      'query($channel: ID!, $ref: String!) { reservationsForOrder(channel: $channel, orderReference: $ref) { status lines { sku quantity } } }',
      { channel: CHANNEL, ref: orderId },
      { [GATEWAY_SECRET_HEADER]: TEST_GATEWAY_SECRET },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.reservationsForOrder;
  }

  /**
   * Sends the notifications held since `hold()` and makes them due at one instant: the inbox then
   * claims them in one go, as it does with messages that came due while it was busy.
   */
  async function releaseTogether(resources: string[]): Promise<void> {
    await world.control.setDeliveryMode({ hold: false });
    await world.control.releaseHeld();
    await world.sandbox.webhooks.settled();
    await dueTogether(resources);
  }

  async function dueTogether(resources: string[]): Promise<void> {
    const waiting = `payload->>'resource' = ANY($1::text[]) AND processed_at IS NULL AND topic = '${ORDERS_TOPIC}'`;
    await eventually(() => world.ml.db.query(`SELECT id FROM inbox_messages WHERE ${waiting}`, [resources]), (rows) => rows.length === resources.length, 'the notifications stored');
    // Stored due after the coalescing window (1 s); a claimed one would be due 10 s on.
    const aligned = await world.ml.db.query(
      `UPDATE inbox_messages SET next_attempt_at = now() + interval '300 milliseconds' WHERE ${waiting} AND attempts = 0 AND next_attempt_at < now() + interval '2 seconds' RETURNING id`,
      [resources],
    );
    expect(aligned, 'every notification still waiting for its first attempt').toHaveLength(resources.length);
  }

  async function settled(): Promise<void> {
    await world.sandbox.webhooks.settled();
    await eventually(() => world.ml.inbox.pending(), (pending) => pending === 0, 'the inbox to drain');
  }

  const orderReads = (calls: RecordedCall[]) => ({
    searches: calls.filter((call) => call.method === 'GET' && call.path === '/orders/search').length,
    gets: calls.filter((call) => call.method === 'GET' && /^\/orders\/\d+$/.test(call.path)).map((call) => call.path.slice('/orders/'.length)).sort(),
    shipments: calls.filter((call) => call.method === 'GET' && call.path.startsWith('/shipments/')).length,
  });

  it('reads them with one search instead of a GET each, and applies each as a GET would', async () => {
    const lines = [
      { sku: 'CAF-MOIDO-500', quantity: 1 },
      { sku: 'XIC-PORCELANA', quantity: 2 },
      { sku: 'VEL-AROMA', quantity: 1 },
      { sku: 'LIV-RECEITAS', quantity: 1 },
      { sku: 'TOA-BANHO', quantity: 1 },
      { sku: 'TEN-CORRIDA-41', quantity: 1 },
    ];
    await settled();
    await world.control.setDeliveryMode({ hold: true });
    const placed = [];
    for (const line of lines) placed.push(await world.control.placeOrder([line]));
    await world.control.clearCalls();
    await releaseTogether(placed.map((order) => `/orders/${order.id}`));
    for (const [index, order] of placed.entries()) {
      const [reserved] = await eventually(() => reservations(order.id), (found) => found.length === 1, `order ${order.id} reserved`);
      expect(reserved).toEqual({ status: 'OPEN', lines: [lines[index]] });
      // The line is recorded here just after the inventory answers the reservation.
      const states = await eventually(() => world.ml.orderSync.lineStates(order.id), (found) => found.length === 1, `order ${order.id} line recorded`);
      expect(states).toEqual([expect.objectContaining({ sku: lines[index]!.sku, state: 'RESERVED' })]);
    }
    await settled();
    // Six orders: one search page (no GET /orders/{id}), and each order's shipment for its CEP.
    expect(orderReads((await world.control.calls()).calls)).toEqual({ searches: 1, gets: [], shipments: lines.length });
  });

  it('reads on to the next page when newer orders fill the first (a backlog), rather than a GET each', async () => {
    await settled();
    await world.control.setDeliveryMode({ hold: true });
    const held = [await world.control.placeOrder([{ sku: 'CAF-MOIDO-500', quantity: 1 }]), await world.control.placeOrder([{ sku: 'VEL-AROMA', quantity: 1 }]), await world.control.placeOrder([{ sku: 'TOA-BANHO', quantity: 1 }])];
    // Fifty orders closed after them, their notifications delivered and applied first: the held
    // three are on the search's second page, newest first.
    await world.control.setDeliveryMode({ hold: false });
    for (let index = 0; index < 50; index++) await world.control.placeOrder([{ sku: 'LIV-RECEITAS', quantity: 1 }]);
    await settled();
    await world.control.clearCalls();
    await world.control.releaseHeld();
    await world.sandbox.webhooks.settled();
    await dueTogether(held.map((order) => `/orders/${order.id}`));
    for (const order of held) await eventually(() => world.ml.orderSync.lineStates(order.id), (states) => states.length === 1, `order ${order.id} applied`);
    await settled();
    expect(orderReads((await world.control.calls()).calls)).toEqual({ searches: 2, gets: [], shipments: held.length });
  });

  it('reads a notification that comes alone with its own GET', async () => {
    await settled();
    await world.control.clearCalls();
    const order = await world.control.placeOrder([{ sku: 'PRA-CERAMICA', quantity: 1 }]);
    await eventually(() => reservations(order.id), (found) => found[0]?.status === 'OPEN', 'the reservation');
    await settled();
    expect(orderReads((await world.control.calls()).calls)).toEqual({ searches: 0, gets: [order.id], shipments: 1 });
  });

  it('reads with its own GET an order the search leaves out (cancelled) or shows older than its notification', async () => {
    await settled();
    const cancelled = await world.control.placeOrder([{ sku: 'CAF-MOIDO-500', quantity: 1 }]);
    const renotified = await world.control.placeOrder([{ sku: 'VEL-AROMA', quantity: 1 }]);
    for (const order of [cancelled, renotified]) await eventually(() => reservations(order.id), (found) => found[0]?.status === 'OPEN', `order ${order.id} reserved`);
    await settled();

    await world.control.setDeliveryMode({ hold: true });
    const fresh = [await world.control.placeOrder([{ sku: 'XIC-PORCELANA', quantity: 1 }]), await world.control.placeOrder([{ sku: 'TOA-BANHO', quantity: 1 }])];
    await world.control.cancelOrder(cancelled.id);
    // A notification about an order whose last change the search shows 30 s before Mercado Livre
    // received this one: the search's copy is not taken for it.
    const received = new Date(Date.now() + 30_000).toISOString();
    const notification = { _id: `renotified-${renotified.id}`, resource: `/orders/${renotified.id}`, user_id: world.sandbox.userId, topic: ORDERS_TOPIC, application_id: world.sandbox.application.applicationId, attempts: 1, sent: received, received };
    await world.control.clearCalls();
    expect((await fetch(world.notificationUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(notification) })).status).toBe(200);
    await releaseTogether([...fresh, cancelled, renotified].map((order) => `/orders/${order.id}`));

    for (const order of fresh) await eventually(() => reservations(order.id), (found) => found[0]?.status === 'OPEN', `order ${order.id} reserved`);
    await eventually(() => reservations(cancelled.id), (found) => found[0]?.status === 'RELEASED', 'the cancelled order released');
    await settled();
    expect(await reservations(renotified.id)).toEqual([expect.objectContaining({ status: 'OPEN' })]);
    expect(orderReads((await world.control.calls()).calls)).toEqual({ searches: 1, gets: [cancelled.id, renotified.id].sort(), shipments: fresh.length });
  });

  it('leaves the messages to retry when the search fails, and applies them once Mercado Livre answers', async () => {
    await settled();
    await world.control.injectFault({ mode: 'error', status: 503, pathPrefix: '/orders/search', method: 'GET' });
    let placed: Array<{ id: string }> = [];
    try {
      await world.control.setDeliveryMode({ hold: true });
      placed = [await world.control.placeOrder([{ sku: 'LIV-RECEITAS', quantity: 1 }]), await world.control.placeOrder([{ sku: 'CAF-MOIDO-500', quantity: 1 }]), await world.control.placeOrder([{ sku: 'VEL-AROMA', quantity: 1 }])];
      await releaseTogether(placed.map((order) => `/orders/${order.id}`));
      await eventually(
        () => world.ml.db.query<{ attempts: number; lastError: string | null }>(`SELECT attempts, last_error AS "lastError" FROM inbox_messages WHERE payload->>'resource' = ANY($1::text[])`, [placed.map((order) => `/orders/${order.id}`)]),
        (rows) => rows.length === placed.length && rows.every((row) => row.attempts >= 1 && (row.lastError ?? '').includes('searchOrders')),
        'a failed attempt at the search for every message',
      );
      for (const order of placed) {
        expect(await reservations(order.id)).toEqual([]);
        expect(await world.ml.orderSync.lineStates(order.id)).toEqual([]);
      }
    } finally {
      await world.control.clearFaults();
    }
    for (const order of placed) await eventually(() => reservations(order.id), (found) => found[0]?.status === 'OPEN', `order ${order.id} reserved after the search answers again`, 15_000);
  });
});
