import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createShopifySandbox, type ShopifySandbox } from '../../sandboxes/shopify/shopify-sandbox.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { as, graphql, startPonte, TEST_GATEWAY_SECRET, TEST_SERVICE_KEYS, type RunningPonte } from '../../test/support/ponte.ts';
import { eventuallyDefined as eventually } from '../../test/support/eventually.ts';
import { createLogger } from '../../kit/logger.ts';
import { GATEWAY_SECRET_HEADER } from '../../kit/subgraph-server.ts';
import { createShopifySubgraph, shopifySdl, type ShopifySubgraph } from './index.ts';
import { platformSubgraph } from '../../test/support/platform-subgraph.ts';

/** Tracking back to Shopify: the platform subgraph, its sandbox, the inventory and the gateway. */
const log = createLogger('shopify-shipments-test');
const CHANNEL = 'shopify-br';
/** The orders subgraph's stand-in: a service key with orders:write. */
const ORDERS_SERVICE = { authorization: `Bearer ${TEST_SERVICE_KEYS['shopify']}` };

const CONFIRM = `mutation($input: ChannelShipmentInput!) { confirmShopifyShipment(input: $input) { id status orderId fulfilmentId lines { lineId quantity } } }`;
const LIST = `query($status: ShipmentConfirmationStatus) { shopifyShipmentConfirmations(status: $status, first: 200) { id orderId fulfilmentId status attempts lastError platformReference } }`;

