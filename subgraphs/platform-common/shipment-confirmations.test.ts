import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { AlertRuleName, DEFAULT_ALERT_THRESHOLDS, standardAlertRules } from './alerts.ts';
import { ShipmentConfirmations, shipmentCaller, type ClaimedShipment, type ConfirmOutcome, type ShipmentConfirmer, type ShipmentToConfirm } from './shipment-confirmations.ts';

/** The queue half of shipment confirmation, against a real database and a scripted platform. */
let testDb: TestDatabase;
const log = createLogger('test');

/** A platform that keeps one shipment per idempotency key, as the real ones do in their own ways. */
class ScriptedPlatform implements ShipmentConfirmer {
  readonly calls: ClaimedShipment[] = [];
  readonly shipments = new Map<string, ClaimedShipment>();
  answer: (shipment: ClaimedShipment) => ConfirmOutcome = () => ({ outcome: 'CONFIRMED' });

  async confirm(shipment: ClaimedShipment): Promise<ConfirmOutcome> {
    this.calls.push(shipment);
    const result = this.answer(shipment);
    if (result.outcome === 'CONFIRMED') {
      this.shipments.set(shipment.idempotencyKey, shipment);
      return { outcome: 'CONFIRMED', reference: `ref-${shipment.idempotencyKey}` };
    }
    return result;
  }
}

const shipment = (overrides: Partial<ShipmentToConfirm> = {}): ShipmentToConfirm => ({
  orderId: 'order-1',
  fulfilmentId: 'ful-1',
  carrier: 'Correios',
  trackingCode: 'QB123456789BR',
  trackingUrl: 'https://rastreamento.correios.com.br/app/index.php?objeto=QB123456789BR',
  shippedAt: '2026-12-01T15:00:00Z',
  lines: [{ lineId: 'line-1', sku: 'CAM-BASICA-M', quantity: 2 }],
  ...overrides,
});

let platform: ScriptedPlatform;
let queue: ShipmentConfirmations;

beforeAll(async () => {
  testDb = await createTestDatabase('shipments');
  await migrate(testDb.db, new URL('./migrations', import.meta.url).pathname);
});
afterAll(async () => {
  await testDb?.drop();
});
beforeEach(async () => {
  await testDb.db.query('DELETE FROM shipment_confirmations');
  platform = new ScriptedPlatform();
  queue = new ShipmentConfirmations({ db: testDb.db, log, platform: 'test', channel: 'web', confirmer: platform, maxAttempts: 3, baseBackoffMs: 1, maxBackoffMs: 1, pollIntervalMs: 60_000 });
});

async function settle(): Promise<void> {
  for (let round = 0; round < 30; round++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await queue.drain();
    if ((await queue.counts()).PENDING === 0) return;
  }
}

