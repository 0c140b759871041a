import { startSandboxes, type RunningSandboxes } from '../../sandboxes/index.ts';
import { amazonSdl, createAmazonSubgraph } from '../../subgraphs/amazon/index.ts';
import { createMercadoLivreSubgraph, mercadolivreSdl } from '../../subgraphs/mercadolivre/index.ts';
import { createShopifySubgraph, shopifySdl } from '../../subgraphs/shopify/index.ts';
import { createLogger } from '../../kit/logger.ts';
import { createWooCommerceSubgraph, woocommerceSdl } from '../../subgraphs/woocommerce/index.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { startPonte, type ExtraSubgraph, type PonteDatabases, type RunningPonte } from './ponte.ts';

/**
 * Everything `npm start` runs, in this process and on free ports: the four platform sandboxes,
 * inventory, catalog, the four platform subgraphs with channel sync on, and the gateway.
 */
export interface RunningCommerce {
  ponte: RunningPonte;
  sandboxes: RunningSandboxes;
  databases: CommerceDatabases;
  /**
   * What restarting `npm start` without deleting ./data does: every server stops, then starts
   * again on the same databases, with new sandboxes that re-seed in memory and remember nothing.
   */
  restart(options?: StartCommerceOptions): Promise<RunningCommerce>;
  /** Reads Amazon's new orders now (its poller runs only when asked here). */
  pollAmazonOrders(): Promise<void>;
  /** Stops everything and drops the databases. */
  close(): Promise<void>;
}

/** Every service's database: Ponte's core ones and each platform subgraph's. */
export interface CommerceDatabases extends PonteDatabases {
  platforms: Record<'shopify' | 'woocommerce' | 'mercadolivre' | 'amazon', TestDatabase>;
}

export interface StartCommerceOptions {
  /** The sandboxes' `uniqueOrderIds`, as `npm start` runs them. @default false (fixed ids) */
  uniqueOrderIds?: boolean;
  /** Overrides of every platform's channel sync (e.g. `maxAttempts`, for a push to give up quickly). */
  stockSync?: Partial<typeof SYNC>;
  /** Subgraphs started before the platforms' (e.g. the customers subgraph, which the orders subgraph then uses). */
  before?: ExtraSubgraph[];
}

/** Each platform subgraph's SDL as it serves it (its own file and the platforms' shared types). */
const SDL: Record<string, () => string> = { shopify: shopifySdl, woocommerce: woocommerceSdl, mercadolivre: mercadolivreSdl, amazon: amazonSdl };
/** Quick retries and polls: tests wait on outcomes, not on production-sized intervals. */
const SYNC = { pollIntervalMs: 100, maxBackoffMs: 500, resyncIntervalMs: false as const, maxAttempts: 100 };

async function createCommerceDatabases(): Promise<CommerceDatabases> {
  return {
    inventory: await createTestDatabase('inventory'),
    catalog: await createTestDatabase('catalog'),
    access: await createTestDatabase('access'),
    orders: await createTestDatabase('orders'),
    platforms: {
      shopify: await createTestDatabase('shopify'),
      woocommerce: await createTestDatabase('woocommerce'),
      mercadolivre: await createTestDatabase('mercadolivre'),
      amazon: await createTestDatabase('amazon'),
    },
  };
}

