import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { Inbox } from '../platform-common/inbox.ts';
import { createWebhookRoute, minimiseWooMessage, ORDER_MESSAGE_TOPIC } from './webhooks.ts';

const log = createLogger('woocommerce-personal-data-test');
const SECRET = 'woo-webhook-secret-for-tests-0123456789';
const PERSONAL = /ana|souza|paulista|99887|200\.1|987\.654|cpf/i;

/** An order.created body as WooCommerce sends it (REST v3 order), the buyer's data included. */
const fullOrder = {
  id: 733,
  status: 'processing',
  date_modified_gmt: '2026-11-30T13:00:00',
  billing: { first_name: 'Ana', last_name: 'Souza', address_1: 'Av. Paulista, 1000', city: 'São Paulo', postcode: '01310-100', email: 'ana.souza@example.com', phone: '(11) 99887-7665' },
  shipping: { first_name: 'Ana', last_name: 'Souza', address_1: 'Av. Paulista, 1000', city: 'São Paulo', postcode: '01310-100' },
  customer_id: 12,
  customer_ip_address: '200.1.2.3',
  customer_user_agent: 'Mozilla/5.0',
  customer_note: 'CPF 987.654.321-00',
  meta_data: [{ id: 1, key: '_billing_cpf', value: '987.654.321-00' }],
  line_items: [{ id: 1, name: 'Camiseta', product_id: 10, variation_id: 0, quantity: 2, sku: 'CAM-BASICA-M', price: 59.9, meta_data: [] }],
};

describe('WooCommerce receiver: personal data and malformed bodies', () => {
  let database: TestDatabase;
  let inbox: Inbox;
  beforeAll(async () => {
    database = await createTestDatabase('woo_personal');
    await migrate(database.db, fileURLToPath(new URL('../platform-common/migrations', import.meta.url)));
    // Only receipt is under test: the worker is not started.
    inbox = new Inbox({ db: database.db, log, minimise: minimiseWooMessage, handle: async () => {} });
  });
  afterAll(() => database.drop());

  const route = () => createWebhookRoute({ secret: SECRET, inbox, log });
  const deliver = (body: string) =>
    route().handle({
      headers: { get: (name: string) => ({ 'x-wc-webhook-signature': createHmac('sha256', SECRET).update(body).digest('base64'), 'x-wc-webhook-topic': 'order.created' })[name] },
      rawBody: Buffer.from(body),
      url: new URL('http://ponte/webhooks/woocommerce'),
    });
  const stored = () => database.db.query<{ payload: unknown }>('SELECT payload FROM inbox_messages');

  it('stores an order without the buyer: ids, status and lines only', async () => {
    expect((await deliver(JSON.stringify(fullOrder))).status).toBe(200);
    const rows = await stored();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toMatch(PERSONAL);
    expect(rows[0]!.payload).toMatchObject({ id: 733, status: 'processing', line_items: [{ id: 1, sku: 'CAM-BASICA-M', quantity: 2 }] });
  });

  it.each(['null', '[]', '[{"id":1}]', '42', '"order"', '{"id":1,"status":"processing","line_items":[null]}'])('answers a signed body %s with 400 and stores nothing', async (body) => {
    const before = (await stored()).length;
    const answer = await deliver(body);
    expect(answer.status).toBe(400);
    expect((answer.body as { error: { code: string } }).error.code).toBe('NOT_AN_ORDER');
    expect((await stored()).length).toBe(before);
  });

  it('keeps nothing of a stored message that is not an order', () => {
    expect(minimiseWooMessage(ORDER_MESSAGE_TOPIC, null)).toBeNull();
    expect(JSON.stringify(minimiseWooMessage(ORDER_MESSAGE_TOPIC, fullOrder))).not.toMatch(PERSONAL);
  });
});
