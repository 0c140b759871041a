import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createShopifySandbox, type ShopifySandbox } from '../../sandboxes/shopify/shopify-sandbox.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { eventuallyDefined as eventually } from '../../test/support/eventually.ts';
import { graphql, startPonte, type RunningPonte } from '../../test/support/ponte.ts';
import { createLogger } from '../../kit/logger.ts';
import { parseDataKeys, Sealer } from '../../kit/sealed.ts';
import { channelOrdersFromWebhook, type WebhookOrder } from './dictionary.ts';
import { createShopifySubgraph, shopifySdl, type ShopifySubgraph } from './index.ts';
import { REDACTED_EXCEPTION_MESSAGE, ShopifyPrivacy } from './privacy.ts';
import { fileURLToPath } from 'node:url';
import { migrate } from '../../kit/migrate.ts';
import { toStoredOrder } from './stored-order.ts';
import { WEBHOOK_PATH } from './webhooks.ts';
import { platformSubgraph } from '../../test/support/platform-subgraph.ts';

const log = createLogger('shopify-privacy-test');
const sealer = new Sealer(parseDataKeys('test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='));

/** An orders/create body as Shopify sends it: the buyer's data all over it. */
function fullOrder(id: number, lines: Array<{ id: number; sku: string; quantity: number }>): Record<string, unknown> {
  const address = { first_name: 'Maria', last_name: 'Silva', address1: 'Rua Augusta, 1500', city: 'São Paulo', province: 'SP', zip: '01304-001', country: 'Brazil', phone: '+55 11 98765-4321', company: null };
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    email: 'maria.silva@example.com.br',
    contact_email: 'maria.silva@example.com.br',
    phone: '+55 11 98765-4321',
    browser_ip: '177.12.34.56',
    client_details: { browser_ip: '177.12.34.56', user_agent: 'Mozilla/5.0' },
    note: 'CPF 123.456.789-09, entregar à tarde',
    note_attributes: [{ name: 'cpf', value: '123.456.789-09' }],
    customer: { id: 7001, email: 'maria.silva@example.com.br', first_name: 'Maria', last_name: 'Silva', phone: '+55 11 98765-4321', default_address: address },
    billing_address: address,
    shipping_address: address,
    created_at: '2026-11-30T10:00:00-03:00',
    updated_at: '2026-11-30T10:00:01-03:00',
    cancelled_at: null,
    financial_status: 'paid',
    fulfillment_status: null,
    total_price: '119.80',
    line_items: lines.map((line) => ({ ...line, title: 'Camiseta', price: '59.90', fulfillment_status: null, properties: [{ name: 'Gravação', value: 'Para Maria Silva' }] })),
  };
}

const PERSONAL = /maria|silva|augusta|98765|177\.12|123\.456|cpf|gravação/i;

