import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';
import { SandboxControlClient } from '../../sandboxes/common/control-client.ts';
import { createShopifySandbox, type ShopifySandbox } from '../../sandboxes/shopify/shopify-sandbox.ts';
import { createInsightsSubgraph, INSIGHTS_SDL_PATH, type InsightsSubgraph } from '../../subgraphs/insights/index.ts';
import { dayIn, DEFAULT_TIME_ZONE } from '../../subgraphs/insights/ingest.ts';
import { createShopifySubgraph, shopifySdl, type ShopifySubgraph } from '../../subgraphs/shopify/index.ts';
import { readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { as, graphql, startPonte, type RunningPonte } from '../support/ponte.ts';

const log = createLogger('insights-orders-e2e');

/**
 * The insights figures come from the orders, nowhere else: a shopper's order on the Shopify sandbox
 * goes through the Shopify subgraph's intake into the orders subgraph, the insights subgraph follows
 * the orders with its own service key, and today's sales through the gateway (an internal key) show
 * it within seconds; cancelled on Shopify, it leaves the figures.
 */
describe('insights follow the orders', () => {
  let sandbox: ShopifySandbox;
  let control: SandboxControlClient;
  let ponte: RunningPonte;
  let shopify: ShopifySubgraph;
  let shopifyDb: TestDatabase;
  let insights: InsightsSubgraph;
  let insightsDb: TestDatabase;

  beforeAll(async () => {
    sandbox = createShopifySandbox({ webhookRetry: { initialDelayMs: 50, maxDelayMs: 500 } });
    const sandboxUrl = await sandbox.listen();
    control = new SandboxControlClient(sandboxUrl);
    ponte = await startPonte({
      responseCache: false,
      extraSubgraphs: [
        {
          name: 'shopify',
          sdl: shopifySdl(),
          async start({ inventoryUrl, ordersUrl, gatewaySecret, serviceKey }) {
            shopifyDb = await createTestDatabase('shopify_insights');
            shopify = await createShopifySubgraph({
              database: shopifyDb.db, log, gatewaySecret, serviceKey, inventoryUrl, ordersUrl,
              shopify: { baseUrl: sandboxUrl, shopDomain: sandbox.shopDomain, accessToken: sandbox.accessToken, apiSecretKey: sandbox.apiSecretKey, baseDelayMs: 20, maxAttempts: 3 },
              inbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
              reconciliation: { intervalMs: 0 },
              stockSync: false,
            });
            const url = await shopify.server.listen(0, '127.0.0.1');
            await shopify.registerWebhooks(new URL(url).origin);
            return { url, async close() { await shopify.close(); await shopifyDb.drop(); } };
          },
        },
        {
          name: 'insights',
          sdl: readFileSync(INSIGHTS_SDL_PATH, 'utf8'),
          async start({ ordersUrl, gatewaySecret, serviceKey, apiKeys }) {
            insightsDb = await createTestDatabase('insights_orders');
            // Its own key (role service, orders:read) reads the orders, as under npm start.
            insights = await createInsightsSubgraph({ database: insightsDb.db, log, gatewaySecret, apiKeys, orders: { url: ordersUrl, serviceKey, pollIntervalMs: 200 } });
            await insights.ordersCaughtUp;
            const url = await insights.server.listen(0, '127.0.0.1');
            return { url, async close() { await insights.close(); await insightsDb.drop(); } };
          },
        },
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await ponte?.close();
    await sandbox?.close();
  });

  const SALES = `query($day: String!) { sales(range: { from: $day, to: $day }, channels: ["shopify-br"], groupBy: [CHANNEL, PRODUCT]) { channel sku orders units grossCents } }`;
  type Sales = { sales: Array<{ channel: string; sku: string; orders: number; units: number; grossCents: number }> };
  const today = () => dayIn(new Date(), DEFAULT_TIME_ZONE);
  const salesToday = async () => {
    const answer = await graphql<Sales>(ponte.gatewayUrl, SALES, { day: today() }, as('internal'));
    expect(answer.errors).toBeUndefined();
    return answer.data!.sales;
  };

  it('shows a Shopify order in today\'s sales within seconds, and takes it out when it is cancelled', async () => {
    expect(await salesToday()).toEqual([]);
    const placed = await control.placeOrder([{ sku: 'CAM-LINHO-M', quantity: 2 }], { shopper: 1 });
    const started = Date.now();
    const sold = await eventually(salesToday, (rows) => rows.length > 0, 'the order in today\'s sales', 15_000);
    expect(sold).toEqual([{ channel: 'shopify-br', sku: 'CAM-LINHO-M', orders: 1, units: 2, grossCents: 2 * 18990 }]);
    expect(Date.now() - started).toBeLessThan(10_000);

    await control.cancelOrder(placed.id);
    await eventually(salesToday, (rows) => rows.length === 0, 'the cancelled order out of today\'s sales', 15_000);
    // The store keeps the cancelled version (a late, older one is then ignored); it counts for nothing.
    const [fact] = await insights.db.query<{ status: string }>('SELECT status FROM order_facts');
    expect(fact?.status).toBe('CANCELLED');
  }, 60_000);

  it('refuses today\'s sales to a storefront key', async () => {
    const refused = await graphql(ponte.gatewayUrl, SALES, { day: today() }, as('storefront'));
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});
