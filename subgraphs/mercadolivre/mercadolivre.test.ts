// End to end through real sockets: the Mercado Livre sandbox, inventory + catalog + this
// subgraph, and the gateway. Waits poll with a deadline; nothing sleeps a fixed time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../demo/catalog.ts';
import { defaultSeedFor } from '../../sandboxes/common/catalog.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createMercadoLivreSandbox, type MercadoLivreSandbox } from '../../sandboxes/mercadolivre/mercadolivre-sandbox.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { as, graphql, startPonte, type RunningPonte } from '../../test/support/ponte.ts';
import { SANDBOX_SHOPPERS } from '../../sandboxes/common/shoppers.ts';
import { subscribe } from '../../test/support/subscriptions.ts';
import { createPlatformFetch } from '../platform-common/platform-fetch.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { MercadoLivreClient } from './client.ts';
import { channelOrderFrom, listingFromItem, shipToOf } from './dictionary.ts';
import { createMercadoLivreSubgraph, mercadolivreSdl, type MercadoLivreSubgraph } from './index.ts';
import { deliveryIdOf } from './notifications.ts';
import { MercadoLivreTokens, TOKEN_STATE_NAME } from './oauth.ts';
import { eventually } from '../../test/support/eventually.ts';
import { sandboxPlatform } from '../../test/support/mercadolivre.ts';

const log = createLogger('test');
/** Listed on Mercado Livre, unknown to the canonical inventory. */
const ML_ONLY_SKU = 'ML-SOMENTE-AQUI';

let sandbox: MercadoLivreSandbox;
let control: SandboxControlClient;
let ponte: RunningPonte;
let ml: MercadoLivreSubgraph;
let mlDatabase: TestDatabase;
let notificationUrl: string;

beforeAll(async () => {
  const seed = defaultSeedFor('MERCADO_LIVRE');
  const template = demoProducts.find((product) => product.sku === 'CAF-MOIDO-500')!;
  seed.products = [...seed.products, { ...template, sku: ML_ONLY_SKU, parentSku: null, title: 'Café Especial (só no Mercado Livre)' }];
  sandbox = createMercadoLivreSandbox({ seed, notificationRetry: { initialDelayMs: 50, maxDelayMs: 500, timeoutMs: 2000 } });
  control = new SandboxControlClient(await sandbox.listen());
  ponte = await startPonte({
    extraSubgraphs: [
      {
        name: 'mercadolivre',
        sdl: mercadolivreSdl(),
        async start({ inventoryUrl, ordersUrl, gatewaySecret, serviceKey }) {
          mlDatabase = await createTestDatabase('mercadolivre');
          ml = await createMercadoLivreSubgraph({
            database: mlDatabase.db,
            log,
            gatewaySecret,
            serviceKey,
            inventoryUrl,
            // Orders are recorded in the orders subgraph (their ship-to CEP among them); the
            // fulfilment feed, which would confirm shipments on Mercado Livre, is not under test here.
            ordersUrl,
            fulfilmentFeed: false,
            platform: sandboxPlatform(sandbox),
            inbox: { pollIntervalMs: 100, maxBackoffMs: 1000 },
            // These tests count platform calls and compare listings with the seeded stock.
            stockSync: false,
            // The notification-topic alert reads the application's topics: calls these tests would count.
            alerts: false,
          });
          const url = await ml.server.listen(0, '127.0.0.1');
          notificationUrl = new URL(ml.notificationsPath, url).toString();
          sandbox.notificationCallbackUrl = notificationUrl;
          return { url, close: () => ml.close() };
        },
      },
    ],
  });
});

afterAll(async () => {
  await ponte?.close();
  await mlDatabase?.drop();
  await sandbox?.close();
});

interface ReservationView {
  id: string;
  status: string;
  lines: Array<{ sku: string; quantity: number }>;
}