describe('shipment confirmation queue', () => {
  it('confirms a shipment once, however often the fulfilment is delivered', async () => {
    const first = await queue.enqueue(shipment());
    const again = await queue.enqueue(shipment());
    expect(first.queued).toBe(true);
    expect(again.queued).toBe(false);
    expect(again.confirmation.id).toBe(first.confirmation.id);
    await settle();
    await queue.enqueue(shipment());
    await settle();
    expect(platform.calls).toHaveLength(1);
    expect(platform.calls[0]).toMatchObject({ orderId: 'order-1', fulfilmentId: 'ful-1', lines: [{ lineId: 'line-1', sku: 'CAM-BASICA-M', quantity: 2 }], attempts: 0, shippedAt: '2026-12-01T15:00:00.000Z' });
    const [row] = await queue.list({ status: 'CONFIRMED' });
    expect(row).toMatchObject({ status: 'CONFIRMED', attempts: 1, lastError: null, platformReference: `ref-ponte-test-shipment-${first.confirmation.id}`, confirmedAt: expect.any(String) });
  });

  it('retries a platform failure with backoff, not before the platform’s Retry-After', async () => {
    let failures = 1;
    platform.answer = () => (failures-- > 0 ? { outcome: 'RETRY', error: 'HTTP 429', retryAfterMs: 300 } : { outcome: 'CONFIRMED' });
    const { confirmation } = await queue.enqueue(shipment());
    await queue.drain();
    const [waiting] = await testDb.db.query<{ status: string; attempts: number; lastError: string; waitMs: number }>(
      `SELECT status, attempts, last_error AS "lastError", (extract(epoch FROM next_attempt_at - now()) * 1000)::float8 AS "waitMs" FROM shipment_confirmations WHERE id = $1`,
      [confirmation.id],
    );
    expect(waiting).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'HTTP 429' });
    expect(waiting!.waitMs).toBeGreaterThan(200);
    await queue.drain();
    expect(platform.calls).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await settle();
    expect(platform.calls).toHaveLength(2);
    // The same key on the retry: the platform recognises a repeat of a call that did reach it.
    expect(platform.calls[1]!.idempotencyKey).toBe(platform.calls[0]!.idempotencyKey);
    expect(platform.calls[1]!.attempts).toBe(1);
    expect((await queue.get(confirmation.id))?.status).toBe('CONFIRMED');
  });

  it('keeps what keeps failing as a dead letter, and replays it', async () => {
    platform.answer = () => ({ outcome: 'RETRY', error: 'HTTP 503' });
    const { confirmation } = await queue.enqueue(shipment());
    await settle();
    expect(platform.calls).toHaveLength(3);
    expect(await queue.get(confirmation.id)).toMatchObject({ status: 'DEAD', attempts: 3, lastError: 'HTTP 503' });

    platform.answer = () => ({ outcome: 'CONFIRMED' });
    expect((await queue.replayDead([confirmation.id])).map((row) => row.id)).toEqual([confirmation.id]);
    await settle();
    expect(await queue.get(confirmation.id)).toMatchObject({ status: 'CONFIRMED' });
    // Nothing dead is left to replay.
    expect(await queue.replayDead()).toEqual([]);
  });

  it('dead shipments fire shipment-dead-letters until none is left; refusals never do', async () => {
    const rule = standardAlertRules({ db: testDb.db, platformLabel: 'Test', thresholds: DEFAULT_ALERT_THRESHOLDS }).find((candidate) => candidate.name === AlertRuleName.SHIPMENT_DEAD_LETTERS)!;
    platform.answer = (claimed) => (claimed.orderId === 'fba' ? { outcome: 'REFUSED', reason: 'FBA' } : { outcome: 'FAILED', error: 'no such order' });
    await queue.enqueue(shipment({ orderId: 'fba' }));
    await settle();
    expect(await rule.evaluate()).toEqual([]);
    const { confirmation } = await queue.enqueue(shipment({ orderId: 'unknown' }));
    await settle();
    expect(await rule.evaluate()).toEqual([{ severity: 'WARNING', summary: '1 shipment(s) could not be told to Test and wait as dead letters', details: { deadLetters: 1, threshold: 1, orders: ['unknown'], lastError: 'no such order' } }]);
    platform.answer = () => ({ outcome: 'CONFIRMED' });
    await queue.replayDead([confirmation.id]);
    await settle();
    expect(await rule.evaluate()).toEqual([]);
  });

  it('an unknown order is a dead letter at once; a platform that ships it itself is a recorded refusal, never retried', async () => {
    platform.answer = (claimed) => (claimed.orderId === 'unknown' ? { outcome: 'FAILED', error: 'no such order' } : { outcome: 'REFUSED', reason: 'fulfilled by Amazon (AFN)' });
    const unknown = await queue.enqueue(shipment({ orderId: 'unknown' }));
    const fba = await queue.enqueue(shipment({ orderId: 'fba' }));
    await settle();
    expect(platform.calls).toHaveLength(2);
    expect(await queue.get(unknown.confirmation.id)).toMatchObject({ status: 'DEAD', attempts: 1, lastError: 'no such order' });
    expect(await queue.get(fba.confirmation.id)).toMatchObject({ status: 'REFUSED', attempts: 1, lastError: 'fulfilled by Amazon (AFN)' });
    // A refusal is not a dead letter: a replay of all dead letters leaves it.
    await queue.replayDead();
    expect((await queue.get(fba.confirmation.id))?.status).toBe('REFUSED');
    expect(await queue.counts()).toMatchObject({ REFUSED: 1 });
  });

  it('a claim left by a crashed worker is taken again once its lease has passed, with the same key', async () => {
    // A worker claimed it and died before recording the outcome.
    const [confirmation] = await testDb.db.query<{ id: string }>(
      `INSERT INTO shipment_confirmations (order_id, fulfilment_id, carrier, tracking_code, shipped_at, lines, claimed_until)
       VALUES ('order-1', 'ful-1', 'Correios', 'QB1BR', now(), '[{"lineId":"line-1","quantity":1}]', now() + interval '1 hour') RETURNING id::text AS id`,
    );
    await queue.drain();
    expect(platform.calls).toHaveLength(0);
    await testDb.db.query(`UPDATE shipment_confirmations SET claimed_until = now() - interval '1 second' WHERE id = $1`, [confirmation!.id]);
    await settle();
    expect(platform.calls.map((call) => call.idempotencyKey)).toEqual([`ponte-test-shipment-${confirmation!.id}`]);
  });

  it('two workers on one database confirm each shipment once, one shipment of an order at a time', async () => {
    let inFlight = 0;
    let overlapping = false;
    platform.answer = () => ({ outcome: 'CONFIRMED' });
    const slow: ShipmentConfirmer = {
      confirm: async (claimed) => {
        inFlight++;
        if (inFlight > 1) overlapping = true;
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight--;
        return platform.confirm(claimed);
      },
    };
    const other = await testDb.reopen();
    const workers = [testDb.db, other].map((db) => new ShipmentConfirmations({ db, log, platform: 'test', channel: 'web', confirmer: slow, pollIntervalMs: 60_000 }));
    for (let index = 0; index < 6; index++) await workers[0]!.enqueue(shipment({ fulfilmentId: `ful-${index}`, lines: [{ lineId: `line-${index}`, quantity: 1 }] }));
    await Promise.all([workers[0]!.drain(), workers[1]!.drain()]);
    await settle();
    expect(platform.calls.map((call) => call.fulfilmentId).sort()).toEqual(['ful-0', 'ful-1', 'ful-2', 'ful-3', 'ful-4', 'ful-5']);
    expect(overlapping).toBe(false);
  });

  it('refuses malformed shipments and queues nothing', async () => {
    const refusals: Array<[Partial<ShipmentToConfirm>, string]> = [
      [{ orderId: '' }, 'orderId'],
      [{ trackingCode: 'a\u0000b' }, 'trackingCode'],
      [{ trackingUrl: 'javascript:alert(1)' }, 'trackingUrl'],
      [{ shippedAt: 'yesterday' }, 'shippedAt'],
      [{ lines: [] }, 'lines'],
      [{ lines: [{ lineId: 'a', quantity: 0 }] }, 'lines[0].quantity'],
      [{ lines: [{ lineId: 'a', quantity: 1 }, { lineId: 'a', quantity: 1 }] }, 'lines[1].lineId'],
    ];
    for (const [overrides, field] of refusals) {
      await expect(queue.enqueue(shipment(overrides))).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
    }
    expect(await queue.counts()).toEqual({ PENDING: 0, CONFIRMED: 0, REFUSED: 0, DEAD: 0 });
  });

  it('lets callers with orders:write on the channel confirm, and no one else', () => {
    const caller = (role: string, scopes: string[], channels?: string[]) => ({ id: `key:${role}`, name: role, role: role as never, scopes, ...(channels ? { channels } : {}) });
    expect(shipmentCaller(caller('service', ['orders:write'], ['web']), 'web').name).toBe('service');
    expect(shipmentCaller(caller('operator', ['orders:write', 'platform:write']), 'web').name).toBe('operator');
    expect(() => shipmentCaller(caller('internal', ['orders:read']), 'web')).toThrow(/orders:write/);
    expect(() => shipmentCaller(caller('service', ['orders:write'], ['shopify-br']), 'web')).toThrow(/channel web/);
    expect(() => shipmentCaller(undefined, 'web')).toThrow(/authenticated/);
  });
});
