/**
 * Listens for the WooCommerce subgraph. Environment (defaults in brackets):
 * - PORT [4012]; DATABASE_URL, else PGlite in PONTE_DATA_DIR/woocommerce [data/woocommerce]
 * - PONTE_GATEWAY_SECRET: required from the gateway, and presented to the inventory
 * - INVENTORY_URL [http://127.0.0.1:4001/graphql]
 * - WOOCOMMERCE_STORE_URL [http://127.0.0.1:4102, the sandbox], WOOCOMMERCE_CONSUMER_KEY [ck_sandbox],
 *   WOOCOMMERCE_CONSUMER_SECRET [cs_sandbox], WOOCOMMERCE_CURRENCY [BRL]
 * - WOOCOMMERCE_WEBHOOK_SECRET [derived from the consumer secret]
 * - WOOCOMMERCE_CHANNEL [woocommerce-br]
 * - WOOCOMMERCE_RECONCILE_INTERVAL_MS [60000; 0 disables the order sweep]
 * - WOOCOMMERCE_STOCK_SYNC [on; `off` stops pushing the channel's canonical stock to the store]
 * - PUBLIC_URL [http://127.0.0.1:<PORT>]: the address the store delivers webhooks to
 */
import { createLogger } from '../../kit/logger.ts';
import { runService } from '../../kit/run-service.ts';
import { WOOCOMMERCE_DEFAULT_CHANNEL, WOOCOMMERCE_SANDBOX_URL } from './service.ts';
import { createWooCommerceSubgraph } from './index.ts';
import { databaseFromEnv } from '../../kit/database.ts';
import { gatewaySecretFromEnv, optionalOwnSecret, requireSecret } from '../../kit/secrets.ts';
import { SANDBOX_DEFAULTS } from './sandbox-defaults.ts';
import { boundAddress } from '../../kit/graceful-close.ts';
import { alertOptionsFromEnv } from '../platform-common/alerts.ts';
import { apiKeyResolverFromEnv } from '../../kit/api-keys-from-env.ts';

const REGISTRATION_RETRY_MAX_MS = 60_000;

const log = createLogger('woocommerce');
await runService(log, async () => {
  const port = Number(process.env.PORT ?? 4012);
  const subgraph = await createWooCommerceSubgraph({
    database: databaseFromEnv('woocommerce'),
    log,
    gatewaySecret: gatewaySecretFromEnv(),
    // Checks the keys of /metrics scrapers (ACCESS_URL, as the inventory checks service keys).
    apiKeys: apiKeyResolverFromEnv(log),
    serviceKey: process.env.PONTE_SERVICE_KEY || undefined,
    inventoryUrl: process.env.INVENTORY_URL || 'http://127.0.0.1:4001/graphql',
    ordersUrl: process.env.ORDERS_URL || undefined,
    store: {
      storeUrl: process.env.WOOCOMMERCE_STORE_URL || WOOCOMMERCE_SANDBOX_URL,
      consumerKey: requireSecret(process.env, 'WOOCOMMERCE_CONSUMER_KEY', { publicDefaults: [SANDBOX_DEFAULTS.WOOCOMMERCE_CONSUMER_KEY], development: SANDBOX_DEFAULTS.WOOCOMMERCE_CONSUMER_KEY }),
      consumerSecret: requireSecret(process.env, 'WOOCOMMERCE_CONSUMER_SECRET', { publicDefaults: [SANDBOX_DEFAULTS.WOOCOMMERCE_CONSUMER_SECRET], development: SANDBOX_DEFAULTS.WOOCOMMERCE_CONSUMER_SECRET }),
      currency: process.env.WOOCOMMERCE_CURRENCY || 'BRL',
    },
    webhookSecret: optionalOwnSecret(process.env, 'WOOCOMMERCE_WEBHOOK_SECRET'),
    channel: process.env.WOOCOMMERCE_CHANNEL || WOOCOMMERCE_DEFAULT_CHANNEL,
    reconcileIntervalMs: Number(process.env.WOOCOMMERCE_RECONCILE_INTERVAL_MS ?? 60_000),
    ...(process.env.WOOCOMMERCE_STOCK_SYNC?.trim().toLowerCase() === 'off' ? { stockSync: false as const } : {}),
    alerts: alertOptionsFromEnv(process.env),
  });
  const url = await subgraph.server.listen(port);
  log.info({ url, boundTo: boundAddress(subgraph.server.httpServer), driver: subgraph.db.driver }, 'woocommerce subgraph listening');

  // The store may be down at start: keep trying in the background rather than refuse to serve
  // listings' cache, exceptions and webhooks already configured.
  const publicUrl = process.env.PUBLIC_URL || `http://127.0.0.1:${port}`;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const register = async (attempt: number): Promise<void> => {
    try {
      await subgraph.registerWebhooks(publicUrl);
    } catch (error) {
      const delay = Math.min(REGISTRATION_RETRY_MAX_MS, 1000 * 2 ** attempt);
      log.warn({ err: error, retryInMs: delay }, 'could not register the WooCommerce webhooks; will retry');
      if (!stopped) retry = setTimeout(() => void register(attempt + 1), delay);
    }
  };
  void register(0);

  return async () => {
    stopped = true;
    clearTimeout(retry);
    await subgraph.close();
  };
});