async function reservationsFor(orderId: string): Promise<ReservationView[]> {
  const result = await graphql<{ reservationsForOrder: ReservationView[] }>(
    ponte.gatewayUrl,
    'query($order: String!) { reservationsForOrder(channel: "mercado-livre", orderReference: $order) { id status lines { sku quantity } } }',
    { order: orderId },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.reservationsForOrder;
}

async function committedUnits(sku: string): Promise<{ committed: number; onHand: number }> {
  const result = await graphql<{ product: { stockLevels: Array<{ committed: number; onHand: number }> } }>(
    ponte.gatewayUrl,
    'query($sku: ID!) { product(sku: $sku) { stockLevels { committed onHand } } }',
    { sku },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.product.stockLevels.reduce((sum, level) => ({ committed: sum.committed + level.committed, onHand: sum.onHand + level.onHand }), { committed: 0, onHand: 0 });
}

async function settle(): Promise<void> {
  await sandbox.webhooks.settled();
  await eventually(() => ml.inbox.pending(), (pending) => pending === 0, 'the inbox to drain');
}

async function inboxMessagesFor(orderId: string): Promise<number> {
  const [row] = await ml.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM inbox_messages WHERE payload->>'resource' = $1`, [`/orders/${orderId}`]);
  return row!.count;
}

describe('orders placed on Mercado Livre', () => {
  it('reserves a paid order, releases it on cancellation and commits it on delivery, publishing stockChanged at the gateway', async () => {
    const sku = 'CAF-MOIDO-500';
    const subscription = subscribe<{ stockChanged: { sku: string; kind: string; level: { committed: number } } }>(
      ponte.gatewayUrl,
      `subscription { stockChanged(skus: ["${sku}"]) { sku kind level { committed } } }`,
    );
    try {
      await subscription.started;
      const before = await committedUnits(sku);

      const placed = await control.placeOrder([{ sku, quantity: 2 }]);
      const [reserved] = await eventually(() => reservationsFor(placed.id), (found) => found.length === 1, 'the reservation');
      expect(reserved).toMatchObject({ status: 'OPEN', lines: [{ sku, quantity: 2 }] });
      expect((await committedUnits(sku)).committed).toBe(before.committed + 2);
      expect((await subscription.next(15_000)).stockChanged).toMatchObject({ sku, kind: 'RESERVATION' });

      await control.cancelOrder(placed.id);
      await eventually(() => reservationsFor(placed.id), (found) => found[0]?.status === 'RELEASED', 'the release');
      expect((await committedUnits(sku)).committed).toBe(before.committed);
      expect((await subscription.next(15_000)).stockChanged).toMatchObject({ sku, kind: 'RELEASE' });

      const shipped = await control.placeOrder([{ sku, quantity: 3 }]);
      await eventually(() => reservationsFor(shipped.id), (found) => found[0]?.status === 'OPEN', 'the second reservation');
      await control.fulfilOrder(shipped.id);
      await eventually(() => reservationsFor(shipped.id), (found) => found[0]?.status === 'FULFILLED', 'the fulfilment');
      expect(await committedUnits(sku)).toEqual({ committed: before.committed, onHand: before.onHand - 3 });
    } finally {
      await subscription.close();
    }
  });

  it("reserves from the location nearest the buyer, by its shipment's CEP, and records the order with it", async () => {
    const sku = 'MEI-ESPORTE-3943';
    const routed = async (shopper: number) => {
      const placed = await control.placeOrder([{ sku, quantity: 1 }], { shopper });
      const [reserved] = await eventually(() => reservationsFor(placed.id), (found) => found.length === 1, 'the reservation');
      const read = await graphql<{ reservation: { deliverTo: { postalCode: string } | null; lines: Array<{ location: { id: string }; routing: { reason: string } }> } }>(
        ponte.gatewayUrl,
        'query($id: ID!) { reservation(id: $id) { deliverTo { postalCode } lines { location { id } routing { reason } } } }',
        { id: reserved!.id },
        as('internal'),
      );
      expect(read.errors).toBeUndefined();
      return { orderId: placed.id, ...read.data!.reservation };
    };
    // Ana (Belo Horizonte, MG) is served from the Extrema 3PL; Maria (São Paulo) from São Paulo.
    const [ana, maria] = [SANDBOX_SHOPPERS[2]!, SANDBOX_SHOPPERS[0]!];
    const fromMinas = await routed(2);
    expect(fromMinas.deliverTo).toEqual({ postalCode: ana.address.postalCode });
    expect(fromMinas.lines).toEqual([{ location: { id: '3pl-extrema' }, routing: { reason: `nearest location with stock to CEP ${ana.address.postalCode} (80 km)` } }]);
    const fromSaoPaulo = await routed(0);
    expect(fromSaoPaulo.deliverTo).toEqual({ postalCode: maria.address.postalCode });
    expect(fromSaoPaulo.lines.map((line) => line.location.id)).toEqual(['cd-sao-paulo']);

    // The canonical order carries the CEP too, read through the gateway.
    const order = await eventually(
      async () => (await graphql<{ orderOnChannel: { shipTo: { postalCode: string } | null } | null }>(ponte.gatewayUrl, 'query($id: String!) { orderOnChannel(channel: "mercado-livre", platformOrderId: $id) { shipTo { postalCode } } }', { id: fromMinas.orderId }, as('internal'))).data?.orderOnChannel,
      (found) => found !== null && found !== undefined,
      'the recorded order',
    );
    expect(order).toEqual({ shipTo: { postalCode: ana.address.postalCode } });

    // Shipped on Mercado Livre: its notification applies without reading the shipment again (the
    // CEP served when the line was reserved), and the order keeps its CEP.
    const shipmentReads = async () => (await control.calls()).calls.filter((call) => call.method === 'GET' && call.path.startsWith('/shipments/')).length;
    const readsBefore = await shipmentReads();
    await control.fulfilOrder(fromMinas.orderId);
    await eventually(() => reservationsFor(fromMinas.orderId), (found) => found[0]?.status === 'FULFILLED', 'the fulfilment');
    expect(await shipmentReads()).toBe(readsBefore);
    // The order book records the shipped version just after the inventory commits it.
    const shipped = await eventually(
      async () => (await graphql<{ orderOnChannel: { status: string; shipTo: { postalCode: string } | null } }>(ponte.gatewayUrl, 'query($id: String!) { orderOnChannel(channel: "mercado-livre", platformOrderId: $id) { status shipTo { postalCode } } }', { id: fromMinas.orderId }, as('internal'))).data?.orderOnChannel,
      (found) => found?.status === 'FULFILLED',
      'the shipped order recorded',
    );
    expect(shipped).toEqual({ status: 'FULFILLED', shipTo: { postalCode: ana.address.postalCode } });
  });

  it("keeps the order's notification and retries while its shipment cannot be read, applying nothing without the CEP", async () => {
    const sku = 'LIV-RECEITAS';
    await control.injectFault({ mode: 'error', status: 503, pathPrefix: '/shipments/', method: 'GET' });
    let orderId: string;
    try {
      orderId = (await control.placeOrder([{ sku, quantity: 1 }], { shopper: 2 })).id;
      await eventually(
        () => ml.db.query<{ attempts: number; lastError: string | null }>(`SELECT attempts, last_error AS "lastError" FROM inbox_messages WHERE payload->>'resource' = $1`, [`/orders/${orderId}`]),
        (rows) => (rows[0]?.attempts ?? 0) >= 1 && (rows[0]?.lastError ?? '').includes('getShipment'),
        'a failed attempt at the shipment',
      );
      expect(await reservationsFor(orderId)).toEqual([]);
      expect(await ml.orderSync.lineStates(orderId)).toEqual([]);
    } finally {
      await control.clearFaults();
    }
    const [reserved] = await eventually(() => reservationsFor(orderId), (found) => found[0]?.status === 'OPEN', 'the reservation after recovery', 10_000);
    const read = await graphql<{ reservation: { deliverTo: { postalCode: string } | null } }>(ponte.gatewayUrl, 'query($id: ID!) { reservation(id: $id) { deliverTo { postalCode } } }', { id: reserved!.id }, as('internal'));
    expect(read.data!.reservation.deliverTo).toEqual({ postalCode: SANDBOX_SHOPPERS[2]!.address.postalCode });
  });

  it('refuses notifications for another application (401) or seller (403) without naming the expected ids, and changes nothing', async () => {
    const placedElsewhere = `/orders/${2_000_009_999_999_999}`;
    const notification = { _id: 'forged-1', resource: placedElsewhere, user_id: sandbox.userId, topic: 'orders_v2', application_id: 1, attempts: 1, sent: new Date().toISOString(), received: new Date().toISOString() };
    const send = (body: object) => fetch(notificationUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const otherApp = await send(notification);
    const otherSeller = await send({ ...notification, application_id: sandbox.application.applicationId, user_id: 42 });
    expect([otherApp.status, otherSeller.status]).toEqual([401, 403]);
    for (const body of [await otherApp.text(), await otherSeller.text()]) {
      expect(JSON.parse(body)).toEqual({ error: { code: 'REFUSED', message: 'Notification refused' } });
      expect(body).not.toContain(String(sandbox.application.applicationId));
      expect(body).not.toContain(String(sandbox.userId));
    }
    expect((await send({ ...notification, resource: undefined })).status).toBe(400);
    const [row] = await ml.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM inbox_messages WHERE delivery_id LIKE '%forged%' OR payload->>'resource' = $1`, [placedElsewhere]);
    expect(row!.count).toBe(0);
  });

  it('spends no platform call on a forged notification that fails a local check, and one on a burst about one order', async () => {
    const order = await control.placeOrder([{ sku: 'CAF-MOIDO-500', quantity: 1 }]);
    await eventually(() => reservationsFor(order.id), (found) => found.length === 1, 'the real order reserved');
    await settle();
    const now = new Date().toISOString();
    const genuine = { resource: `/orders/${order.id}`, user_id: sandbox.userId, topic: 'orders_v2', application_id: sandbox.application.applicationId, attempts: 1, sent: now, received: now };
    const send = (body: object) => fetch(notificationUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await control.clearCalls();

    const refusedLocally = [
      { ...genuine, _id: 'forged-app', application_id: 1 },
      { ...genuine, _id: 'forged-user', user_id: 1 },
      { ...genuine, _id: 'forged-shape', resource: '/orders/1/../../users/me' },
      { ...genuine, _id: 'forged-topic', topic: 'payments', resource: '/collections/1' },
      { ...genuine, _id: 'forged-stale', received: '2020-01-01T00:00:00Z', sent: '2020-01-01T00:00:00Z' },
      { ...genuine, _id: 'forged-future', received: '2099-01-01T00:00:00Z', sent: '2099-01-01T00:00:00Z' },
    ];
    const statuses = await Promise.all(refusedLocally.map(async (body) => (await send(body)).status));
    expect(statuses).toEqual([401, 403, 400, 200, 200, 200]);
    // A burst of 20 well-formed copies about one real order (new _id each): read once.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, index) => send({ ...genuine, _id: `burst-${index}` })));
    expect(burst.every((response) => response.status === 200)).toBe(true);
    await settle();
    await eventually(() => ml.inbox.pending(), (pending) => pending === 0, 'the burst processed');
    const calls = (await control.calls()).calls.filter((call) => call.path.startsWith('/orders/'));
    expect(calls).toHaveLength(1);
    expect(await reservationsFor(order.id)).toHaveLength(1);
  });

  it('applies a notification delivered twice once', async () => {
    const sku = 'XIC-PORCELANA';
    const before = await committedUnits(sku);
    await control.setDeliveryMode({ duplicate: true });
    try {
      const placed = await control.placeOrder([{ sku, quantity: 1 }]);
      await eventually(() => reservationsFor(placed.id), (found) => found.length === 1, 'the reservation');
      await settle();
      const deliveries = (await control.deliveries()).deliveries.filter((delivery) => delivery.body.includes(`/orders/${placed.id}`));
      expect(deliveries.filter((delivery) => delivery.duplicate).length).toBeGreaterThanOrEqual(1);
      expect(await inboxMessagesFor(placed.id)).toBe(1);
      expect(await reservationsFor(placed.id)).toEqual([expect.objectContaining({ status: 'OPEN', lines: [{ sku, quantity: 1 }] })]);
      expect((await committedUnits(sku)).committed).toBe(before.committed + 1);
    } finally {
      await control.setDeliveryMode({ duplicate: false });
    }
  });

  it('reserves nothing when the cancellation arrives before the order', async () => {
    const sku = 'PRA-CERAMICA';
    const before = await committedUnits(sku);
    await control.setDeliveryMode({ hold: true });
    let orderId: string;
    try {
      const placed = await control.placeOrder([{ sku, quantity: 2 }]);
      orderId = placed.id;
      await control.cancelOrder(placed.id);
    } finally {
      await control.setDeliveryMode({ hold: false });
    }
    expect(await control.releaseHeld('reverse')).toMatchObject({ released: 2 });
    await eventually(() => inboxMessagesFor(orderId), (count) => count === 2, 'both notifications');
    await settle();
    expect(await reservationsFor(orderId)).toEqual([]);
    expect(await ml.orderSync.lineStates(orderId)).toEqual([expect.objectContaining({ sku, state: 'RELEASED', reservationId: null })]);
    expect((await committedUnits(sku)).committed).toBe(before.committed);
  });

  it('records a line whose SKU the inventory does not know as an exception, queryable through the gateway', async () => {
    const placed = await control.placeOrder([{ sku: ML_ONLY_SKU, quantity: 1 }, { sku: 'VEL-AROMA', quantity: 1 }]);
    const query = '{ mercadoLivreOrderExceptions { orderId lineId sku quantity code message resolvedAt } }';
    // Wait on this subgraph's own state: the gateway's response cache would keep serving an
    // identical query's first (empty) answer for its TTL.
    await eventually(() => ml.orderSync.lineStates(placed.id), (lines) => lines.length === 2, 'both lines applied');
    const result = await graphql<{ mercadoLivreOrderExceptions: Array<{ orderId: string; sku: string; code: string }> }>(ponte.gatewayUrl, query);
    expect(result.errors).toBeUndefined();
    expect(result.data!.mercadoLivreOrderExceptions.find((exception) => exception.orderId === placed.id)).toMatchObject({ sku: ML_ONLY_SKU, quantity: 1, code: 'UNKNOWN_SKU', resolvedAt: null });
    // The order's other line is reserved all the same.
    await eventually(() => reservationsFor(placed.id), (found) => found.length === 1, 'the known line reserved');
    expect((await reservationsFor(placed.id))[0]!.lines).toEqual([{ sku: 'VEL-AROMA', quantity: 1 }]);
  });
});

