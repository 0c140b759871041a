import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createMercadoLivreSandbox, type MercadoLivreSandbox } from '../../sandboxes/mercadolivre/mercadolivre-sandbox.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { as, graphql, startPonte, TEST_GATEWAY_SECRET, TEST_SERVICE_KEYS, type RunningPonte } from '../../test/support/ponte.ts';
import { eventuallyDefined as eventually } from '../../test/support/eventually.ts';
import { createLogger } from '../../kit/logger.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { createMercadoLivreSubgraph, mercadolivreSdl, type MercadoLivreSubgraph } from './index.ts';
import { platformSubgraph } from '../../test/support/platform-subgraph.ts';
import { sandboxPlatform } from '../../test/support/mercadolivre.ts';

/** Tracking back to Mercado Livre: the platform subgraph, its sandbox, the inventory and the gateway. */
const log = createLogger('mercadolivre-shipments-test');
const CHANNEL = 'mercado-livre';
/** The orders subgraph's stand-in: a service key with orders:write. */
const ORDERS_SERVICE = { authorization: `Bearer ${TEST_SERVICE_KEYS['mercadolivre']}` };
const CONFIRM = `mutation($input: ChannelShipmentInput!) { confirmMercadoLivreShipment(input: $input) { id status } }`;

describe('Mercado Livre shipment confirmation end to end', () => {
  let sandbox: MercadoLivreSandbox;
  let control: SandboxControlClient;
  let ponte: RunningPonte;
  let ml: MercadoLivreSubgraph;
  let mlDb: TestDatabase;

  beforeAll(async () => {
    sandbox = createMercadoLivreSandbox({ shippingMode: 'me1', notificationRetry: { initialDelayMs: 50, maxDelayMs: 500, timeoutMs: 2000 } });
    control = new SandboxControlClient(await sandbox.listen());
    ponte = await startPonte({
      extraSubgraphs: [
        platformSubgraph({
          name: 'mercadolivre',
          sdl: mercadolivreSdl(),
          database: 'mlship',
          create: ({ database, inventoryUrl, gatewaySecret, serviceKey }) =>
            createMercadoLivreSubgraph({
              database,
              log,
              gatewaySecret,
              serviceKey,
              inventoryUrl,
              channel: CHANNEL,
              platform: sandboxPlatform(sandbox),
              inbox: { pollIntervalMs: 100, maxBackoffMs: 1000 },
              stockSync: false,
              alerts: false,
              shipments: { pollIntervalMs: 100, baseBackoffMs: 50, maxBackoffMs: 200, maxAttempts: 5 },
            }),
          started: async ({ subgraph, database: testDatabase, url }) => {
            ml = subgraph;
            mlDb = testDatabase;
            sandbox.notificationCallbackUrl = new URL(ml.notificationsPath, url).toString();
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

  async function placedOrder(sku: string, quantity: number, mode: 'me1' | 'me2' = 'me1'): Promise<{ id: string; lineId: string }> {
    await fetch(`${sandbox.url}/_sandbox/shipping-mode`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode }) });
    const order = await control.placeOrder([{ sku, quantity }]);
    await reservation(order.id);
    const [line] = await eventually(async () => {
      const found = await ml.orderSync.lineStates(order.id);
      return found.length > 0 && found;
    }, 'the order line');
    return { id: order.id, lineId: line!.lineId };
  }

  async function settled(id: string) {
    return eventually(async () => {
      const row = await ml.shipments.get(id);
      return row && row.status !== 'PENDING' ? row : undefined;
    }, `shipment confirmation ${id} to settle`);
  }

  const shipment = (order: { id: string; lineId: string }, quantity: number, fulfilmentId: string, trackingCode: string) => ({
    orderId: order.id,
    fulfilmentId,
    carrier: 'Correios',
    trackingCode,
    trackingUrl: `https://rastreamento.correios.com.br/app/index.php?objeto=${trackingCode}`,
    shippedAt: '2026-12-01T15:00:00Z',
    lines: [{ lineId: order.lineId, quantity }],
  });

  it('an ME1 order: the shipment marked shipped with its tracking, shown to the buyer; the intake commits it once', async () => {
    const order = await placedOrder('CAM-BASICA-P', 1);
    await control.injectFault({ mode: 'error', status: 503, calls: 1, pathPrefix: '/shipments/', method: 'POST' });
    await control.injectFault({ mode: 'error', status: 429, calls: 1, pathPrefix: '/shipments/', method: 'POST' });
    await control.clearCalls();
    const input = shipment(order, 1, 'ful-3001', 'QB000003001BR');
    const [a, b] = await Promise.all([graphql<any>(ponte.gatewayUrl, CONFIRM, { input }, ORDERS_SERVICE), graphql<any>(ponte.gatewayUrl, CONFIRM, { input }, ORDERS_SERVICE)]);
    expect(a.errors).toBeUndefined();
    expect(a.data.confirmMercadoLivreShipment.id).toBe(b.data.confirmMercadoLivreShipment.id);
    const row = await settled(a.data.confirmMercadoLivreShipment.id);
    expect(row).toMatchObject({ status: 'CONFIRMED', platformReference: expect.stringMatching(/^shipment \d+$/) });
    const posts = (await control.calls()).calls.filter((call) => call.method === 'POST' && call.path.endsWith('/seller_notifications'));
    // Failed twice (5xx, then the rate limit), then taken; the duplicate request added nothing.
    expect(posts.map((call) => call.status)).toEqual([503, 429, 200]);
    expect(await control.shopperView(order.id)).toEqual({
      id: order.id,
      status: 'shipped',
      shipments: [{ carrier: 'Correios', trackingCode: 'QB000003001BR', trackingUrl: 'https://rastreamento.correios.com.br/app/index.php?objeto=QB000003001BR', shippedAt: '2026-12-01T15:00:00.000Z', lines: [{ sku: 'CAM-BASICA-P', quantity: 1 }] }],
    });
    // The order now carries the shipped tag: the intake sees it FULFILLED and commits the reservation.
    await eventually(async () => (await reservation(order.id)).status === 'FULFILLED', 'the reservation to be fulfilled');

    // A repeat after a lost answer finds the shipment shipped with this tracking and notifies nothing.
    await mlDb.db.query(`UPDATE shipment_confirmations SET status = 'PENDING', next_attempt_at = now(), claimed_until = NULL WHERE id = $1`, [row.id]);
    await ml.shipments.drain();
    expect((await settled(row.id)).status).toBe('CONFIRMED');
    expect((await control.calls()).calls.filter((call) => call.method === 'POST' && call.path.endsWith('/seller_notifications'))).toHaveLength(3);
  });

  it('a Mercado Envios (me2) order is refused with the reason, once, and Mercado Livre is told nothing', async () => {
    const order = await placedOrder('VEL-AROMA', 1, 'me2');
    await control.clearCalls();
    const refused = await graphql<any>(ponte.gatewayUrl, CONFIRM, { input: shipment(order, 1, 'ful-3002', 'QB000003002BR') }, ORDERS_SERVICE);
    expect(await settled(refused.data.confirmMercadoLivreShipment.id)).toMatchObject({ status: 'REFUSED', attempts: 1, lastError: `Mercado Livre order ${order.id} ships by Mercado Envios (me2): Mercado Livre carries it and tells the buyer itself` });
    expect((await control.calls()).calls.filter((call) => call.method === 'POST')).toEqual([]);
    expect((await control.shopperView(order.id)).shipments).toEqual([]);
    // The sandbox refuses a seller notification on me2 as well.
    const shipmentId = (await (await fetch(`${sandbox.url}/orders/${order.id}/shipments`, { headers: { authorization: `Bearer ${sandbox.accessToken}` } })).json()) as { id: number };
    const direct = await fetch(`${sandbox.url}/shipments/${shipmentId.id}/seller_notifications`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'shipped', tracking_number: 'X1' }) });
    expect(direct.status).toBe(403);
    const listed = await graphql<any>(ponte.gatewayUrl, `query { mercadoLivreShipmentConfirmations(status: REFUSED) { fulfilmentId } }`, {}, as('operator'));
    expect(listed.data.mercadoLivreShipmentConfirmations).toEqual([{ fulfilmentId: 'ful-3002' }]);
  });

  it('an unknown order is a dead letter; a caller without orders:write queues nothing', async () => {
    const unknown = await graphql<any>(ponte.gatewayUrl, CONFIRM, { input: shipment({ id: '2000000000000001', lineId: 'MLB1/0' }, 1, 'ful-3003', 'QB000003003BR') }, ORDERS_SERVICE);
    expect(await settled(unknown.data.confirmMercadoLivreShipment.id)).toMatchObject({ status: 'DEAD', attempts: 1, lastError: 'Mercado Livre has no order 2000000000000001' });
    const count = async () => (await mlDb.db.query<{ count: number }>('SELECT count(*)::int AS count FROM shipment_confirmations'))[0]!.count;
    const before = await count();
    const refused = await graphql(ponte.gatewayUrl, CONFIRM, { input: shipment({ id: '1', lineId: '1' }, 1, 'ful-refused', 'X') }, as('internal'));
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(await count()).toBe(before);
  });
});
