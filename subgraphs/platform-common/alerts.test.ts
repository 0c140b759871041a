/**
 * The alert engine on a real database: the inbox-stale rule over a real Inbox whose handler
 * fails while "the inventory is down", fire-once across replicas and restarts, and the outgoing
 * webhook (signature, retry after a 500, idempotency id) against a receiver on port 0.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { eventuallyDefined as eventually } from '../../test/support/eventually.ts';
import { createLogger } from '../../kit/logger.ts';
import { migrate } from '../../kit/migrate.ts';
import { SecretConfigurationError } from '../../kit/secrets.ts';
import { startAlertReceiver } from '../../test/support/alert-receiver.ts';
import { alertOptionsFromEnv, AlertRuleName, createAlertEngine, signAlertBody, verifyAlertSignature, type AlertEngine } from './alerts.ts';
import { Inbox } from './inbox.ts';

const log = createLogger('alerts-test');
const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
const SECRET = 'alerts-test-secret-0123456789abcdef0123456789';

describe('alert webhook signature', () => {
  it('verifies the body it signed, and refuses a changed body, another secret or an old timestamp', () => {
    const body = '{"id":"shopify:1:fired"}';
    const now = Math.floor(Date.now() / 1000);
    const header = signAlertBody(SECRET, body, now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyAlertSignature(SECRET, body, header)).toBe(true);
    expect(verifyAlertSignature(SECRET, body.replace('1', '2'), header)).toBe(false);
    expect(verifyAlertSignature('another-secret', body, header)).toBe(false);
    expect(verifyAlertSignature(SECRET, body, signAlertBody(SECRET, body, now - 301))).toBe(false);
    expect(verifyAlertSignature(SECRET, body, undefined)).toBe(false);
  });
});

describe('alertOptionsFromEnv', () => {
  it('documents its defaults and reads thresholds from the environment', () => {
    expect(alertOptionsFromEnv({})).toMatchObject({ intervalMs: 15_000, thresholds: { pushFailures: 5, deadLetters: 1, drift: 1, inboxMaxAgeS: 300, unreachableS: 120, topicCheckS: 60 }, webhook: undefined });
    expect(alertOptionsFromEnv({ PONTE_ALERT_PUSH_FAILURES: '3', PONTE_ALERT_INBOX_MAX_AGE_S: '60', PONTE_ALERT_INTERVAL_S: '5' })).toMatchObject({ intervalMs: 5000, thresholds: { pushFailures: 3, inboxMaxAgeS: 60 } });
    expect(alertOptionsFromEnv({ PONTE_ALERTS: 'off' })).toBe(false);
    expect(() => alertOptionsFromEnv({ PONTE_ALERT_DRIFT: 'many' })).toThrow(/PONTE_ALERT_DRIFT/);
  });

  it('requires a long webhook secret in production mode when the URL is set', () => {
    const production = { NODE_ENV: 'production', PONTE_ALERT_WEBHOOK_URL: 'https://ops.example.com/ponte' };
    expect(() => alertOptionsFromEnv(production)).toThrow(SecretConfigurationError);
    expect(() => alertOptionsFromEnv({ ...production, PONTE_ALERT_WEBHOOK_SECRET: 'short' })).toThrow(/at least 32/);
    expect(alertOptionsFromEnv({ ...production, PONTE_ALERT_WEBHOOK_SECRET: SECRET })).toMatchObject({ webhook: { url: production.PONTE_ALERT_WEBHOOK_URL, secret: SECRET } });
    // Development may send unsigned deliveries; production without a URL needs no secret.
    expect(alertOptionsFromEnv({ PONTE_ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/x' })).toMatchObject({ webhook: { secret: undefined } });
    expect(alertOptionsFromEnv({ NODE_ENV: 'production' })).toMatchObject({ webhook: undefined });
  });
});

describe('alert engine (inbox-stale over a real inbox)', () => {
  let database: TestDatabase;
  let inbox: Inbox;
  let engine: AlertEngine;
  let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;
  let inventoryDown = true;
  const applied: string[] = [];
  const engines: AlertEngine[] = [];

  const newEngine = (db = database.db) => {
    const made = createAlertEngine({
      db,
      log,
      platform: 'shopify',
      platformLabel: 'Shopify',
      alerts: { intervalMs: 0, thresholds: { inboxMaxAgeS: 0.5 }, webhook: { url: receiver.url, secret: SECRET, baseDelayMs: 20, maxDelayMs: 100, pollIntervalMs: 50 } },
    });
    made.start();
    engines.push(made);
    return made;
  };
  const openIncidents = async () => (await engine.alerts()).filter((alert) => alert.rule === AlertRuleName.INBOX_STALE);

  beforeAll(async () => {
    database = await createTestDatabase('alerts');
    await migrate(database.db, MIGRATIONS);
    receiver = await startAlertReceiver(SECRET);
    inbox = new Inbox({
      db: database.db,
      log,
      pollIntervalMs: 50,
      maxBackoffMs: 100,
      handle: async (_topic, payload) => {
        if (inventoryDown) throw new Error('connect ECONNREFUSED (inventory)');
        applied.push((payload as { id: string }).id);
      },
    });
    inbox.start();
    engine = newEngine();
  });

  afterAll(async () => {
    for (const each of engines) await each.stop();
    await inbox?.stop();
    await receiver?.close();
    await database?.drop();
  });

  it('fires once while the oldest delivery waits too long, across replicas and a restart, and clears once', async () => {
    await engine.evaluate();
    expect(await openIncidents()).toEqual([]);

    await inbox.receive('order-1', 'orders/create', { id: 'order-1' });
    // Two replicas on one database evaluate together, again and again: one incident, one firing.
    const replica = newEngine(await database.reopen());
    const fired = await eventually(async () => {
      await Promise.all([engine.evaluate(), replica.evaluate()]);
      const open = await openIncidents();
      return open.length > 0 && open;
    }, 'the inbox-stale alert to fire');
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ rule: 'inbox-stale', platform: 'shopify', severity: 'CRITICAL', clearedAt: null });
    expect(JSON.parse(fired[0]!.details)).toMatchObject({ waiting: 1, topic: 'orders/create', lastError: expect.stringContaining('ECONNREFUSED') });
    for (let round = 0; round < 3; round++) await Promise.all([engine.evaluate(), replica.evaluate()]);
    // A restart: a fresh engine finds the open incident instead of firing again.
    await newEngine().evaluate();
    const all = await engine.alerts({ firingOnly: false });
    expect(all.filter((alert) => alert.rule === 'inbox-stale')).toHaveLength(1);

    inventoryDown = false;
    await eventually(async () => applied.includes('order-1'), 'the delivery to be applied once the inventory is back');
    await Promise.all([engine.evaluate(), replica.evaluate()]);
    expect(await openIncidents()).toEqual([]);
    const [cleared] = (await engine.alerts({ firingOnly: false })).filter((alert) => alert.rule === 'inbox-stale');
    expect(cleared!.clearedAt).not.toBeNull();

    // The receiver: each delivery refused once (500), then taken; signed; one firing and one clearing.
    await eventually(async () => (await engine.pendingDeliveries()).length === 0 && receiver.received.filter((entry) => entry.answered === 200).length === 2, 'both deliveries to be taken');
    const taken = receiver.received.filter((entry) => entry.answered === 200);
    expect(taken.map((entry) => entry.body.type)).toEqual(['alert.fired', 'alert.cleared']);
    expect(taken.map((entry) => entry.deliveryId)).toEqual([`${cleared!.id}:fired`, `${cleared!.id}:cleared`]);
    expect(receiver.received.every((entry) => entry.signatureValid)).toBe(true);
    for (const delivery of taken) {
      const attempts = receiver.received.filter((entry) => entry.deliveryId === delivery.deliveryId);
      // The retry after the 500 is the same delivery: same id, same body.
      expect(attempts.map((entry) => entry.answered)).toEqual([500, 200]);
      expect(attempts[0]!.body).toEqual(attempts[1]!.body);
      expect(delivery.body.id).toBe(delivery.deliveryId);
    }
    expect(taken[0]!.body.alert).toMatchObject({ id: cleared!.id, rule: 'inbox-stale', platform: 'shopify', severity: 'CRITICAL', clearedAt: null, details: { waiting: 1 } });
    expect(taken[1]!.body.alert.clearedAt).toBe(cleared!.clearedAt);
  });

  it('keeps a delivery the receiver did not take across a restart, and the next run sends it', async () => {
    // The runs of the first test would deliver it at once: this test's runs are the only ones.
    for (const each of engines.splice(0)) await each.stop();
    inventoryDown = true;
    await inbox.receive('order-2', 'orders/create', { id: 'order-2' });
    // This run's receiver is unreachable: the delivery is retried, and left due when it stops.
    const unreachable = createAlertEngine({
      db: database.db,
      log,
      platform: 'shopify',
      platformLabel: 'Shopify',
      alerts: { intervalMs: 0, thresholds: { inboxMaxAgeS: 0.5 }, webhook: { url: 'http://127.0.0.1:1/alerts', secret: SECRET, baseDelayMs: 20, maxDelayMs: 50, pollIntervalMs: 50 } },
    });
    unreachable.start();
    const [incident] = await eventually(async () => {
      await unreachable.evaluate();
      const open = await openIncidents();
      return open.length === 1 && open;
    }, 'a second inbox-stale incident');
    await eventually(async () => (await unreachable.pendingDeliveries()).some((delivery) => delivery.attempts >= 2 && delivery.lastError !== null), 'failed attempts to be recorded');
    await unreachable.stop();
    expect(receiver.received.some((entry) => entry.body.alert.id === incident!.id)).toBe(false);

    const restarted = newEngine();
    const deliveryId = `${incident!.id}:fired`;
    await eventually(async () => (await restarted.pendingDeliveries()).length === 0 && receiver.received.some((entry) => entry.deliveryId === deliveryId && entry.answered === 200), 'the restarted run to deliver it');
    expect(receiver.received.filter((entry) => entry.deliveryId === deliveryId).map((entry) => entry.answered)).toEqual([500, 200]);
    inventoryDown = false;
  });
});