describe('when Mercado Livre is down', () => {
  it('answers the rest of the query and marks the listing PLATFORM_UNAVAILABLE, then recovers', async () => {
    await control.injectFault({ mode: 'error', status: 503, pathPrefix: '/items' });
    const query = 'query($skus: [ID!]) { products(skus: $skus) { nodes { sku title totalAvailable mercadoLivreListing { itemId availableQuantity } } } }';
    const skus = ['GAR-TERMICA-AZUL', 'BON-ABA-PRETO'];
    try {
      const degraded = await graphql<{ products: { nodes: Array<{ sku: string; title: string; totalAvailable: number; mercadoLivreListing: unknown }> } }>(ponte.gatewayUrl, query, { skus });
      expect(degraded.data!.products.nodes).toHaveLength(2);
      for (const node of degraded.data!.products.nodes) {
        expect(node).toEqual({ sku: expect.any(String), title: expect.stringMatching(/Garrafa|Boné/), totalAvailable: expect.any(Number), mercadoLivreListing: null });
      }
      expect(degraded.errors?.length).toBeGreaterThan(0);
      expect(degraded.errors!.every((error) => error.extensions?.['code'] === 'PLATFORM_UNAVAILABLE')).toBe(true);
    } finally {
      await control.clearFaults();
    }
    const recovered = await graphql<{ products: { nodes: Array<{ mercadoLivreListing: { itemId: string } | null }> } }>(ponte.gatewayUrl, query, { skus });
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data!.products.nodes.every((node) => node.mercadoLivreListing?.itemId.startsWith('MLB'))).toBe(true);
  });

  it('keeps the notification and retries until Mercado Livre answers again', async () => {
    const sku = 'TOA-BANHO';
    await control.injectFault({ mode: 'error', status: 503, pathPrefix: '/orders' });
    let orderId: string;
    try {
      orderId = (await control.placeOrder([{ sku, quantity: 1 }])).id;
      await eventually(
        () => ml.db.query<{ attempts: number; lastError: string | null }>(`SELECT attempts, last_error AS "lastError" FROM inbox_messages WHERE payload->>'resource' = $1`, [`/orders/${orderId}`]),
        (rows) => (rows[0]?.attempts ?? 0) >= 1 && rows[0]?.lastError !== null,
        'a failed attempt',
      );
      expect(await reservationsFor(orderId)).toEqual([]);
    } finally {
      await control.clearFaults();
    }
    await eventually(() => reservationsFor(orderId), (found) => found[0]?.status === 'OPEN', 'the reservation after recovery');
  });

  it('applies a notification that failed during an outage as soon as Mercado Livre answers again, not after its backoff', async () => {
    const sku = 'TOA-BANHO';
    await control.injectFault({ mode: 'error', status: 503 });
    let orderId: string;
    try {
      orderId = (await control.placeOrder([{ sku, quantity: 1 }])).id;
      const resource = `/orders/${orderId}`;
      await eventually(
        () => ml.db.query<{ waits: boolean }>(`SELECT waits_on_platform AS waits FROM inbox_messages WHERE payload->>'resource' = $1`, [resource]),
        (rows) => rows[0]?.waits === true,
        'a failed attempt, waiting on Mercado Livre',
      );
      // A long outage: its backoff would have it wait minutes. (Set while it is not being tried.)
      await eventually(
        () => ml.db.query(`UPDATE inbox_messages SET next_attempt_at = now() + interval '5 minutes' WHERE payload->>'resource' = $1 AND waits_on_platform RETURNING id`, [resource]),
        (rows) => rows.length === 1,
        'the long backoff',
      );
    } finally {
      await control.clearFaults();
    }
    // Nothing else calls Mercado Livre here: the outage probe (every 2 s) notices it answers again.
    const recovered = Date.now();
    await eventually(() => reservationsFor(orderId), (found) => found[0]?.status === 'OPEN', 'the reservation after recovery', 10_000);
    expect(Date.now() - recovered).toBeLessThan(10_000);
  });

  it('recovers notifications Mercado Livre gave up on while our callback was unreachable', async () => {
    const sku = 'PRA-CERAMICA';
    // Nothing listens on port 9 (discard): every delivery attempt fails until Mercado Livre gives up.
    sandbox.notificationCallbackUrl = 'http://127.0.0.1:9/notifications/mercadolivre';
    let orderId: string;
    try {
      orderId = (await control.placeOrder([{ sku, quantity: 1 }])).id;
      await eventually(
        () => ml.client.missedNotifications(String(sandbox.application.applicationId), 'orders_v2'),
        (missed) => missed.some((notification) => notification.resource === `/orders/${orderId}`),
        'the notification in /missed_feeds',
      );
      expect(await reservationsFor(orderId)).toEqual([]);
    } finally {
      sandbox.notificationCallbackUrl = notificationUrl;
    }
    // Mercado Livre switched the topic off: the operator sees it on the status query.
    const disabled = await graphql<{ mercadoLivreNotifications: { callbackUrl: string; topics: Array<{ topic: string; active: boolean; disabledSince: string | null; missedNotifications: number; lastMissedAt: string | null }> } }>(
      ponte.gatewayUrl,
      '{ mercadoLivreNotifications { callbackUrl topics { topic active disabledSince missedNotifications lastMissedAt } } }',
    );
    expect(disabled.errors).toBeUndefined();
    const orders = disabled.data!.mercadoLivreNotifications.topics.find((entry) => entry.topic === 'orders_v2');
    expect(orders).toMatchObject({ active: false, disabledSince: expect.any(String), missedNotifications: expect.any(Number), lastMissedAt: expect.any(String) });
    expect(orders!.missedNotifications).toBeGreaterThanOrEqual(1);
    // The operator subscribes the application again.
    await control.subscribe('orders_v2', notificationUrl);
    const enabled = await graphql<{ mercadoLivreNotifications: { topics: Array<{ topic: string; active: boolean; disabledSince: string | null }> } }>(ponte.gatewayUrl, '{ mercadoLivreNotifications { topics { topic active disabledSince } } }');
    expect(enabled.data!.mercadoLivreNotifications.topics.find((entry) => entry.topic === 'orders_v2')).toEqual({ topic: 'orders_v2', active: true, disabledSince: null });
    expect(await ml.recoverMissedNotifications()).toBeGreaterThanOrEqual(1);
    await eventually(() => reservationsFor(orderId), (found) => found[0]?.status === 'OPEN', 'the reservation from the recovered notification');
    // Reading them again changes nothing: they are in the inbox already.
    expect(await ml.recoverMissedNotifications()).toBe(0);
  });
});