describe('Shopify personal data: minimised, refused when malformed, erased on request', () => {
  let sandbox: ShopifySandbox;
  let control: SandboxControlClient;
  let ponte: RunningPonte;
  let shopify: ShopifySubgraph;
  let shopifyDb: TestDatabase;
  let webhookUrl: string;

  beforeAll(async () => {
    sandbox = createShopifySandbox({ webhookRetry: { initialDelayMs: 50, maxDelayMs: 500 } });
    const sandboxUrl = await sandbox.listen();
    control = new SandboxControlClient(sandboxUrl);
    ponte = await startPonte({
      extraSubgraphs: [
        platformSubgraph({
          name: 'shopify',
          sdl: shopifySdl(),
          database: 'shopify_privacy',
          create: ({ database, inventoryUrl, gatewaySecret }) =>
            createShopifySubgraph({
              database,
              log,
              gatewaySecret,
              inventoryUrl,
              sealer,
              shopify: { baseUrl: sandboxUrl, shopDomain: sandbox.shopDomain, accessToken: sandbox.accessToken, apiSecretKey: sandbox.apiSecretKey, baseDelayMs: 20, maxAttempts: 3 },
              inbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
              reconciliation: { intervalMs: 0 },
              stockSync: false,
            }),
          started: async ({ subgraph, database: testDatabase, url }) => {
            shopify = subgraph;
            shopifyDb = testDatabase;
            webhookUrl = `${new URL(url).origin}${WEBHOOK_PATH}`;
            await shopify.registerWebhooks(new URL(url).origin);
            await control.configureComplianceWebhooks(webhookUrl);
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await ponte?.close();
    await sandbox?.close();
  });

  function deliver(topic: string, body: unknown, options: { secret?: string; shop?: string } = {}): Promise<Response> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-hmac-sha256': createHmac('sha256', options.secret ?? sandbox.apiSecretKey).update(raw).digest('base64'),
        'x-shopify-shop-domain': options.shop ?? sandbox.shopDomain,
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': randomUUID(),
      },
      body: raw,
    });
  }

  const inboxRows = () => shopifyDb.db.query<{ payload: unknown; topic: string }>('SELECT payload, topic FROM inbox_messages ORDER BY id');
  const settled = async () => {
    await sandbox.webhooks.settled();
    await eventually(async () => (await shopify.inbox.pending()) === 0, 'the inbox to drain');
  };
  const dataRequests = async () => {
    const result = await graphql<{ shopifyCustomerDataRequests: any[] }>(
      ponte.gatewayUrl,
      `{ shopifyCustomerDataRequests { id shopifyRequestId customer { id email phone }
          orders { orderId lines { lineId sku quantity state } exceptions { code message } deliveries { topic payload } } } }`,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.shopifyCustomerDataRequests;
  };

  it('keeps only the allowlist: the order still maps the same, with nothing about the buyer', () => {
    const full = fullOrder(9001, [{ id: 1, sku: 'CAM-BASICA-M', quantity: 2 }]);
    const stored = toStoredOrder(full);
    expect(JSON.stringify(stored)).not.toMatch(PERSONAL);
    // Everything but the shopper's contact, which the inbox does not keep (its own, sealed path is docs/privacy.md's).
    expect(channelOrdersFromWebhook(stored)).toEqual(channelOrdersFromWebhook(full as WebhookOrder).map((order) => ({ ...order, customer: null })));
    expect(channelOrdersFromWebhook(full as WebhookOrder)[0]).toMatchObject({ placedAt: '2026-11-30T10:00:00-03:00', totals: { totalCents: 11980 }, shipTo: { postalCode: '01304-001' }, lines: [{ unitPriceCents: 5990 }] });
    expect(channelOrdersFromWebhook(full as WebhookOrder)[0]!.customer).toMatchObject({ platformCustomerId: '7001', email: 'maria.silva@example.com.br', name: 'Maria Silva' });
  });

  it('stores a real-shaped order webhook without its personal data, and still reserves it', async () => {
    const response = await deliver('orders/create', fullOrder(9101, [{ id: 91011, sku: 'CAM-BASICA-M', quantity: 1 }]));
    expect(response.status).toBe(200);
    await settled();
    const rows = await inboxRows();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(PERSONAL);
    expect(await shopify.orderSync.lineStates('gid://shopify/Order/9101')).toEqual([{ lineId: '91011', sku: 'CAM-BASICA-M', state: 'RESERVED', reservationId: expect.any(String) }]);
  });

  it('minimises what an older version stored in full', async () => {
    await shopifyDb.db.query(`INSERT INTO inbox_messages (delivery_id, topic, payload, processed_at) VALUES ('legacy-1', 'orders/create', $1::jsonb, now())`, [JSON.stringify(fullOrder(9102, [{ id: 91021, sku: 'CAM-BASICA-M', quantity: 1 }]))]);
    expect(await shopify.inbox.minimiseStored()).toBe(1);
    expect(JSON.stringify(await inboxRows())).not.toMatch(PERSONAL);
  });

  it.each([
    ['null', 'null'],
    ['an array', '[{"id":1}]'],
    ['a number', '42'],
    ['a string', '"order"'],
    ['an object without lines', '{"id":5}'],
    ['lines without quantities', '{"id":5,"line_items":[{"id":1,"sku":"A"}]}'],
  ])('answers a signed order webhook whose body is %s with 400 BAD_REQUEST and stores nothing', async (_name, body) => {
    const before = (await inboxRows()).length;
    const response = await deliver('orders/create', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    expect((await inboxRows()).length).toBe(before);
    expect(await shopify.inbox.pending()).toBe(0);
  });

  it('honours customers/data_request, customers/redact and shop/redact sent by the sandbox', async () => {
    // An order that reserves and one whose SKU is unknown (an exception), both from customer 7001.
    expect((await deliver('orders/create', fullOrder(9201, [{ id: 92011, sku: 'CAM-BASICA-M', quantity: 1 }]))).status).toBe(200);
    expect((await deliver('orders/create', fullOrder(9202, [{ id: 92021, sku: 'NO-SUCH-SKU', quantity: 1 }]))).status).toBe(200);
    await settled();
    // A signed request must carry a customer: refused, not recorded.
    expect((await deliver('customers/data_request', { shop_domain: sandbox.shopDomain })).status).toBe(400);

    // customers/data_request: recorded, the contact sealed at rest, what Ponte holds readable by an operator.
    await control.sendComplianceWebhook({ topic: 'customers/data_request', customer: { id: 7001, email: 'maria.silva@example.com.br', phone: '+55 11 98765-4321' }, orders: [9201, 'gid://shopify/Order/9202'] });
    await sandbox.webhooks.settled();
    const [request] = await eventually(async () => {
      const found = await dataRequests();
      return found.length === 1 && found;
    }, 'the data request');
    expect(request).toMatchObject({ shopifyRequestId: '1', customer: { id: '7001', email: 'maria.silva@example.com.br', phone: '+55 11 98765-4321' } });
    expect(request.orders.map((order: { orderId: string }) => order.orderId)).toEqual(['gid://shopify/Order/9201', 'gid://shopify/Order/9202']);
    expect(request.orders[0].lines).toEqual([{ lineId: '92011', sku: 'CAM-BASICA-M', quantity: 1, state: 'RESERVED' }]);
    expect(request.orders[1].exceptions).toEqual([{ code: 'UNKNOWN_SKU', message: expect.stringContaining('NO-SUCH-SKU') }]);
    expect(request.orders[0].deliveries).toEqual([{ topic: 'orders/create', payload: expect.stringContaining('"sku": "CAM-BASICA-M"') }]);
    const [sealedRow] = await shopifyDb.db.query<{ customer_sealed: string }>('SELECT customer_sealed FROM privacy_requests');
    expect(sealedRow!.customer_sealed).toMatch(/^test1:/);
    expect(sealedRow!.customer_sealed).not.toMatch(PERSONAL);

    // A forged redaction, or one about another shop, erases nothing.
    const redact = { shop_id: 1, shop_domain: sandbox.shopDomain, customer: { id: 7001 }, orders_to_redact: [9201, 9202] };
    expect((await deliver('customers/redact', redact, { secret: 'not-the-app-secret' })).status).toBe(401);
    expect(await (await deliver('customers/redact', { ...redact, shop_domain: 'another.myshopify.com' })).json()).toMatchObject({ ignored: 'another shop' });
    expect((await dataRequests())[0].customer).not.toBeNull();

    // The shopper's sealed contact beside an order's message (kept until the order is applied:
    // here as if one were still waiting) goes with the customer's redaction, another's stays.
    await shopifyDb.db.query(`UPDATE inbox_messages SET contact_sealed = 'test1:sealed-contact' WHERE payload->>'id' IN ('9201', '9101')`);

    // customers/redact: payloads of those orders, exception details and the sealed contact are erased.
    await control.sendComplianceWebhook({ topic: 'customers/redact', customer: { id: 7001, email: 'maria.silva@example.com.br' }, orders: [9201, 9202] });
    await sandbox.webhooks.settled();
    const [afterRedact] = await eventually(async () => {
      const found = await dataRequests();
      return found[0]?.customer === null && found;
    }, 'the redaction');
    // Nothing of those deliveries is left to show: the rows keep only their delivery ids and times.
    expect(afterRedact.orders.flatMap((order: { deliveries: unknown[] }) => order.deliveries)).toEqual([]);
    expect(await shopifyDb.db.query(`SELECT 1 FROM inbox_messages WHERE payload->>'id' IN ('9201', '9202')`)).toHaveLength(0);
    expect(afterRedact.orders[1].exceptions).toEqual([{ code: 'UNKNOWN_SKU', message: REDACTED_EXCEPTION_MESSAGE }]);
    // The stock bookkeeping stays: the reservation is still held for the order.
    expect(afterRedact.orders[0].lines).toEqual([{ lineId: '92011', sku: 'CAM-BASICA-M', quantity: 1, state: 'RESERVED' }]);
    // Other customers' orders are untouched.
    const untouched = await shopifyDb.db.query(`SELECT 1 FROM inbox_messages WHERE payload->>'id' = '9101' AND payload IS NOT NULL`);
    expect(untouched).toHaveLength(1);
    expect(await shopifyDb.db.query(`SELECT payload->>'id' AS id FROM inbox_messages WHERE contact_sealed IS NOT NULL`)).toEqual([{ id: '9101' }]);

    // shop/redact: every payload and exception of the shop goes.
    await control.sendComplianceWebhook({ topic: 'shop/redact' });
    await sandbox.webhooks.settled();
    await eventually(async () => (await shopifyDb.db.query('SELECT 1 FROM inbox_messages WHERE payload IS NOT NULL')).length === 0, 'the shop redaction');
    expect(await shopifyDb.db.query('SELECT 1 FROM inbox_messages WHERE contact_sealed IS NOT NULL')).toHaveLength(0);
    expect(await shopifyDb.db.query('SELECT 1 FROM order_exceptions')).toHaveLength(0);
    const recorded = await shopifyDb.db.query<{ kind: string; completed: boolean; sealed: string | null }>('SELECT kind, completed_at IS NOT NULL AS completed, customer_sealed AS sealed FROM privacy_requests ORDER BY id');
    expect(recorded).toEqual([
      { kind: 'CUSTOMER_DATA_REQUEST', completed: false, sealed: null },
      { kind: 'CUSTOMER_REDACT', completed: true, sealed: null },
      { kind: 'SHOP_REDACT', completed: true, sealed: null },
    ]);
  });

  it('an operator closes an answered data request through the gateway, and the contact is erased', async () => {
    await control.sendComplianceWebhook({ topic: 'customers/data_request', customer: { id: 8002, email: 'joao@example.com' }, orders: [9101] });
    await sandbox.webhooks.settled();
    const open = await eventually(async () => (await dataRequests()).find((request) => request.customer?.id === '8002'), 'the data request');
    const closing = `mutation($id: ID!) { closeShopifyCustomerDataRequest(id: $id) { id completedAt customer { email } orders { orderId lines { sku state } } } }`;
    const closed = await graphql<{ closeShopifyCustomerDataRequest: any }>(ponte.gatewayUrl, closing, { id: open.id });
    expect(closed.errors).toBeUndefined();
    expect(closed.data!.closeShopifyCustomerDataRequest).toEqual({ id: open.id, completedAt: expect.any(String), customer: null, orders: [{ orderId: 'gid://shopify/Order/9101', lines: [{ sku: 'CAM-BASICA-M', state: 'RESERVED' }] }] });
    const unknown = await graphql(ponte.gatewayUrl, closing, { id: '999999' });
    expect(unknown.errors?.[0]?.extensions?.['code']).toBe('UNKNOWN_PRIVACY_REQUEST');
  });
});

describe('rotating the data key', () => {
  it('re-seals stored contacts under the new first key, after which the old key can be retired', async () => {
    const database = await createTestDatabase('shopify_rotation');
    try {
      await migrate(database.db, fileURLToPath(new URL('../platform-common/migrations', import.meta.url)));
      const oldKey = 'old:' + Buffer.alloc(32, 1).toString('base64');
      const newKey = 'new:' + Buffer.alloc(32, 2).toString('base64');
      const privacy = (keys: string) => new ShopifyPrivacy({ db: database.db, log, sealer: new Sealer(parseDataKeys(keys)), shopDomain: 'shop.myshopify.com' });
      const request = { shop_id: 1, shop_domain: 'shop.myshopify.com', orders_requested: [1], customer: { id: 5, email: 'rui@example.com', phone: null }, data_request: { id: 3 } };
      expect(await privacy(oldKey).apply('r-1', 'customers/data_request', request)).toMatchObject({ status: 'applied' });

      // Step 1: the new key goes first, the old one stays to open what it sealed.
      const rotating = privacy(`${newKey},${oldKey}`);
      expect(await rotating.resealContacts()).toBe(1);
      expect(await rotating.resealContacts()).toBe(0);
      // Step 2: the old key is retired; everything still opens.
      expect((await privacy(newKey).customerDataRequests(10))[0]!.customer).toEqual({ id: '5', email: 'rui@example.com', phone: null });
      // A value altered in the database is refused, not read.
      await database.db.query(`UPDATE privacy_requests SET customer_sealed = overlay(customer_sealed placing CASE WHEN substr(customer_sealed, 10, 1) = 'A' THEN 'B' ELSE 'A' END from 10 for 1)`);
      await expect(privacy(newKey).customerDataRequests(10)).rejects.toThrow(/authentication/);
    } finally {
      await database.drop();
    }
  });
});