describe('Shopify shipment confirmation end to end', () => {
  let sandbox: ShopifySandbox;
  let control: SandboxControlClient;
  let ponte: RunningPonte;
  let shopify: ShopifySubgraph;
  let shopifyDb: TestDatabase;

  beforeAll(async () => {
    sandbox = createShopifySandbox({ webhookRetry: { initialDelayMs: 50, maxDelayMs: 500 } });
    const sandboxUrl = await sandbox.listen();
    control = new SandboxControlClient(sandboxUrl);
    ponte = await startPonte({
      extraSubgraphs: [
        platformSubgraph({
          name: 'shopify',
          sdl: shopifySdl(),
          database: 'shopship',
          create: ({ database, inventoryUrl, gatewaySecret, serviceKey }) =>
            createShopifySubgraph({
              database,
              log,
              gatewaySecret,
              serviceKey,
              inventoryUrl,
              channel: CHANNEL,
              // One attempt per client call: the queue's own retry is what these tests watch.
              shopify: { baseUrl: sandboxUrl, shopDomain: sandbox.shopDomain, accessToken: sandbox.accessToken, apiSecretKey: sandbox.apiSecretKey, baseDelayMs: 20, maxAttempts: 1 },
              inbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
              reconciliation: { intervalMs: 0 },
              stockSync: false,
              alerts: false,
              shipments: { pollIntervalMs: 100, baseBackoffMs: 50, maxBackoffMs: 200, maxAttempts: 5 },
            }),
          started: async ({ subgraph, database: testDatabase, url }) => {
            shopify = subgraph;
            shopifyDb = testDatabase;
            await shopify.registerWebhooks(new URL(url).origin);
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

  async function onHand(sku: string): Promise<number> {
    const result = await inventory<{ product: { stockLevels: Array<{ onHand: number }> } }>('query($sku: ID!) { product(sku: $sku) { stockLevels { onHand } } }', { sku });
    return result.data!.product.stockLevels.reduce((sum, level) => sum + level.onHand, 0);
  }

  async function reservation(orderId: string): Promise<{ id: string; status: string }> {
    return eventually(async () => {
      const result = await inventory<{ reservationsForOrder: Array<{ id: string; status: string }> }>('query($channel: ID!, $ref: String!) { reservationsForOrder(channel: $channel, orderReference: $ref) { id status } }', { channel: CHANNEL, ref: orderId });
      return result.data?.reservationsForOrder[0];
    }, 'the reservation');
  }

  /** A shopper's order, taken in by the intake (reserved); with the platform's line ids. */
  async function placedOrder(sku: string, quantity: number): Promise<{ id: string; lineId: string }> {
    const order = await control.placeOrder([{ sku, quantity }]);
    await reservation(order.id);
    // The reservation is visible before the intake's own transaction commits its line states.
    const line = await eventually(async () => (await shopify.orderSync.lineStates(order.id))[0], 'the order line');
    return { id: order.id, lineId: line.lineId };
  }

  async function settled(id: string): Promise<{ status: string; attempts: number; lastError: string | null; platformReference: string | null }> {
    return eventually(async () => {
      const row = await shopify.shipments.get(id);
      return row && row.status !== 'PENDING' ? row : undefined;
    }, `shipment confirmation ${id} to settle`);
  }

  const shipment = (order: { id: string; lineId: string }, quantity: number, fulfilmentId: string, trackingCode = `QB${fulfilmentId.replace(/\D/g, '').padStart(9, '0')}BR`) => ({
    orderId: order.id,
    fulfilmentId,
    carrier: 'Correios',
    trackingCode,
    trackingUrl: `https://rastreamento.correios.com.br/app/index.php?objeto=${trackingCode}`,
    shippedAt: '2026-12-01T15:00:00Z',
    lines: [{ lineId: order.lineId, quantity }],
  });

  it('a service tells Shopify; the shopper sees the tracking, and the order is committed in the inventory once', async () => {
    const sku = 'CAM-LINHO-P';
    const order = await placedOrder(sku, 2);
    const before = await onHand(sku);
    const confirmed = await graphql<{ confirmShopifyShipment: { id: string; status: string } }>(ponte.gatewayUrl, CONFIRM, { input: shipment(order, 2, 'ful-1001') }, ORDERS_SERVICE);
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data!.confirmShopifyShipment).toMatchObject({ status: 'PENDING', orderId: order.id, fulfilmentId: 'ful-1001', lines: [{ lineId: order.lineId, quantity: 2 }] });
    const row = await settled(confirmed.data!.confirmShopifyShipment.id);
    expect(row).toMatchObject({ status: 'CONFIRMED', lastError: null, platformReference: expect.stringMatching(/^gid:\/\/shopify\/Fulfillment\/\d+$/) });

    expect(await control.shopperView(order.id)).toEqual({
      id: order.id,
      status: 'fulfilled',
      shipments: [{ carrier: 'Correios', trackingCode: 'QB000001001BR', trackingUrl: 'https://rastreamento.correios.com.br/app/index.php?objeto=QB000001001BR', shippedAt: expect.any(String), lines: [{ sku, quantity: 2 }] }],
    });
    // Shopify's orders/fulfilled webhook comes back through the intake: the reservation is committed, once.
    await eventually(async () => (await reservation(order.id)).status === 'FULFILLED', 'the reservation to be fulfilled');
    await sandbox.webhooks.settled();
    await eventually(async () => (await shopify.inbox.pending()) === 0, 'the inbox to drain');
    expect(await onHand(sku)).toBe(before - 2);
    expect((await shopify.orderSync.lineStates(order.id)).map((line) => line.state)).toEqual(['FULFILLED']);
  });

  it('when the orders subgraph committed the reservation first, Shopify’s FULFILLED order commits nothing more', async () => {
    const sku = 'CAM-LINHO-M';
    const order = await placedOrder(sku, 1);
    const before = await onHand(sku);
    const { id } = await reservation(order.id);
    const fulfilled = await inventory('mutation($input: ReservationActionInput!) { fulfilReservation(input: $input) { reservation { status } } }', { input: { reservationId: id, idempotencyKey: `orders:${order.id}:fulfil`, reason: 'shipped from Ponte' } });
    expect(fulfilled.errors).toBeUndefined();
    expect(await onHand(sku)).toBe(before - 1);
    const confirmed = await graphql<{ confirmShopifyShipment: { id: string } }>(ponte.gatewayUrl, CONFIRM, { input: shipment(order, 1, 'ful-1002') }, ORDERS_SERVICE);
    expect((await settled(confirmed.data!.confirmShopifyShipment.id)).status).toBe('CONFIRMED');
    await sandbox.webhooks.settled();
    await eventually(async () => (await shopify.inbox.pending()) === 0, 'the inbox to drain');
    await eventually(async () => (await shopify.orderSync.lineStates(order.id))[0]?.state === 'FULFILLED', 'the line to be fulfilled');
    expect(await onHand(sku)).toBe(before - 1);
  });

  it('retries after Shopify answers 503 and then 429 once each', async () => {
    const order = await placedOrder('TOA-BANHO', 1);
    await control.injectFault({ mode: 'error', status: 503, calls: 1 });
    await control.injectFault({ mode: 'error', status: 429, calls: 1 });
    const confirmed = await graphql<{ confirmShopifyShipment: { id: string } }>(ponte.gatewayUrl, CONFIRM, { input: shipment(order, 1, 'ful-1003') }, ORDERS_SERVICE);
    const row = await settled(confirmed.data!.confirmShopifyShipment.id);
    expect(row).toMatchObject({ status: 'CONFIRMED' });
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect((await control.shopperView(order.id)).shipments.map((entry) => entry.trackingCode)).toEqual(['QB000001003BR']);
  });

  it('a duplicate confirmation, and a repeat after a lost answer, make one fulfillment on Shopify', async () => {
    const order = await placedOrder('VEL-AROMA', 2);
    const input = shipment(order, 2, 'ful-1004');
    const [first, second] = await Promise.all([graphql<any>(ponte.gatewayUrl, CONFIRM, { input }, ORDERS_SERVICE), graphql<any>(ponte.gatewayUrl, CONFIRM, { input }, ORDERS_SERVICE)]);
    expect(first.data.confirmShopifyShipment.id).toBe(second.data.confirmShopifyShipment.id);
    await settled(first.data.confirmShopifyShipment.id);
    // The call reached Shopify but the worker died before recording it: the row is due again.
    await shopifyDb.db.query(`UPDATE shipment_confirmations SET status = 'PENDING', next_attempt_at = now(), claimed_until = NULL WHERE id = $1`, [first.data.confirmShopifyShipment.id]);
    await shopify.shipments.drain();
    expect((await settled(first.data.confirmShopifyShipment.id)).status).toBe('CONFIRMED');
    expect((await control.shopperView(order.id)).shipments).toHaveLength(1);
  });

  it('an unknown order and more units than remain end as dead letters with Shopify’s reason, not endless retries', async () => {
    const unknown = await graphql<any>(ponte.gatewayUrl, CONFIRM, { input: shipment({ id: 'gid://shopify/Order/1', lineId: '2' }, 1, 'ful-1005') }, ORDERS_SERVICE);
    expect(await settled(unknown.data.confirmShopifyShipment.id)).toMatchObject({ status: 'DEAD', attempts: 1, lastError: 'Shopify has no order gid://shopify/Order/1' });
    const order = await placedOrder('CAB-USBC', 1);
    const tooMany = await graphql<any>(ponte.gatewayUrl, CONFIRM, { input: shipment(order, 3, 'ful-1006') }, ORDERS_SERVICE);
    expect(await settled(tooMany.data.confirmShopifyShipment.id)).toMatchObject({ status: 'DEAD', attempts: 1, lastError: expect.stringMatching(/has 1 of line \d+ left to fulfil, 3 shipped/) });
    const dead = await graphql<any>(ponte.gatewayUrl, LIST, { status: 'DEAD' }, as('operator'));
    expect(dead.data.shopifyShipmentConfirmations.map((row: any) => row.fulfilmentId).sort()).toEqual(['ful-1005', 'ful-1006']);
    // Replayed, the unknown order fails again the same way: still one attempt per replay.
    const replayed = await graphql<any>(ponte.gatewayUrl, `mutation($ids: [ID!]) { replayShopifyShipmentConfirmations(ids: $ids) { id status } }`, { ids: [unknown.data.confirmShopifyShipment.id] }, as('operator'));
    expect(replayed.data.replayShopifyShipmentConfirmations).toEqual([{ id: unknown.data.confirmShopifyShipment.id, status: 'PENDING' }]);
    expect(await settled(unknown.data.confirmShopifyShipment.id)).toMatchObject({ status: 'DEAD', attempts: 1 });
  });

  it('a caller without orders:write is refused with nothing queued; reading and replaying need platform scopes', async () => {
    const order = await placedOrder('OCU-SOL', 1);
    const count = async () => (await shopifyDb.db.query<{ count: number }>('SELECT count(*)::int AS count FROM shipment_confirmations'))[0]!.count;
    const before = await count();
    for (const who of ['internal', 'storefront', 'partner', 'monitoring'] as const) {
      const refused = await graphql(ponte.gatewayUrl, CONFIRM, { input: shipment(order, 1, `ful-refused-${who}`) }, as(who));
      expect(refused.errors?.[0]?.extensions?.['code'], who).toBe('FORBIDDEN');
    }
    const anonymous = await graphql(ponte.gatewayUrl, CONFIRM, { input: shipment(order, 1, 'ful-anonymous') }, as('anonymous'));
    expect(anonymous.errors?.[0]?.extensions?.['code']).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
    expect(await count()).toBe(before);
    // The service confirms but does not read the queue (platform:read), nor replay it.
    const list = await graphql(ponte.gatewayUrl, LIST, {}, ORDERS_SERVICE);
    expect(list.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const replay = await graphql(ponte.gatewayUrl, `mutation { replayShopifyShipmentConfirmations { id } }`, {}, ORDERS_SERVICE);
    expect(replay.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    // A malformed shipment is refused as such, and queues nothing either.
    const malformed = await graphql(ponte.gatewayUrl, CONFIRM, { input: { ...shipment(order, 1, 'ful-bad'), shippedAt: 'tomorrow' } }, ORDERS_SERVICE);
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shippedAt' });
    expect(await count()).toBe(before);
  });
});