describe('listings', () => {
  const twentySkus = [
    'CAM-BASICA-P', 'CAM-BASICA-M', 'CAM-BASICA-G', 'CAM-BASICA-GG', 'CAM-LINHO-P', 'CAM-LINHO-M', 'CAM-LINHO-G',
    'TEN-CORRIDA-38', 'TEN-CORRIDA-39', 'TEN-CORRIDA-40', 'TEN-CORRIDA-41', 'TEN-CORRIDA-42', 'TEN-CORRIDA-43',
    'CHI-PRAIA-3536', 'CHI-PRAIA-3738', 'CHI-PRAIA-3940', 'CHI-PRAIA-4142', 'MOC-URBANA-PRETO', 'MOC-URBANA-VERDE', 'MOC-URBANA-AREIA',
  ];

  it('reads 20 products\' listings through the gateway with one platform call', async () => {
    await ml.skuIndex.rebuild();
    await control.clearCalls();
    const result = await graphql<{ products: { nodes: Array<{ sku: string; mercadoLivreListing: Record<string, any> }> } }>(
      ponte.gatewayUrl,
      `query($skus: [ID!]) { products(skus: $skus, first: 20) { nodes { sku title mercadoLivreListing {
        itemId variationId title price { amountInCents currency } status platformStatus availableQuantity soldQuantity url variationAttributes { name value } } } } }`,
      { skus: twentySkus },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.products.nodes).toHaveLength(20);
    const calls = await control.calls();
    expect(calls.calls.map((call) => call.path)).toEqual(['/items']);
    const platformStock = new Map((await control.stock()).map((entry) => [entry.sku, entry.quantity]));
    for (const node of result.data!.products.nodes) {
      expect(node.mercadoLivreListing).toMatchObject({ itemId: expect.stringMatching(/^MLB\d+$/), variationId: expect.any(String), status: 'ACTIVE', availableQuantity: platformStock.get(node.sku) });
    }
    expect(result.data!.products.nodes.find((node) => node.sku === 'CAM-BASICA-M')!.mercadoLivreListing).toMatchObject({
      price: { amountInCents: 5990, currency: 'BRL' },
      variationAttributes: [{ name: 'Tamanho', value: 'M' }],
      url: expect.stringContaining('produto.mercadolivre.com.br'),
    });
  });

  it('resolves Product entities in-process, null for a SKU not listed on Mercado Livre', async () => {
    const response = await ml.server.apollo.executeOperation(
      {
        query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { sku mercadoLivreListing { itemId variationId availableQuantity } } } }',
        variables: { representations: [{ __typename: 'Product', sku: 'CAF-GRAOS-1KG' }, { __typename: 'Product', sku: 'NAO-EXISTE' }] },
      },
      { contextValue: ml.context() },
    );
    const body = response.body as { kind: 'single'; singleResult: { data?: { _entities: Array<Record<string, any>> }; errors?: unknown } };
    expect(body.singleResult.errors).toBeUndefined();
    expect(body.singleResult.data!._entities).toEqual([
      { sku: 'CAF-GRAOS-1KG', mercadoLivreListing: { itemId: expect.stringMatching(/^MLB/), variationId: null, availableQuantity: 57 } },
      { sku: 'NAO-EXISTE', mercadoLivreListing: null },
    ]);
  });
});

