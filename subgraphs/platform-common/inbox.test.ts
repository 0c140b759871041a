import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { parseDataKeys, Sealer } from '../../kit/sealed.ts';
import { PlatformReachability } from './alerts.ts';
import { wakeAfterOutages } from './outage.ts';
import { eventually } from '../../test/support/eventually.ts';
import { Inbox, retentionDaysFromEnv, UnprocessableMessage } from './inbox.ts';
import type { ShopperContact } from './order-sync.ts';

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
const log = createLogger('inbox-test');
const eventuallyTrue = (probe: () => Promise<boolean>, what: string) => eventually(probe, (done) => done, what, 10_000, 20);

describe('inbox: minimisation, retention, unprocessable messages', () => {
  let database: TestDatabase;
  const handled: unknown[] = [];
  const stored = async (deliveryId: string) =>
    (await database.db.query<{ payload: unknown; processed: boolean; rejected: boolean; lastError: string | null }>(
      'SELECT payload, processed_at IS NOT NULL AS processed, rejected_at IS NOT NULL AS rejected, last_error AS "lastError" FROM inbox_messages WHERE delivery_id = $1',
      [deliveryId],
    ))[0];

  beforeEach(async () => {
    database = await createTestDatabase('inbox');
    await migrate(database.db, MIGRATIONS);
    handled.length = 0;
  });
  afterEach(() => database.drop());

  const inbox = (options: Partial<ConstructorParameters<typeof Inbox>[0]> = {}) =>
    new Inbox({
      db: database.db,
      log,
      retentionDays: 7,
      async handle(_topic, payload) {
        if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new UnprocessableMessage('not an order object');
        handled.push(payload);
      },
      ...options,
    });

  it("keeps the shopper's contact sealed beside the projection until the message is applied, then none of it", async () => {
    const keyA = 'ka:' + Buffer.alloc(32, 3).toString('base64');
    const keyB = 'kb:' + Buffer.alloc(32, 4).toString('base64');
    const order = { id: 5, email: 'maria@example.com', customer: { id: 77, first_name: 'Maria' }, billing: { cpf: '529.982.247-25', phone: '11 98765-4321' } };
    type Order = typeof order;
    const contactOf = (_topic: string, payload: unknown): ShopperContact => {
      const raw = payload as Order;
      return { platformCustomerId: String(raw.customer.id), name: raw.customer.first_name, email: raw.email, cpf: raw.billing.cpf, phone: raw.billing.phone };
    };
    const contacts: Array<{ id: number; contact: ShopperContact | undefined }> = [];
    let failing = true;
    const worker = inbox({
      minimise: (_topic, payload) => ({ id: (payload as Order).id }),
      contact: { of: contactOf, sealer: new Sealer(parseDataKeys(keyA)) },
      async handle(_topic, payload, contact) {
        contacts.push({ id: (payload as Order).id, contact });
        if (failing) throw new Error('orders subgraph unavailable');
      },
    });
    await worker.receive('c-1', 'orders/create', order);
    await worker.receive('c-2', 'orders/create', { id: 6 });
    await worker.drain();
    const raw = JSON.stringify(await database.db.query('SELECT * FROM inbox_messages'));
    // Whole values, not fragments: three digits turn up by chance in a timestamp or a ciphertext.
    for (const plain of ['maria', 'Maria', '529.982.247-25', '52998224725', '98765-4321']) expect(raw, plain).not.toContain(plain);
    const [row] = await database.db.query<{ contact_sealed: string | null }>(`SELECT contact_sealed FROM inbox_messages WHERE delivery_id = 'c-1'`);
    expect(row!.contact_sealed).toMatch(/^ka:/);
    // A message whose dictionary finds no contact (or cannot read one) keeps none.
    expect((await database.db.query(`SELECT contact_sealed FROM inbox_messages WHERE delivery_id = 'c-2'`))[0]).toEqual({ contact_sealed: null });
    // The failed attempt had the contact; a retry has it again, from the sealed copy.
    expect(contacts.find((each) => each.id === 5)!.contact).toEqual(contactOf('', order));
    expect(contacts.find((each) => each.id === 6)!.contact).toBeUndefined();

    // Key rotation: a worker under a new first key re-seals what waits, and still opens it.
    failing = false;
    const rotated = inbox({ contact: { of: contactOf, sealer: new Sealer(parseDataKeys(`${keyB},${keyA}`)) }, async handle(_topic, payload, contact) { contacts.push({ id: (payload as Order).id, contact }); } });
    expect(await rotated.resealContacts()).toBe(1);
    expect((await database.db.query<{ sealed: string }>(`SELECT contact_sealed AS sealed FROM inbox_messages WHERE delivery_id = 'c-1'`))[0]!.sealed).toMatch(/^kb:/);
    await database.db.query(`UPDATE inbox_messages SET next_attempt_at = now()`);
    await rotated.drain();
    expect(contacts.filter((each) => each.id === 5).at(-1)!.contact).toEqual(contactOf('', order));
    expect(await database.db.query(`SELECT delivery_id FROM inbox_messages WHERE contact_sealed IS NOT NULL`)).toEqual([]);
    await worker.stop();
  });

  it('the retention purge drops a sealed contact with the payload', async () => {
    const worker = inbox();
    await worker.receive('p-1', 'orders/create', { id: 1 });
    await worker.drain();
    // A row from a worker that kept the contact after applying (before it dropped it at once).
    await database.db.query(`UPDATE inbox_messages SET contact_sealed = 'k:x', processed_at = now() - interval '8 days'`);
    expect(await worker.purgeProcessed()).toBe(1);
    expect(await database.db.query('SELECT payload, contact_sealed FROM inbox_messages')).toEqual([{ payload: null, contact_sealed: null }]);
  });

  it('stores only what the projection keeps, and minimises rows stored before the projection existed', async () => {
    const project = (_topic: string, payload: unknown) => ({ id: (payload as { id: number }).id });
    const before = inbox();
    await before.receive('old', 'orders/create', { id: 1, email: 'maria@example.com' });
    await before.stop();
    const minimising = inbox({ minimise: project });
    await minimising.receive('new', 'orders/create', { id: 2, email: 'joao@example.com' });
    await minimising.drain();
    expect((await stored('new'))!.payload).toEqual({ id: 2 });
    expect((await stored('old'))!.payload).toEqual({ id: 1, email: 'maria@example.com' });
    expect(await minimising.minimiseStored()).toBe(1);
    expect((await stored('old'))!.payload).toEqual({ id: 1 });
  });

  it('drops processed payloads after the retention; the delivery id stays, so a late duplicate is still ignored', async () => {
    const worker = inbox();
    expect(await worker.receive('d-1', 'orders/create', { id: 1 })).toBe(true);
    expect(await worker.receive('d-2', 'orders/create', { id: 2 })).toBe(true);
    await worker.drain();
    // d-1 was processed 8 days ago; d-2 a moment ago.
    await database.db.query(`UPDATE inbox_messages SET processed_at = now() - interval '8 days' WHERE delivery_id = 'd-1'`);
    expect(await worker.purgeProcessed()).toBe(1);
    expect((await stored('d-1'))!.payload).toBeNull();
    expect((await stored('d-2'))!.payload).toEqual({ id: 2 });
    expect(await worker.receive('d-1', 'orders/create', { id: 1 })).toBe(false);
    expect(await worker.has('d-1')).toBe(true);
    await worker.drain();
    expect(handled).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('keeps an unprocessed message whatever its age', async () => {
    const worker = inbox({ async handle() {
      throw new Error('inventory unreachable');
    } });
    await worker.receive('d-3', 'orders/create', { id: 3 });
    await worker.drain();
    await database.db.query(`UPDATE inbox_messages SET received_at = now() - interval '30 days'`);
    expect(await worker.purgeProcessed()).toBe(0);
    expect((await stored('d-3'))!.payload).toEqual({ id: 3 });
  });

  it('sets aside a message that can never be applied instead of retrying it forever', async () => {
    const worker = inbox({ maxBackoffMs: 1 });
    for (const [id, body] of [['null', null], ['array', []], ['number', 42]] as const) await worker.receive(id, 'orders/create', body);
    await worker.drain();
    for (const id of ['null', 'array', 'number']) expect(await stored(id)).toMatchObject({ processed: true, rejected: true, lastError: 'not an order object' });
    expect(await worker.pending()).toBe(0);
    expect((await worker.rejected()).map((message) => message.deliveryId).sort()).toEqual(['array', 'null', 'number']);
  });

  it('applies messages about different orders at once, and those about one order one after another in arrival order', async () => {
    const events: string[] = [];
    let otherOrderStarted!: () => void;
    const otherOrder = new Promise<void>((resolve) => (otherOrderStarted = resolve));
    const worker = inbox({
      orderingKey: (_topic, payload) => `order:${(payload as { order: number }).order}`,
      async handle(_topic, payload) {
        const { order, step } = payload as { order: number; step: string };
        events.push(`start ${order} ${step}`);
        if (order === 2) otherOrderStarted();
        // Order 1's first message waits for order 2's: one message at a time would never finish.
        if (order === 1 && step === 'create') await otherOrder;
        events.push(`end ${order} ${step}`);
      },
    });
    await worker.receive('o1-create', 'orders/create', { order: 1, step: 'create' });
    await worker.receive('o1-cancel', 'orders/cancelled', { order: 1, step: 'cancel' });
    await worker.receive('o2-create', 'orders/create', { order: 2, step: 'create' });
    await worker.drain();
    await worker.stop();
    expect(events.indexOf('start 2 create')).toBeLessThan(events.indexOf('end 1 create'));
    expect(events.indexOf('end 1 create')).toBeLessThan(events.indexOf('start 1 cancel'));
    expect(await worker.pending()).toBe(0);
  });

  it('keeps a later message about an order waiting while an earlier one is retried', async () => {
    const handled: string[] = [];
    let failFirst = true;
    const worker = inbox({
      maxBackoffMs: 1,
      orderingKey: () => 'order:7',
      async handle(_topic, payload) {
        const { step } = payload as { step: string };
        if (step === 'create' && failFirst) {
          failFirst = false;
          throw new Error('inventory unreachable');
        }
        handled.push(step);
      },
    });
    await worker.receive('o7-create', 'orders/create', { step: 'create' });
    await worker.receive('o7-cancel', 'orders/cancelled', { step: 'cancel' });
    while ((await worker.pending()) > 0) await worker.drain();
    await worker.stop();
    expect(handled).toEqual(['create', 'cancel']);
  });

  it("runs messages that failed for the platform's outage as soon as it answers again, not after their backoff; a message's own failure keeps its backoff", async () => {
    class PlatformDown extends Error {}
    let platformUp = false;
    const applied: string[] = [];
    const attemptsOf = new Map<string, number>();
    const worker = inbox({
      waitsOnPlatform: (error) => error instanceof PlatformDown,
      async handle(_topic, payload) {
        const { id } = payload as { id: string };
        attemptsOf.set(id, (attemptsOf.get(id) ?? 0) + 1);
        // 'flaky' fails for its own reason once the platform is back, once.
        if (!platformUp) throw new PlatformDown('HTTP 503 from the platform');
        if (id === 'own' || (id === 'flaky' && attemptsOf.get(id) === 2)) throw new Error(`order ${id} not found yet`);
        applied.push(id);
      },
    });
    // The platform is reachable again when one of its calls succeeds (the subgraph's wiring).
    const reachability = new PlatformReachability();
    reachability.onRecovery(() => void worker.platformRecovered());
    reachability.failed('HTTP 503');
    for (const id of ['outage', 'flaky']) await worker.receive(`d-${id}`, 'orders/create', { id });
    while (attemptsOf.size < 2) await worker.drain();
    // A long outage: by now their backoff has them wait minutes.
    await database.db.query(`UPDATE inbox_messages SET next_attempt_at = now() + interval '5 minutes'`);

    platformUp = true;
    await worker.receive('d-own', 'orders/create', { id: 'own' });
    await worker.drain();
    await database.db.query(`UPDATE inbox_messages SET next_attempt_at = now() + interval '5 minutes' WHERE delivery_id = 'd-own'`);
    const recoveredAt = Date.now();
    reachability.succeeded();
    while (attemptsOf.get('flaky') !== 2 || !applied.includes('outage')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await worker.drain();
      // Seconds, not the five minutes of their backoff (30 s: a loaded CI machine took 5.005 s).
      expect(Date.now() - recoveredAt).toBeLessThan(30_000);
    }
    expect(applied).toEqual(['outage']);
    // 'own' failed while the platform answered: it waits out its backoff.
    expect(attemptsOf.get('own')).toBe(1);
    expect((await stored('d-own'))!.processed).toBe(false);

    // 'flaky' failed for its own reason right after the recovery: another recovery does not wake
    // it again, its backoff holds.
    reachability.failed('HTTP 503');
    reachability.succeeded();
    expect(await worker.platformRecovered()).toBe(0);
    await worker.drain();
    expect(attemptsOf.get('flaky')).toBe(2);
    await worker.stop();
  });

  it("with no error class of its own, a message whose attempt met the platform failing waits for a probe to see it answer, then runs, not after its backoff", async () => {
    // Shopify's, WooCommerce's and Amazon's wiring: their calls are watched (failedSince), not their errors told apart.
    let platformUp = false;
    const reachability = new PlatformReachability();
    const platformFetch = reachability.wrap(async () => new Response('{}', { status: platformUp ? 200 : 503 }));
    const applied: string[] = [];
    const worker = inbox({
      maxBackoffMs: 600_000,
      waitsOnPlatform: (_error, startedAt) => reachability.failedSince(startedAt),
      async handle(_topic, payload) {
        const { id } = payload as { id: string };
        if (id === 'own') throw new Error('the inventory refused it');
        const response = await platformFetch(`https://platform.test/orders/${id}`);
        if (!response.ok) throw new Error(`HTTP ${response.status} from the platform`);
        applied.push(id);
      },
    });
    const stopProbe = wakeAfterOutages({ reachability, inbox: worker, stockSync: undefined, log, platformLabel: 'Test', probe: () => platformFetch('https://platform.test/'), probeIntervalMs: 20 });
    try {
      await worker.receive('d-outage', 'orders/create', { id: 'outage' });
      await worker.receive('d-own', 'orders/create', { id: 'own' });
      await worker.drain();
      const waiting = await database.db.query<{ deliveryId: string; waits: boolean }>('SELECT delivery_id AS "deliveryId", waits_on_platform AS waits FROM inbox_messages ORDER BY delivery_id');
      // 'own' failed without a platform call failing: its own failure, its own backoff.
      expect(waiting).toEqual([{ deliveryId: 'd-outage', waits: true }, { deliveryId: 'd-own', waits: false }]);

      platformUp = true;
      // Only the probe's success can make it due before its 10-minute backoff.
      await eventuallyTrue(async () => (await stored('d-outage'))!.processed, 'the message after the platform answers again');
      expect(applied).toEqual(['outage']);
      expect((await stored('d-own'))!.processed).toBe(false);
    } finally {
      stopProbe();
      await worker.stop();
    }
  });

  it('runs at once a message whose attempt failed while the platform was coming back (the wake passed it by)', async () => {
    class PlatformDown extends Error {}
    const tries: number[] = [];
    let worker: Inbox;
    worker = inbox({
      waitsOnPlatform: (error) => error instanceof PlatformDown,
      async handle() {
        tries.push(Date.now());
        if (tries.length === 1) {
          // Another call saw the platform answer while this one was still failing.
          await worker.platformRecovered();
          throw new PlatformDown('HTTP 503 from the platform');
        }
      },
    });
    await worker.receive('d-1', 'orders/create', { id: 1 });
    while (tries.length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await worker.drain();
      expect(Date.now() - tries[0]!).toBeLessThan(5000);
    }
    expect((await stored('d-1'))!.processed).toBe(true);
    await worker.stop();
  });

  it('two replicas share the inbox: each message applied once, each order in arrival order', async () => {
    const applied: Array<{ order: number; step: number }> = [];
    const replica = () =>
      inbox({
        orderingKey: (_topic, payload) => `order:${(payload as { order: number }).order}`,
        async handle(_topic, payload) {
          applied.push(payload as { order: number; step: number });
        },
      });
    const [first, second] = [replica(), replica()];
    for (let step = 0; step < 3; step++) for (let order = 0; order < 10; order++) await first.receive(`o${order}-s${step}`, 'orders/updated', { order, step });
    await Promise.all([first.drain(), second.drain()]);
    await Promise.all([first.drain(), second.drain()]);
    await Promise.all([first.stop(), second.stop()]);
    expect(applied).toHaveLength(30);
    for (let order = 0; order < 10; order++) expect(applied.filter((message) => message.order === order).map((message) => message.step)).toEqual([0, 1, 2]);
  });

  it('reads the retention from PONTE_INBOX_RETENTION_DAYS', () => {
    expect(retentionDaysFromEnv({})).toBe(7);
    expect(retentionDaysFromEnv({ PONTE_INBOX_RETENTION_DAYS: '30' })).toBe(30);
    expect(() => retentionDaysFromEnv({ PONTE_INBOX_RETENTION_DAYS: 'a week' })).toThrow(/PONTE_INBOX_RETENTION_DAYS/);
  });
});