export async function startCommerce(options: StartCommerceOptions = {}, existing?: CommerceDatabases): Promise<RunningCommerce> {
  const log = createLogger('test');
  const databases = existing ?? (await createCommerceDatabases());
  const sandboxes = await startSandboxes({
    uniqueOrderIds: options.uniqueOrderIds ?? false,
    ports: { shopify: 0, woocommerce: 0, mercadolivre: 0, amazon: 0 },
    host: '127.0.0.1',
    amazon: { rateLimits: { searchListingsItems: { rate: 20, burst: 50 }, patchListingsItem: { rate: 50, burst: 50 } } },
    mercadolivre: { notificationRetry: { initialDelayMs: 50, maxDelayMs: 500, timeoutMs: 2000 } },
  });
  const platform = (name: string, start: ExtraSubgraph['start']): ExtraSubgraph => ({ name, sdl: SDL[name]!(), start });
  let amazonPoller: { pollOnce(): Promise<unknown> } | undefined;

  const ponte = await startPonte({
    databases,
    // The demo data is loaded once, on the first start, as `npm start` does.
    seed: !existing,
    extraSubgraphs: [
      ...(options.before ?? []),
      platform('shopify', async ({ inventoryUrl, ordersUrl, gatewaySecret, serviceKey, apiKeys }) => {
        const database = databases.platforms.shopify;
        const { shopify: sandbox } = sandboxes;
        const subgraph = await createShopifySubgraph({
          database: database.db, log, gatewaySecret, serviceKey, inventoryUrl, ordersUrl, apiKeys,
          shopify: { baseUrl: sandboxes.urls.shopify, shopDomain: sandbox.shopDomain, accessToken: sandbox.accessToken, apiSecretKey: sandbox.apiSecretKey, baseDelayMs: 20 },
          inbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
          reconciliation: { intervalMs: 0 },
          stockSync: { ...SYNC, ...options.stockSync },
          fulfilmentFeed: { pollIntervalMs: 100 },
        });
        const url = await subgraph.server.listen(0, '127.0.0.1');
        await subgraph.registerWebhooks(new URL(url).origin);
        return { url, close: subgraph.close };
      }),
      platform('woocommerce', async ({ inventoryUrl, ordersUrl, gatewaySecret, serviceKey, apiKeys }) => {
        const database = databases.platforms.woocommerce;
        const subgraph = await createWooCommerceSubgraph({
          database: database.db, log, gatewaySecret, serviceKey, inventoryUrl, ordersUrl, apiKeys,
          store: { storeUrl: sandboxes.urls.woocommerce, consumerKey: 'ck_sandbox', consumerSecret: 'cs_sandbox', baseDelayMs: 20 },
          reconcileIntervalMs: 0,
          inboxPollIntervalMs: 100,
          stockSync: { ...SYNC, ...options.stockSync },
          fulfilmentFeed: { pollIntervalMs: 100 },
        });
        const url = await subgraph.server.listen(0, '127.0.0.1');
        await subgraph.registerWebhooks(new URL(url).origin);
        return { url, close: subgraph.close };
      }),
      platform('mercadolivre', async ({ inventoryUrl, ordersUrl, gatewaySecret, serviceKey, apiKeys }) => {
        const database = databases.platforms.mercadolivre;
        const { mercadolivre: sandbox } = sandboxes;
        const subgraph = await createMercadoLivreSubgraph({
          database: database.db, log, gatewaySecret, serviceKey, inventoryUrl, ordersUrl, apiKeys,
          platform: {
            baseUrl: sandboxes.urls.mercadolivre,
            userId: String(sandbox.userId),
            applicationId: String(sandbox.application.applicationId),
            clientSecret: sandbox.application.clientSecret,
            accessToken: sandbox.accessToken,
            refreshToken: sandbox.refreshToken,
          },
          inbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
          stockSync: { ...SYNC, ...options.stockSync },
          fulfilmentFeed: { pollIntervalMs: 100 },
        });
        const url = await subgraph.server.listen(0, '127.0.0.1');
        sandbox.notificationCallbackUrl = new URL(subgraph.notificationsPath, url).toString();
        return { url, close: subgraph.close };
      }),
      platform('amazon', async ({ inventoryUrl, ordersUrl, gatewaySecret, serviceKey, apiKeys }) => {
        const database = databases.platforms.amazon;
        const { amazon: sandbox } = sandboxes;
        const subgraph = await createAmazonSubgraph({
          database: database.db, log, gatewaySecret, serviceKey, inventoryUrl, ordersUrl, apiKeys,
          amazon: {
            baseUrl: sandboxes.urls.amazon,
            lwa: { tokenUrl: `${sandboxes.urls.amazon}/auth/o2/token`, ...sandbox.lwa },
            sellerId: sandbox.sellerId,
            marketplaceId: sandbox.marketplaceId,
            rateLimits: { searchListingsItems: { rate: 20, burst: 50 }, patchListingsItem: { rate: 50, burst: 50 } },
            retryBaseDelayMs: 20,
          },
          polling: { intervalMs: false },
          inboxPollIntervalMs: 100,
          stockSync: { ...SYNC, ...options.stockSync },
          fulfilmentFeed: { pollIntervalMs: 100 },
        });
        amazonPoller = subgraph.poller;
        const url = await subgraph.server.listen(0, '127.0.0.1');
        return { url, close: subgraph.close };
      }),
    ],
  });
  const stop = async () => {
    await ponte.close();
    await sandboxes.close();
  };
  return {
    ponte,
    sandboxes,
    databases,
    async pollAmazonOrders() {
      await amazonPoller?.pollOnce();
    },
    async restart(again = options) {
      await stop();
      return startCommerce(again, databases);
    },
    async close() {
      await stop();
      for (const database of [databases.inventory, databases.catalog, databases.access, databases.orders, ...Object.values(databases.platforms)]) await database.drop();
    },
  };
}