describe('OAuth', () => {
  it('refreshes an expired token, persists the new pair, and a restart uses it (refresh tokens are single-use)', async () => {
    let clock = Date.now();
    const own = createMercadoLivreSandbox({ now: () => clock });
    const baseUrl = await own.listen();
    const database = await createTestDatabase('mercadolivre_oauth');
    try {
      await migrate(database.db, new URL('../platform-common/migrations', import.meta.url).pathname);
      const start = () => {
        const tokens = new MercadoLivreTokens({
          db: database.db,
          baseUrl,
          application: { applicationId: String(own.application.applicationId), clientSecret: own.application.clientSecret },
          initial: { accessToken: own.accessToken, refreshToken: own.refreshToken },
          fetch: createPlatformFetch({ maxAttempts: 1 }),
          log,
        });
        return { tokens, client: new MercadoLivreClient({ baseUrl, userId: String(own.userId), tokens, log }) };
      };
      const first = start();
      expect((await first.client.sellerItemIds()).length).toBeGreaterThan(0);
      clock += 7 * 3600_000; // the pre-issued token has expired on Mercado Livre's side
      expect((await first.client.sellerItemIds()).length).toBeGreaterThan(0);
      const [stored] = await database.db.query<{ value: { accessToken: string; refreshToken: string } }>('SELECT value FROM platform_state WHERE name = $1', [TOKEN_STATE_NAME]);
      expect(stored!.value.refreshToken).not.toBe(own.refreshToken);

      // After a restart the configured (spent) pair is ignored in favour of the stored one.
      clock += 7 * 3600_000;
      const second = start();
      expect((await second.client.sellerItemIds()).length).toBeGreaterThan(0);
    } finally {
      await database.drop();
      await own.close();
    }
  });
});

