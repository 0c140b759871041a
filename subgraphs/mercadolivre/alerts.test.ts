/**
 * Mercado Livre's notification-topic alert: the sandbox switches a topic off when its
 * notifications go unanswered through their retries (as Mercado Livre does), the alert fires
 * once per topic, and clears when the application subscribes again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createMercadoLivreSandbox, type MercadoLivreSandbox } from '../../sandboxes/mercadolivre/mercadolivre-sandbox.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { eventuallyDefined as eventually } from '../../test/support/eventually.ts';
import { sandboxPlatform } from '../../test/support/mercadolivre.ts';
import { createLogger } from '../../kit/logger.ts';
import { AlertRuleName } from '../platform-common/alerts.ts';
import { createMercadoLivreSubgraph, type MercadoLivreSubgraph } from './index.ts';

const log = createLogger('mercadolivre-alerts-test');
/** Nothing listens here: every notification to it fails. */
const DEAD_CALLBACK = 'http://127.0.0.1:1/notifications/mercadolivre';

describe('Mercado Livre notification-topic alert (sandbox)', () => {
  let sandbox: MercadoLivreSandbox;
  let control: SandboxControlClient;
  let database: TestDatabase;
  let ml: MercadoLivreSubgraph;

  beforeAll(async () => {
    sandbox = createMercadoLivreSandbox({ notificationTopics: ['orders_v2', 'items'], notificationRetry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20, timeoutMs: 500 } });
    control = new SandboxControlClient(await sandbox.listen());
    database = await createTestDatabase('mercadolivre');
    ml = await createMercadoLivreSubgraph({
      database: database.db,
      log,
      // No order reaches this subgraph here (the callback is dead), so the inventory is never called.
      inventoryUrl: 'http://127.0.0.1:1/graphql',
      platform: sandboxPlatform(sandbox),
      stockSync: false,
      alerts: { intervalMs: 0, thresholds: { topicCheckS: 0 } },
    });
  }, 120_000);

  afterAll(async () => {
    await ml?.close();
    await database?.drop();
    await sandbox?.close();
  });

  async function alerts(firingOnly = true): Promise<Array<{ id: string; rule: string; platform: string; severity: string; details: string; clearedAt: string | null }>> {
    const response = await ml.server.apollo.executeOperation({ query: `query($firingOnly: Boolean) { mercadoLivreAlerts(firingOnly: $firingOnly) { id rule platform severity details clearedAt } }`, variables: { firingOnly } }, { contextValue: ml.context() });
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    if (result?.errors?.length) throw new Error(result.errors.map((error) => error.message).join('; '));
    return (result?.data as { mercadoLivreAlerts: Array<{ id: string; rule: string; platform: string; severity: string; details: string; clearedAt: string | null }> }).mercadoLivreAlerts;
  }
  const topicAlerts = async (firingOnly = true) => (await alerts(firingOnly)).filter((alert) => alert.rule === AlertRuleName.NOTIFICATION_TOPIC_DISABLED);

  it('fires once per topic Mercado Livre switched off, and clears when the application subscribes again', async () => {
    await ml.alerts!.evaluate();
    expect(await topicAlerts()).toEqual([]);

    // A sale whose notifications nobody answers: Mercado Livre gives up and switches the topic off.
    sandbox.notificationCallbackUrl = DEAD_CALLBACK;
    await control.placeOrder([{ sku: 'CAF-MOIDO-500', quantity: 1 }]);
    await eventually(async () => sandbox.disabledTopics.has('orders_v2'), 'the sandbox to switch orders_v2 off');

    const fired = await eventually(async () => {
      await ml.alerts!.evaluate();
      const open = await topicAlerts();
      return open.some((alert) => JSON.parse(alert.details).topic === 'orders_v2') && open;
    }, 'the topic alert to fire');
    const orders = fired.find((alert) => JSON.parse(alert.details).topic === 'orders_v2')!;
    expect(orders).toMatchObject({ platform: 'mercadolivre', severity: 'CRITICAL', clearedAt: null });
    expect(JSON.parse(orders.details)).toMatchObject({ topic: 'orders_v2', disabledSince: expect.any(String), missedNotifications: 1 });

    for (let round = 0; round < 3; round++) await ml.alerts!.evaluate();
    const topics = (await topicAlerts()).map((alert) => JSON.parse(alert.details).topic as string);
    expect(topics.filter((topic) => topic === 'orders_v2')).toHaveLength(1);
    expect(new Set(topics).size).toBe(topics.length);

    // The operator subscribes the application again (Mercado Livre's application manager).
    for (const topic of [...sandbox.disabledTopics.keys()]) await control.subscribe(topic, DEAD_CALLBACK.replace(':1/', ':2/'));
    await eventually(async () => {
      await ml.alerts!.evaluate();
      return (await topicAlerts()).length === 0;
    }, 'the topic alerts to clear');
    const history = (await topicAlerts(false)).find((alert) => alert.id === orders.id)!;
    expect(history.clearedAt).not.toBeNull();
  });
});
