/**
 * Shopify's alerts end to end: the sandbox made to fail (5xx, then 4xx) and its listings edited
 * behind Ponte's back drive each rule; the alerts fire once, clear once, are read through the
 * gateway (`shopifyAlerts`, refused to a storefront key) and reach a signed webhook receiver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createShopifySandbox, type ShopifySandbox } from '../../sandboxes/shopify/shopify-sandbox.ts';
import { as, graphql, startPonte, type RunningPonte } from '../../test/support/ponte.ts';
import { startAlertReceiver } from '../../test/support/alert-receiver.ts';
import { eventuallyDefined as eventually } from '../../test/support/eventually.ts';
import { createLogger } from '../../kit/logger.ts';
import { AlertRuleName } from '../platform-common/alerts.ts';
import { createShopifySubgraph, shopifySdl, type ShopifySubgraph } from './index.ts';
import { platformSubgraph } from '../../test/support/platform-subgraph.ts';

const log = createLogger('shopify-alerts-test');
const CHANNEL = 'shopify-br';
const WAREHOUSE = 'cd-sao-paulo';
const SECRET = 'shopify-alerts-test-secret-0123456789abcdef';
const ALERTS = '{ shopifyAlerts { id rule platform severity summary details firedAt clearedAt } }';

interface Alert {
  id: string;
  rule: string;
  platform: string;
  severity: string;
  summary: string;
  details: string;
  firedAt: string;
  clearedAt: string | null;
}

describe('Shopify alerts (sandbox, inventory, gateway, webhook receiver)', () => {
  let sandbox: ShopifySandbox;
  let control: SandboxControlClient;
  let ponte: RunningPonte;
  let shopify: ShopifySubgraph;
  let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;
  let receipts = 0;

  beforeAll(async () => {
    receiver = await startAlertReceiver(SECRET);
    sandbox = createShopifySandbox();
    const sandboxUrl = await sandbox.listen();
    control = new SandboxControlClient(sandboxUrl);
    ponte = await startPonte({
      extraSubgraphs: [
        platformSubgraph({
          name: 'shopify',
          sdl: shopifySdl(),
          database: 'shopify',
          create: ({ database, inventoryUrl, gatewaySecret, serviceKey }) =>
            createShopifySubgraph({
              database,
              log,
              gatewaySecret,
              serviceKey,
              inventoryUrl,
              channel: CHANNEL,
              shopify: { baseUrl: sandboxUrl, shopDomain: sandbox.shopDomain, accessToken: sandbox.accessToken, apiSecretKey: sandbox.apiSecretKey, baseDelayMs: 20, maxAttempts: 2 },
              reconciliation: { intervalMs: 0 },
              // A push failing through the outage is retried a few seconds (listing-push-failing), then kept as a dead letter.
              stockSync: { pollIntervalMs: 100, maxBackoffMs: 1000, resyncIntervalMs: false, maxAttempts: 12 },
              // Evaluated on demand here, with thresholds a test can reach.
              alerts: { intervalMs: 0, thresholds: { pushFailures: 2, deadLetters: 1, drift: 1, unreachableS: 0.5 }, webhook: { url: receiver.url, secret: SECRET, baseDelayMs: 20, maxDelayMs: 100, pollIntervalMs: 50 } },
            }),
          started: async ({ subgraph }) => {
            shopify = subgraph;
          },
        }),
      ],
    });
  }, 180_000);

  afterAll(async () => {
    await ponte?.close();
    await sandbox?.close();
    await receiver?.close();
  });

  const viaGateway = async <Data = any>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = as('internal')): Promise<Data> => {
    const result = await graphql<Data>(ponte.gatewayUrl, query, variables, headers);
    if (result.errors?.length) throw new Error(result.errors.map((error) => error.message).join('; '));
    return result.data!;
  };

  const firing = async (): Promise<Alert[]> => (await viaGateway<{ shopifyAlerts: Alert[] }>(ALERTS)).shopifyAlerts;

  /** Evaluates (as the interval would) until `accept` holds for the firing alerts. */
  async function evaluateUntil(accept: (rules: string[]) => boolean, what: string): Promise<Alert[]> {
    return eventually(async () => {
      await shopify.alerts!.evaluate();
      const alerts = await firing();
      return accept(alerts.map((alert) => alert.rule)) && alerts;
    }, what, 30_000);
  }

  function receiveStock(sku: string, quantity: number): Promise<unknown> {
    return viaGateway('mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { replayed } }', { input: { idempotencyKey: `alerts-test-${++receipts}`, sku, location: WAREHOUSE, quantity } }, as('operator'));
  }

  async function queueSettled(): Promise<void> {
    await eventually(async () => (await shopify.stockSync!.status()).pending === 0, 'the listing sync queue to empty', 30_000);
  }

  /** The deliveries the receiver took (answered 200) for one alert. */
  const taken = (alertId: string) => receiver.received.filter((entry) => entry.answered === 200 && entry.body.alert.id === alertId).map((entry) => entry.body.type);

  it('starts quiet once every listing shows the canonical quantity', async () => {
    const listed = (await control.stock()).length;
    await eventually(async () => {
      const status = await shopify.stockSync!.status();
      return status.pending === 0 && status.synced >= listed;
    }, 'every listing to be pushed once', 60_000);
    // The check at start may have found the sandbox's seeded quantities; once pushed, none drift.
    await eventually(async () => (await viaGateway<{ reconcileShopifyListings: unknown[] }>('mutation { reconcileShopifyListings { sku } }', {}, as('operator'))).reconcileShopifyListings.length === 0, 'no drift', 30_000);
    await shopify.alerts!.evaluate();
    expect(await firing()).toEqual([]);
  });

  it('refuses the alerts to a storefront key, and answers an internal one', async () => {
    const refused = await graphql(ponte.gatewayUrl, ALERTS, {}, as('storefront'));
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.data?.shopifyAlerts).toBeUndefined();
    const anonymous = await graphql(ponte.gatewayUrl, ALERTS, {}, as('anonymous'));
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await firing()).toEqual([]);
  });

  it('fires platform-unreachable, listing-push-failing then listing-dead-letters once each while Shopify answers 503, and clears them when it is back', async () => {
    await control.injectFault({ mode: 'error', status: 503 });
    await receiveStock('CAM-BASICA-M', 1);
    const fired = await evaluateUntil((rules) => rules.includes(AlertRuleName.PLATFORM_UNREACHABLE) && rules.includes(AlertRuleName.LISTING_PUSH_FAILING), 'unreachable and push-failing to fire');
    const unreachable = fired.find((alert) => alert.rule === AlertRuleName.PLATFORM_UNREACHABLE)!;
    const failing = fired.find((alert) => alert.rule === AlertRuleName.LISTING_PUSH_FAILING)!;
    expect(unreachable).toMatchObject({ platform: 'shopify', severity: 'CRITICAL', clearedAt: null, id: expect.stringMatching(/^shopify:\d+$/) });
    expect(JSON.parse(unreachable.details)).toMatchObject({ lastError: 'HTTP 503', failures: expect.any(Number) });
    expect(JSON.parse(failing.details)).toMatchObject({ skus: ['CAM-BASICA-M'], threshold: 2 });

    // The outage goes on: the push gives up (a dead letter), so push-failing ends and dead-letters starts.
    const later = await evaluateUntil((rules) => rules.includes(AlertRuleName.DEAD_LETTERS) && !rules.includes(AlertRuleName.LISTING_PUSH_FAILING), 'the push to become a dead letter');
    const dead = later.find((alert) => alert.rule === AlertRuleName.DEAD_LETTERS)!;
    expect(JSON.parse(dead.details)).toMatchObject({ deadLetters: 1, skus: ['CAM-BASICA-M'], lastError: expect.stringContaining('503') });
    for (let round = 0; round < 3; round++) await shopify.alerts!.evaluate();
    // One incident per rule however many evaluations saw it.
    expect((await firing()).filter((alert) => alert.rule === AlertRuleName.PLATFORM_UNREACHABLE).map((alert) => alert.id)).toEqual([unreachable.id]);

    await control.clearFaults();
    expect(await viaGateway<{ replayShopifyListingSync: number }>('mutation { replayShopifyListingSync }', {}, as('operator'))).toEqual({ replayShopifyListingSync: 1 });
    await eventually(async () => {
      const status = await shopify.stockSync!.status();
      return status.pending === 0 && status.dead === 0;
    }, 'the replayed quantity to be pushed', 30_000);
    await evaluateUntil((rules) => rules.length === 0, 'every alert to clear');
    const history = (await viaGateway<{ shopifyAlerts: Alert[] }>('{ shopifyAlerts(firingOnly: false) { id rule clearedAt } }')).shopifyAlerts;
    for (const rule of [AlertRuleName.PLATFORM_UNREACHABLE, AlertRuleName.LISTING_PUSH_FAILING, AlertRuleName.DEAD_LETTERS]) {
      const incidents = history.filter((alert) => alert.rule === rule);
      expect(incidents, rule).toHaveLength(1);
      expect(incidents[0]!.clearedAt, rule).not.toBeNull();
    }

    // One firing and one clearing each reached the receiver, the first attempt refused with a 500 and retried.
    await eventually(async () => (await shopify.alerts!.pendingDeliveries()).length === 0, 'the deliveries to be taken');
    for (const alert of [unreachable, failing, dead]) expect(taken(alert.id), alert.rule).toEqual(['alert.fired', 'alert.cleared']);
    expect(receiver.received.filter((entry) => entry.deliveryId === `${unreachable.id}:fired`).map((entry) => entry.answered)).toEqual([500, 200]);
    expect(receiver.received.every((entry) => entry.signatureValid)).toBe(true);
  });

  it('fires listing-drift when a drift check finds a listing edited on Shopify, and clears at the next clean check', async () => {
    await control.setStock('CAM-BASICA-P', 777);
    const drift = (await viaGateway<{ reconcileShopifyListings: Array<{ sku: string }> }>('mutation { reconcileShopifyListings { sku } }', {}, as('operator'))).reconcileShopifyListings;
    expect(drift.map((entry) => entry.sku)).toContain('CAM-BASICA-P');
    const [fired] = (await evaluateUntil((rules) => rules.includes(AlertRuleName.LISTING_DRIFT), 'the drift alert')).filter((alert) => alert.rule === AlertRuleName.LISTING_DRIFT);
    expect(JSON.parse(fired!.details)).toMatchObject({ drifted: drift.length, sample: expect.arrayContaining([expect.objectContaining({ sku: 'CAM-BASICA-P', actual: 777 })]) });

    await queueSettled();
    await eventually(async () => (await viaGateway<{ reconcileShopifyListings: unknown[] }>('mutation { reconcileShopifyListings { sku } }', {}, as('operator'))).reconcileShopifyListings.length === 0, 'a clean drift check', 30_000);
    await evaluateUntil((rules) => !rules.includes(AlertRuleName.LISTING_DRIFT), 'the drift alert to clear');
    await eventually(async () => (await shopify.alerts!.pendingDeliveries()).length === 0, 'the deliveries to be taken');
    expect(taken(fired!.id)).toEqual(['alert.fired', 'alert.cleared']);
  });
});