describe('rate limits', () => {
  it('retries calls Mercado Livre refuses with 429, and keeps its own pace under the application budget', async () => {
    // Mercado Livre's bucket holds 2 calls and refills fast, so refused calls succeed on retry.
    // While the eager client runs, the sandbox's clock moves 1 ms per reading rather than with the
    // wall: however slowly this machine spaces the five calls, the bucket cannot refill between
    // them, so the third is refused; retries move the clock on until they pass.
    let eagerPhase = true;
    let clock = Date.now();
    const own = createMercadoLivreSandbox({ rateLimit: { burst: 2, perHour: 360_000 }, now: () => (eagerPhase ? (clock += 1) : Date.now()) });
    const baseUrl = await own.listen();
    const database = await createTestDatabase('mercadolivre_limits');
    try {
      await migrate(database.db, new URL('../platform-common/migrations', import.meta.url).pathname);
      const clientWith = (rateLimit: { perHour: number; burst: number }) => {
        const tokens = new MercadoLivreTokens({
          db: database.db,
          baseUrl,
          application: { applicationId: String(own.application.applicationId), clientSecret: own.application.clientSecret },
          initial: { accessToken: own.accessToken, refreshToken: own.refreshToken },
          fetch: createPlatformFetch({ maxAttempts: 1 }),
          log,
        });
        return new MercadoLivreClient({ baseUrl, userId: String(own.userId), tokens, log, rateLimit });
      };
      const eager = clientWith({ perHour: 3_600_000, burst: 1000 });
      const searches = await Promise.all(Array.from({ length: 5 }, () => eager.sellerItemIds()));
      expect(searches.every((ids) => ids.length === searches[0]!.length)).toBe(true);
      const afterEager = own.callLog.summary();
      expect(afterEager.rateLimited).toBeGreaterThan(0);
      expect(afterEager.calls.filter((call) => call.status === 200)).toHaveLength(5);

      eagerPhase = false;
      own.callLog.clear();
      own.rateLimit.reset();
      // Our own bucket (2 at once, then 1 every 100 ms) stays within Mercado Livre's.
      const paced = clientWith({ perHour: 36_000, burst: 2 });
      await Promise.all(Array.from({ length: 4 }, () => paced.sellerItemIds()));
      expect(own.callLog.summary()).toMatchObject({ total: 4, rateLimited: 0 });
    } finally {
      await database.drop();
      await own.close();
    }
  });
});

