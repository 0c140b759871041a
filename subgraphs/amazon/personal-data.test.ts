import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { Inbox } from '../platform-common/inbox.ts';
import { InventoryClient } from '../platform-common/inventory-client.ts';
import { OrderSync } from '../platform-common/order-sync.ts';
import { AMAZON_ORDER_TOPIC, applyAmazonOrderMessage, minimiseAmazonMessage } from './orders.ts';

const log = createLogger('amazon-personal-data-test');
const PERSONAL = /carla|lima|rua das flores|buyer-email|98877|cpf/i;

/** getOrders + getOrderItems as a full SP-API answer would have them, buyer data included. */
const legacySnapshot = {
  order: {
    AmazonOrderId: '701-0000001-0000001',
    OrderStatus: 'Unshipped',
    FulfillmentChannel: 'MFN',
    LastUpdateDate: '2026-11-30T13:00:00Z',
    BuyerInfo: { BuyerEmail: 'buyer-email@marketplace.amazon.com.br', BuyerName: 'Carla Lima', BuyerTaxInfo: { TaxingRegion: 'SP', TaxClassifications: [{ Name: 'CPF', Value: '111.222.333-44' }] } },
    ShippingAddress: { Name: 'Carla Lima', AddressLine1: 'Rua das Flores, 10', City: 'Campinas', PostalCode: '13010-000', Phone: '+55 19 98877-6655' },
  },
  items: [{ OrderItemId: '1001', SellerSKU: 'CAM-BASICA-M', QuantityOrdered: 1, QuantityShipped: 0, BuyerInfo: { GiftMessageText: 'Para Carla Lima' } }],
};

describe('Amazon order snapshots: only the dictionary fields are kept; malformed ones set aside', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('amazon_personal');
    await migrate(database.db, fileURLToPath(new URL('../platform-common/migrations', import.meta.url)));
  });
  afterAll(() => database.drop());

  it('minimises a snapshot stored in full by an older version', async () => {
    // No inventory call is made for a message that cannot be applied.
    const orderSync = new OrderSync({ db: database.db, inventory: new InventoryClient({ url: 'http://127.0.0.1:9/graphql' }), platform: 'amazon', channel: 'amazon-br', log });
    const inbox = new Inbox({ db: database.db, log, minimise: minimiseAmazonMessage, handle: applyAmazonOrderMessage(orderSync), maxBackoffMs: 1 });
    await database.db.query(`INSERT INTO inbox_messages (delivery_id, topic, payload, processed_at) VALUES ('legacy', $1, $2::jsonb, now())`, [AMAZON_ORDER_TOPIC, JSON.stringify(legacySnapshot)]);
    expect(await inbox.minimiseStored()).toBe(1);
    const [row] = await database.db.query<{ payload: unknown }>(`SELECT payload FROM inbox_messages WHERE delivery_id = 'legacy'`);
    expect(JSON.stringify(row)).not.toMatch(PERSONAL);
    // Kept in the Orders v2026-01-01 shape the poller now stores, with the dictionary's fields only.
    expect(row!.payload).toEqual({
      order: { orderId: '701-0000001-0000001', lastUpdatedTime: '2026-11-30T13:00:00Z', fulfillment: { fulfillmentStatus: 'UNSHIPPED', fulfilledBy: 'MERCHANT' } },
      items: [{ orderItemId: '1001', quantityOrdered: 1, product: { sellerSku: 'CAM-BASICA-M' }, fulfillment: { quantityFulfilled: 0 } }],
    });

    // Snapshots that are not orders, and a topic nothing handles: set aside at once, never retried.
    for (const [id, topic, payload] of [['null', AMAZON_ORDER_TOPIC, null], ['array', AMAZON_ORDER_TOPIC, []], ['number', AMAZON_ORDER_TOPIC, 7], ['no-items', AMAZON_ORDER_TOPIC, { order: { AmazonOrderId: 'x' } }], ['topic', 'amazon.unknown', {}]] as const) {
      await inbox.receive(id, topic, payload);
    }
    await inbox.drain();
    expect(await inbox.pending()).toBe(0);
    expect((await inbox.rejected()).map((message) => message.deliveryId).sort()).toEqual(['array', 'no-items', 'null', 'number', 'topic']);
    await inbox.stop();
  });
});
