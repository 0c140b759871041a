import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAmazonSandbox, type AmazonSandbox } from '../../sandboxes/amazon/amazon-sandbox.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { as, graphql, startPonte, TEST_GATEWAY_SECRET, TEST_SERVICE_KEYS, type RunningPonte } from '../../test/support/ponte.ts';
import { eventuallyDefined as eventually } from '../../test/support/eventually.ts';
import { createLogger } from '../../kit/logger.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { amazonSdl, createAmazonSubgraph, type AmazonSubgraph } from './index.ts';
import { platformSubgraph } from '../../test/support/platform-subgraph.ts';

/** Tracking back to Amazon: the platform subgraph, its sandbox, the inventory and the gateway. */
const log = createLogger('amazon-shipments-test');
const CHANNEL = 'amazon-br';
/** The orders subgraph's stand-in: a service key with orders:write. */
const ORDERS_SERVICE = { authorization: `Bearer ${TEST_SERVICE_KEYS['amazon']}` };
const CONFIRM = `mutation($input: ChannelShipmentInput!) { confirmAmazonShipment(input: $input) { id status } }`;
const TEST_RATE_LIMITS = { searchOrders: { rate: 20, burst: 200 }, getOrder: { rate: 20, burst: 200 } };

describe('Amazon shipment confirmation end to end', () => {
  let sandbox: AmazonSandbox;
  let control: SandboxControlClient;
  let ponte: RunningPonte;
  let amazon: AmazonSubgraph;
  let amazonDb: TestDatabase;

  beforeAll(async () => {
    sandbox = createAmazonSandbox({ rateLimits: TEST_RATE_LIMITS });
    control = new SandboxControlClient(await sandbox.listen());
    ponte = await startPonte({
      extraSubgraphs: [
        platformSubgraph({
          name: 'amazon',
          sdl: amazonSdl(),
          database: 'amzship',
          create: ({ database, inventoryUrl, gatewaySecret, serviceKey }) =>
            createAmazonSubgraph({
              database,
              log,
              gatewaySecret,
              serviceKey,
              inventoryUrl,
              channel: CHANNEL,
              amazon: {
                baseUrl: sandbox.url,
                lwa: { tokenUrl: `${sandbox.url}/auth/o2/token`, ...sandbox.lwa },
                sellerId: sandbox.sellerId,
                marketplaceId: sandbox.marketplaceId,
                rateLimits: TEST_RATE_LIMITS,
                retryBaseDelayMs: 20,
                interactive: { timeoutMs: 2000, maxAttempts: 2 },
                // One attempt per call: the queue's own retry is what these tests watch.
                background: { timeoutMs: 2000, maxAttempts: 1 },
              },
              polling: { intervalMs: false, overlapMs: 120_000 },
              inboxPollIntervalMs: 100,
              stockSync: false,
              alerts: false,
              shipments: { pollIntervalMs: 100, baseBackoffMs: 50, maxBackoffMs: 200, maxAttempts: 5 },
            }),
          started: async ({ subgraph, database: testDatabase }) => {
            amazon = subgraph;
            amazonDb = testDatabase;
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

  async function reservation(orderId: string): Promise<{ id: string; status: string } | undefined> {
    const result = await inventory<{ reservationsForOrder: Array<{ id: string; status: string }> }>('query($channel: ID!, $ref: String!) { reservationsForOrder(channel: $channel, orderReference: $ref) { id status } }', { channel: CHANNEL, ref: orderId });
    return result.data?.reservationsForOrder[0];
  }

  async function placedOrder(sku: string, quantity: number, fulfilledBy: 'MERCHANT' | 'AMAZON' = 'MERCHANT'): Promise<{ id: string; lineId: string }> {
    await fetch(`${sandbox.url}/_sandbox/fulfilled-by`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fulfilledBy }) });
    const order = await control.placeOrder([{ sku, quantity }]);
    const orderItemId = sandbox.store.orders.get(order.id)!.items[0]!.orderItemId;
    if (fulfilledBy === 'MERCHANT') {
      await amazon.poller.pollOnce();
      await eventually(() => reservation(order.id), 'the reservation');
    }
    return { id: order.id, lineId: orderItemId };
  }

  async function settled(id: string) {
    return eventually(async () => {
      const row = await amazon.shipments.get(id);
      return row && row.status !== 'PENDING' ? row : undefined;
    }, `shipment confirmation ${id} to settle`);
  }

  const shipment = (order: { id: string; lineId: string }, quantity: number, fulfilmentId: string, trackingCode: string) => ({
    orderId: order.id,
    fulfilmentId,
    carrier: 'Correios',
    trackingCode,
    shippedAt: '2026-12-01T15:00:00Z',
    lines: [{ lineId: order.lineId, quantity }],
  });

  it('an MFN order: confirmShipment after a 503 and a 429, the order Shipped with its tracking, one package however often it is told', async () => {
    const order = await placedOrder('CAM-BASICA-GG', 2);
    await control.injectFault({ mode: 'error', status: 503, calls: 1, pathPrefix: '/orders/v0/' });
    await control.injectFault({ mode: 'error', status: 429, calls: 1, pathPrefix: '/orders/v0/' });
    await control.clearCalls();
    const input = shipment(order, 2, 'ful-4001', 'QB000004001BR');
    const [a, b] = await Promise.all([graphql<any>(ponte.gatewayUrl, CONFIRM, { input }, ORDERS_SERVICE), graphql<any>(ponte.gatewayUrl, CONFIRM, { input }, ORDERS_SERVICE)]);
    expect(a.errors).toBeUndefined();
    expect(a.data.confirmAmazonShipment.id).toBe(b.data.confirmAmazonShipment.id);
    const row = await settled(a.data.confirmAmazonShipment.id);
    expect(row).toMatchObject({ status: 'CONFIRMED', platformReference: `package ${row.id}` });
    const confirmations = (await control.calls()).calls.filter((call) => call.path.endsWith('/shipmentConfirmation'));
    expect(confirmations.map((call) => call.status)).toEqual([503, 429, 204]);
    expect(await control.shopperView(order.id)).toEqual({
      id: order.id,
      status: 'SHIPPED',
      shipments: [{ carrier: 'Correios', trackingCode: 'QB000004001BR', trackingUrl: null, shippedAt: '2026-12-01T15:00:00.000Z', lines: [{ sku: 'CAM-BASICA-GG', quantity: 2 }] }],
    });
    // getOrder v2026-01-01 shows the package to the seller's tools too.
    const read = await fetch(`${sandbox.url}/orders/2026-01-01/orders/${order.id}?includedData=FULFILLMENT,PACKAGES`, { headers: { 'x-amz-access-token': sandbox.accessToken } });
    const body = (await read.json()) as { order: { fulfillment: { fulfillmentStatus: string }; packages: Array<{ packageReferenceId: string; trackingNumber: string; carrier: string }> } };
    expect(body.order.fulfillment.fulfillmentStatus).toBe('SHIPPED');
    expect(body.order.packages).toMatchObject([{ packageReferenceId: row.id, trackingNumber: 'QB000004001BR', carrier: 'Correios' }]);

    // A repeat after a lost answer sends the same packageReferenceId: Amazon edits that package.
    await amazonDb.db.query(`UPDATE shipment_confirmations SET status = 'PENDING', next_attempt_at = now(), claimed_until = NULL WHERE id = $1`, [row.id]);
    await amazon.shipments.drain();
    expect((await settled(row.id)).status).toBe('CONFIRMED');
    expect(sandbox.store.orders.get(order.id)!.packages).toHaveLength(1);
    // The next poll sees the order Shipped: the reservation is committed.
    await amazon.poller.pollOnce();
    await eventually(async () => (await reservation(order.id))?.status === 'FULFILLED', 'the reservation to be fulfilled');
  });

  it('an FBA order is refused with the reason, once; Amazon refuses confirmShipment for it too', async () => {
    const order = await placedOrder('VEL-AROMA', 1, 'AMAZON');
    await control.clearCalls();
    const refused = await graphql<any>(ponte.gatewayUrl, CONFIRM, { input: shipment(order, 1, 'ful-4002', 'QB000004002BR') }, ORDERS_SERVICE);
    expect(await settled(refused.data.confirmAmazonShipment.id)).toMatchObject({ status: 'REFUSED', attempts: 1, lastError: `Amazon order ${order.id} is fulfilled by Amazon (FBA): Amazon ships it and tells the buyer itself` });
    expect((await control.calls()).calls.filter((call) => call.path.endsWith('/shipmentConfirmation'))).toEqual([]);
    const direct = await fetch(`${sandbox.url}/orders/v0/orders/${order.id}/shipmentConfirmation`, {
      method: 'POST',
      headers: { 'x-amz-access-token': sandbox.accessToken, 'content-type': 'application/json' },
      body: JSON.stringify({ marketplaceId: sandbox.marketplaceId, packageDetail: { packageReferenceId: '1', carrierCode: 'Other', carrierName: 'Correios', trackingNumber: 'X', shipDate: '2026-12-01T15:00:00Z', orderItems: [{ orderItemId: order.lineId, quantity: 1 }] } }),
    });
    expect(direct.status).toBe(400);
  });

  it('an unknown order and more units than ordered end as dead letters; a caller without orders:write queues nothing', async () => {
    const unknown = await graphql<any>(ponte.gatewayUrl, CONFIRM, { input: shipment({ id: '701-0000000-0000000', lineId: '1' }, 1, 'ful-4003', 'QB000004003BR') }, ORDERS_SERVICE);
    expect(await settled(unknown.data.confirmAmazonShipment.id)).toMatchObject({ status: 'DEAD', attempts: 1, lastError: 'Amazon has no order 701-0000000-0000000' });
    const order = await placedOrder('TOA-BANHO', 1);
    const tooMany = await graphql<any>(ponte.gatewayUrl, CONFIRM, { input: shipment(order, 3, 'ful-4004', 'QB000004004BR') }, ORDERS_SERVICE);
    expect(await settled(tooMany.data.confirmAmazonShipment.id)).toMatchObject({ status: 'DEAD', attempts: 1, lastError: expect.stringMatching(/HTTP 400 InvalidInput: Quantity 3 for orderItemId \d+ exceeds the 1 left to ship/) });
    const count = async () => (await amazonDb.db.query<{ count: number }>('SELECT count(*)::int AS count FROM shipment_confirmations'))[0]!.count;
    const before = await count();
    const refused = await graphql(ponte.gatewayUrl, CONFIRM, { input: shipment(order, 1, 'ful-refused', 'X') }, as('partner'));
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(await count()).toBe(before);
  });
});