describe('data dictionary', () => {
  it('maps order statuses and lines, and a notification retry to the same delivery id', () => {
    const order = { id: 7, status: 'paid', order_items: [{ item: { id: 'MLB1', variation_id: 9, seller_sku: null }, quantity: 2, unit_price: 10 }] };
    expect(channelOrderFrom(order, () => 'CAM-BASICA-M')).toEqual({ orderId: '7', status: 'OPEN', lines: [{ lineId: 'MLB1/9', sku: 'CAM-BASICA-M', quantity: 2, unitPriceCents: 1000, discountCents: 0 }], customer: null });
    // Times, currency and amounts as GET /orders/{id} gives them; a seller's discount is full_unit_price − unit_price.
    const full = { ...order, date_created: '2026-11-28T10:01:50.000-03:00', last_updated: '2026-11-28T10:04:07.000-03:00', currency_id: 'BRL', total_amount: 17.98,
      order_items: [{ ...order.order_items[0]!, unit_price: 8.99, full_unit_price: 9.99 }], buyer: { id: 123456789, nickname: 'COMPRADOR', first_name: 'Ana', last_name: 'Oliveira' } };
    expect(channelOrderFrom(full, () => 'CAM-BASICA-M')).toMatchObject({
      placedAt: '2026-11-28T10:01:50.000-03:00', updatedAt: '2026-11-28T10:04:07.000-03:00', currency: 'BRL',
      lines: [{ unitPriceCents: 999, discountCents: 200 }], totals: { subtotalCents: 1998, discountCents: 200, shippingCents: 0, totalCents: 1798 },
      customer: { platformCustomerId: '123456789', name: 'Ana Oliveira' },
    });
    expect(channelOrderFrom({ ...order, fulfilled: true }, () => undefined)).toMatchObject({ status: 'FULFILLED', lines: [{ sku: null }] });
    expect(channelOrderFrom({ ...order, status: 'cancelled' }, () => undefined)?.status).toBe('CANCELLED');
    expect(channelOrderFrom({ ...order, status: 'payment_in_process' }, () => undefined)).toBeNull();

    // The ship-to CEP is the shipment's, in the x-format-new JSON or the older one; 8 digits or none.
    expect(channelOrderFrom(order, () => 'CAM-BASICA-M', { id: 44, destination: { shipping_address: { zip_code: '30130005' } } })?.shipTo).toEqual({ postalCode: '30130005' });
    expect(shipToOf({ id: 44, receiver_address: { zip_code: '01310-100' } })).toEqual({ postalCode: '01310100' });
    // Masked until payment is confirmed, or a country without CEPs: no CEP rather than a wrong one.
    expect(shipToOf({ id: 44, destination: { shipping_address: { zip_code: 'XXXXXXX' } } })).toBeNull();
    expect(shipToOf({ id: 44, destination: { shipping_address: { zip_code: '8320000' } } })).toBeNull();
    expect(shipToOf(null)).toBeNull();

    const first = { _id: 'n1', resource: '/orders/7', topic: 'orders_v2', user_id: 1, application_id: 2, attempts: 1, sent: '2026-01-01T00:00:00.100Z', received: '2026-01-01T00:00:00.000Z' };
    expect(deliveryIdOf({ ...first, attempts: 2, sent: '2026-01-01T00:00:05.000Z' })).toBe(deliveryIdOf(first));
    expect(deliveryIdOf({ ...first, _id: 'n2', received: '2026-01-01T00:01:00.000Z' })).not.toBe(deliveryIdOf(first));
    const { _id: _ignored, ...withoutId } = first;
    expect(deliveryIdOf({ ...withoutId, attempts: 3 })).toBe(deliveryIdOf(withoutId));
  });

  it('maps a paused, out-of-stock variation', () => {
    const item = {
      id: 'MLB2', title: 'Tênis', price: 349.9, currency_id: 'BRL', available_quantity: 0, status: 'paused', sub_status: ['out_of_stock'], permalink: 'https://x',
      variations: [{ id: 5, price: 329.9, available_quantity: 0, attribute_combinations: [{ id: 'SIZE', name: 'Tamanho', value_name: '40' }], attributes: [{ id: 'SELLER_SKU', value_name: 'TEN-40' }] }],
    };
    expect(listingFromItem('TEN-40', item, { itemId: 'MLB2', variationId: 5 })).toMatchObject({ status: 'PAUSED', platformSubStatus: ['out_of_stock'], priceInCents: 32990, availableQuantity: 0, variationId: '5' });
    expect(listingFromItem('TEN-40', item, { itemId: 'MLB2', variationId: 6 })).toBeNull();
  });
});
