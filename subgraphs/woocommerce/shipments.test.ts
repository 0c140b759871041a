import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createWooCommerceSandbox, type WooCommerceSandbox } from '../../sandboxes/woocommerce/woocommerce-sandbox.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { as, graphql, startPonte, TEST_GATEWAY_SECRET, TEST_SERVICE_KEYS, type RunningPonte } from '../../test/support/ponte.ts';
import { eventuallyDefined as eventually } from '../../test/support/eventually.ts';
import { createLogger } from '../../kit/logger.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { createWooCommerceSubgraph, woocommerceSdl, type WooCommerceSubgraph } from './index.ts';
import { platformSubgraph } from '../../test/support/platform-subgraph.ts';

/** Tracking back to WooCommerce: the platform subgraph, its sandbox, the inventory and the gateway. */
const log = createLogger('woocommerce-shipments-test');
const CHANNEL = 'woocommerce-br';
/** The orders subgraph's stand-in: a service key with orders:write. */
const ORDERS_SERVICE = { authorization: `Bearer ${TEST_SERVICE_KEYS['woocommerce']}` };
const CONFIRM = `mutation($input: ChannelShipmentInput!) { confirmWooCommerceShipment(input: $input) { id status } }`;

describe('WooCommerce shipment confirmation end to end', () => {
  let sandbox: WooCommerceSandbox;
  let control: SandboxControlClient;
  let ponte: RunningPonte;
  let woo: WooCommerceSubgraph;
  let wooDb: TestDatabase;

  beforeAll(async () => {
    sandbox = createWooCommerceSandbox();
    control = new SandboxControlClient(await sandbox.listen(0, '127.0.0.1'));
    ponte = await startPonte({
      extraSubgraphs: [
        platformSubgraph({
          name: 'woocommerce',
          sdl: woocommerceSdl(),
          database: 'wooship',
          create: ({ database, inventoryUrl, gatewaySecret, serviceKey }) =>
            createWooCommerceSubgraph({
              database,
              log,
              gatewaySecret,
              serviceKey,
              inventoryUrl,
              // One attempt per store call: the queue's own retry is what these tests watch.
              store: { storeUrl: sandbox.url, consumerKey: 'ck_sandbox', consumerSecret: 'cs_sandbox', baseDelayMs: 20, syncMaxAttempts: 1 },
              reconcileIntervalMs: 0,
              inboxPollIntervalMs: 100,
              stockSync: false,
              alerts: false,
              shipments: { pollIntervalMs: 100, baseBackoffMs: 50, maxBackoffMs: 200, maxAttempts: 5 },
            }),
          started: async ({ subgraph, database: testDatabase, url }) => {
            woo = subgraph;
            wooDb = testDatabase;
            await woo.registerWebhooks(new URL(url).origin);
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await ponte?.close();
    await sandbox?.close();
  });

  const inventory = <Data = any>(query: string, variables: Record<string, unknown> = {}) => graphql<Data>(ponte.inventoryUrl, query, variables, { [GATEWAY_SECRET_HEADER]: TEST_GATEWAY_SECRET });

  async function reservation(orderId: string): Promise<{ id: string; status: string }> {
    return eventually(async () => {
      const result = await inventory<{ reservationsForOrder: Array<{ id: string; status: string }> }>('query($channel: ID!, $ref: String!) { reservationsForOrder(channel: $channel, orderReference: $ref) { id status } }', { channel: CHANNEL, ref: orderId });
      return result.data?.reservationsForOrder[0];
    }, 'the reservation');
  }

  async function placedOrder(lines: Array<{ sku: string; quantity: number }>): Promise<{ id: string; lines: Array<{ lineId: string; sku: string | null; quantity: number }> }> {
    const order = await control.placeOrder(lines);
    await reservation(order.id);
    const states = await eventually(async () => {
      const found = await woo.orderSync.lineStates(order.id);
      return found.length === lines.length && found;
    }, 'the order lines');
    return { id: order.id, lines: states.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: lines.find((wanted) => wanted.sku === line.sku)!.quantity })) };
  }

  async function settled(id: string) {
    return eventually(async () => {
      const row = await woo.shipments.get(id);
      return row && row.status !== 'PENDING' ? row : undefined;
    }, `shipment confirmation ${id} to settle`);
  }

  const shipment = (orderId: string, lines: Array<{ lineId: string; quantity: number }>, fulfilmentId: string, trackingCode: string) => ({
    orderId,
    fulfilmentId,
    carrier: 'Jadlog',
    trackingCode,
    trackingUrl: `https://www.jadlog.com.br/tracking?cte=${trackingCode}`,
    shippedAt: '2026-12-01T15:00:00Z',
    lines,
  });

  it('a shipment in two parcels: tracking and a customer note for each, the order completed with the last; the intake commits it once', async () => {
    const order = await placedOrder([{ sku: 'CAM-BASICA-G', quantity: 1 }, { sku: 'VEL-AROMA', quantity: 2 }]);
    const [first, second] = order.lines;
    const one = await graphql<any>(ponte.gatewayUrl, CONFIRM, { input: shipment(order.id, [{ lineId: first!.lineId, quantity: first!.quantity }], 'ful-2001', 'JD0000002001') }, ORDERS_SERVICE);
    expect(one.errors).toBeUndefined();
    expect(await settled(one.data.confirmWooCommerceShipment.id)).toMatchObject({ status: 'CONFIRMED', platformReference: expect.stringMatching(/^tracking [0-9a-f]{32}, note \d+$/) });
    expect(await control.shopperView(order.id)).toMatchObject({ status: 'processing', shipments: [{ carrier: 'Jadlog', trackingCode: 'JD0000002001', trackingUrl: 'https://www.jadlog.com.br/tracking?cte=JD0000002001', shippedAt: '2026-12-01' }] });

    const two = await graphql<any>(ponte.gatewayUrl, CONFIRM, { input: shipment(order.id, [{ lineId: second!.lineId, quantity: second!.quantity }], 'ful-2002', 'JD0000002002') }, ORDERS_SERVICE);
    expect((await settled(two.data.confirmWooCommerceShipment.id)).status).toBe('CONFIRMED');
    const view = await control.shopperView(order.id);
    expect(view.status).toBe('completed');
    expect(view.shipments.map((entry) => entry.trackingCode)).toEqual(['JD0000002001', 'JD0000002002']);
    expect(view.customerNotes).toEqual([
      'Seu pedido foi enviado por Jadlog. Código de rastreio: JD0000002001. Acompanhe a entrega: https://www.jadlog.com.br/tracking?cte=JD0000002001',
      'Seu pedido foi enviado por Jadlog. Código de rastreio: JD0000002002. Acompanhe a entrega: https://www.jadlog.com.br/tracking?cte=JD0000002002',
    ]);
    // The order's REST read shows the extension's meta too.
    const read = await fetch(`${sandbox.url}/wp-json/wc/v3/orders/${order.id}`, { headers: { authorization: `Basic ${Buffer.from('ck_sandbox:cs_sandbox').toString('base64')}` } });
    const body = (await read.json()) as { status: string; meta_data: Array<{ key: string; value: Array<{ tracking_number: string }> }> };
    expect(body.meta_data.find((meta) => meta.key === '_wc_shipment_tracking_items')?.value.map((item) => item.tracking_number)).toEqual(['JD0000002001', 'JD0000002002']);
    // WooCommerce's order.updated (completed) comes back through the intake: committed once.
    await eventually(async () => (await reservation(order.id)).status === 'FULFILLED', 'the reservation to be fulfilled');
    await eventually(async () => (await woo.orderSync.lineStates(order.id)).every((line) => line.state === 'FULFILLED'), 'the lines to be fulfilled');
  });

  it('retries after the store answers 503 and then 429; a duplicate and a repeat after a lost answer add one tracking item and one note', async () => {
    const order = await placedOrder([{ sku: 'TOA-BANHO', quantity: 1 }]);
    await control.injectFault({ mode: 'error', status: 503, calls: 1 });
    await control.injectFault({ mode: 'error', status: 429, calls: 1 });
    const input = shipment(order.id, [{ lineId: order.lines[0]!.lineId, quantity: 1 }], 'ful-2003', 'JD0000002003');
    const [a, b] = await Promise.all([graphql<any>(ponte.gatewayUrl, CONFIRM, { input }, ORDERS_SERVICE), graphql<any>(ponte.gatewayUrl, CONFIRM, { input }, ORDERS_SERVICE)]);
    expect(a.data.confirmWooCommerceShipment.id).toBe(b.data.confirmWooCommerceShipment.id);
    const row = await settled(a.data.confirmWooCommerceShipment.id);
    expect(row.status).toBe('CONFIRMED');
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    await wooDb.db.query(`UPDATE shipment_confirmations SET status = 'PENDING', next_attempt_at = now(), claimed_until = NULL WHERE id = $1`, [row.id]);
    await woo.shipments.drain();
    expect((await settled(row.id)).status).toBe('CONFIRMED');
    const view = await control.shopperView(order.id);
    expect(view).toMatchObject({ status: 'completed' });
    expect(view.shipments).toHaveLength(1);
    expect(view.customerNotes).toHaveLength(1);
  });

  it('an unknown order is a dead letter with WooCommerce’s reason; a caller without orders:write queues nothing', async () => {
    const unknown = await graphql<any>(ponte.gatewayUrl, CONFIRM, { input: shipment('999999', [{ lineId: '1', quantity: 1 }], 'ful-2004', 'JD0000002004') }, ORDERS_SERVICE);
    expect(await settled(unknown.data.confirmWooCommerceShipment.id)).toMatchObject({ status: 'DEAD', attempts: 1, lastError: 'WooCommerce has no order 999999' });
    const count = async () => (await wooDb.db.query<{ count: number }>('SELECT count(*)::int AS count FROM shipment_confirmations'))[0]!.count;
    const before = await count();
    for (const who of ['internal', 'storefront', 'partner'] as const) {
      const refused = await graphql(ponte.gatewayUrl, CONFIRM, { input: shipment('1', [{ lineId: '1', quantity: 1 }], `ful-refused-${who}`, 'JD1') }, as(who));
      expect(refused.errors?.[0]?.extensions?.['code'], who).toBe('FORBIDDEN');
    }
    expect(await count()).toBe(before);
    const dead = await graphql<any>(ponte.gatewayUrl, `query { wooCommerceShipmentConfirmations(status: DEAD) { fulfilmentId lastError } }`, {}, as('operator'));
    expect(dead.data.wooCommerceShipmentConfirmations).toEqual([{ fulfilmentId: 'ful-2004', lastError: 'WooCommerce has no order 999999' }]);
  });
});
