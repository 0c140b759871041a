import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { Inbox } from '../platform-common/inbox.ts';
import type { MercadoLivreListings } from './listings.ts';
import { minimiseMercadoLivreMessage, notificationRoute, ORDERS_TOPIC } from './notifications.ts';

const log = createLogger('mercadolivre-personal-data-test');
const APPLICATION_ID = '5512345678901234';
const USER_ID = '1234567890';

describe('Mercado Livre receiver: only the notification fields are kept; malformed bodies refused', () => {
  let database: TestDatabase;
  let inbox: Inbox;
  beforeAll(async () => {
    database = await createTestDatabase('ml_personal');
    await migrate(database.db, fileURLToPath(new URL('../platform-common/migrations', import.meta.url)));
    inbox = new Inbox({ db: database.db, log, minimise: minimiseMercadoLivreMessage, handle: async () => {} });
  });
  afterAll(() => database.drop());

  // Order notifications never touch the listings (only `items` ones do).
  const route = () => notificationRoute({ inbox, listings: undefined as unknown as MercadoLivreListings, applicationId: APPLICATION_ID, userId: USER_ID, log });
  const deliver = (body: string) => route().handle({ headers: { get: () => null }, rawBody: Buffer.from(body), url: new URL('http://ponte/notifications/mercadolivre') });
  const stored = () => database.db.query<{ payload: unknown }>('SELECT payload FROM inbox_messages');

  it('stores an order notification with its documented fields only', async () => {
    const notification = { _id: 'n-1', resource: '/orders/2000001', user_id: Number(USER_ID), topic: ORDERS_TOPIC, application_id: Number(APPLICATION_ID), attempts: 1, sent: '2026-11-30T13:00:00.000Z', received: '2026-11-30T13:00:00.000Z', buyer: { email: 'ana@example.com', nickname: 'ANASOUZA' } };
    expect((await deliver(JSON.stringify(notification))).status).toBe(200);
    const rows = await stored();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toMatch(/ana|buyer/i);
    expect(rows[0]!.payload).toMatchObject({ _id: 'n-1', resource: '/orders/2000001', topic: ORDERS_TOPIC });
  });

  it.each(['null', '[]', '[{"resource":"/orders/1","topic":"orders_v2"}]', '42', '"orders_v2"'])('answers a body %s with 400 and stores nothing', async (body) => {
    const before = (await stored()).length;
    const answer = await deliver(body);
    expect(answer.status).toBe(400);
    expect((await stored()).length).toBe(before);
  });

  it('keeps nothing of a stored message that is not a notification', () => {
    expect(minimiseMercadoLivreMessage(ORDERS_TOPIC, null)).toBeNull();
    expect(minimiseMercadoLivreMessage(ORDERS_TOPIC, [1])).toBeNull();
  });
});
