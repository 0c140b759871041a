import { startSandboxes, type RunningSandboxes } from '../../sandboxes/index.ts';
import { createAmazonSubgraph } from '../../subgraphs/amazon/index.ts';
import { createMercadoLivreSubgraph } from '../../subgraphs/mercadolivre/index.ts';
import { createShopifySubgraph } from '../../subgraphs/shopify/index.ts';
import { createLogger } from '../../kit/logger.ts';
import { createWooCommerceSubgraph } from '../../subgraphs/woocommerce/index.ts';
import { createTestDatabase } from './database.ts';
import { startPonte, type ExtraSubgraph, type RunningPonte } from './ponte.ts';
import { readFileSync } from 'node:fs';

/**
 * Everything `npm start` runs, in this process and on free ports: the four platform sandboxes,
 * inventory, catalog, the four platform subgraphs with channel sync on, and the gateway.
 */
export interface RunningCommerce {
  ponte: RunningPonte;
  sandboxes: RunningSandboxes;
  close(): Promise<void>;
}

const sdl = (name: string) => readFileSync(new URL(`../../schema/${name}.graphql`, import.meta.url), 'utf8');
/** Quick retries and polls: tests wait on outcomes, not on production-sized intervals. */
const SYNC = { pollIntervalMs: 100, maxBackoffMs: 500, resyncIntervalMs: false as const, maxAttempts: 100 };

export async function startCommerce(): Promise<RunningCommerce> {
  const log = createLogger('test');
  const sandboxes = await startSandboxes({
    ports: { shopify: 0, woocommerce: 0, mercadolivre: 0, amazon: 0 },
    host: '127.0.0.1',
    amazon: { rateLimits: { searchListingsItems: { rate: 20, burst: 50 }, patchListingsItem: { rate: 50, burst: 50 } } },
    mercadolivre: { notificationRetry: { initialDelayMs: 50, maxDelayMs: 500, timeoutMs: 2000 } },
  });
  const owned: Array<() => Promise<void>> = [];
  const platform = (name: string, start: ExtraSubgraph['start']): ExtraSubgraph => ({ name, sdl: sdl(name), start });

  const ponte = await startPonte({
    extraSubgraphs: [
      platform('shopify', async ({ inventoryUrl, gatewaySecret, serviceKey }) => {
        const database = await createTestDatabase('shopify');
        const { shopify: sandbox } = sandboxes;
        const subgraph = await createShopifySubgraph({
          database: database.db, log, gatewaySecret, serviceKey, inventoryUrl,
          shopify: { baseUrl: sandboxes.urls.shopify, shopDomain: sandbox.shopDomain, accessToken: sandbox.accessToken, apiSecretKey: sandbox.apiSecretKey, baseDelayMs: 20 },
          inbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
          reconciliation: { intervalMs: 0 },
          stockSync: SYNC,
        });
        const url = await subgraph.server.listen(0, '127.0.0.1');
        await subgraph.registerWebhooks(new URL(url).origin);
        owned.push(database.drop);
        return { url, close: subgraph.close };
      }),
      platform('woocommerce', async ({ inventoryUrl, gatewaySecret, serviceKey }) => {
        const database = await createTestDatabase('woocommerce');
        const subgraph = await createWooCommerceSubgraph({
          database: database.db, log, gatewaySecret, serviceKey, inventoryUrl,
          store: { storeUrl: sandboxes.urls.woocommerce, consumerKey: 'ck_sandbox', consumerSecret: 'cs_sandbox', baseDelayMs: 20 },
          reconcileIntervalMs: 0,
          inboxPollIntervalMs: 100,
          stockSync: SYNC,
        });
        const url = await subgraph.server.listen(0, '127.0.0.1');
        await subgraph.registerWebhooks(new URL(url).origin);
        owned.push(database.drop);
        return { url, close: subgraph.close };
      }),
      platform('mercadolivre', async ({ inventoryUrl, gatewaySecret, serviceKey }) => {
        const database = await createTestDatabase('mercadolivre');
        const { mercadolivre: sandbox } = sandboxes;
        const subgraph = await createMercadoLivreSubgraph({
          database: database.db, log, gatewaySecret, serviceKey, inventoryUrl,
          platform: {
            baseUrl: sandboxes.urls.mercadolivre,
            userId: String(sandbox.userId),
            applicationId: String(sandbox.application.applicationId),
            clientSecret: sandbox.application.clientSecret,
            accessToken: sandbox.accessToken,
            refreshToken: sandbox.refreshToken,
          },
          inbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
          stockSync: SYNC,
        });
        const url = await subgraph.server.listen(0, '127.0.0.1');
        sandbox.notificationCallbackUrl = new URL(subgraph.notificationsPath, url).toString();
        owned.push(database.drop);
        return { url, close: subgraph.close };
      }),
      platform('amazon', async ({ inventoryUrl, gatewaySecret, serviceKey }) => {
        const database = await createTestDatabase('amazon');
        const { amazon: sandbox } = sandboxes;
        const subgraph = await createAmazonSubgraph({
          database: database.db, log, gatewaySecret, serviceKey, inventoryUrl,
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
          stockSync: SYNC,
        });
        const url = await subgraph.server.listen(0, '127.0.0.1');
        owned.push(database.drop);
        return { url, close: subgraph.close };
      }),
    ],
  });
  return {
    ponte,
    sandboxes,
    async close() {
      await ponte.close();
      for (const drop of owned) await drop();
      await sandboxes.close();
    },
  };
}
