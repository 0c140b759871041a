/**
 * Listens for the Shopify subgraph. Environment (defaults match `sandboxes/shopify/main.ts`):
 * - PORT (4011); DATABASE_URL, else embedded PGlite under PONTE_DATA_DIR/shopify (PONTE_DATA_DIR: data)
 * - PONTE_GATEWAY_SECRET: required on requests to /graphql when set; also sent to the inventory
 * - INVENTORY_URL (http://127.0.0.1:4001/graphql)
 * - SHOPIFY_API_URL (http://127.0.0.1:4101, the sandbox; empty: the real https://SHOPIFY_SHOP_DOMAIN)
 * - SHOPIFY_SHOP_DOMAIN (ponte-demo.myshopify.com), SHOPIFY_ACCESS_TOKEN (shpat_sandbox_access_token),
 *   SHOPIFY_API_SECRET (shopify-sandbox-client-secret), SHOPIFY_API_VERSION (2026-10)
 * - SHOPIFY_CHANNEL (shopify-br): the canonical channel reservations are made on
 * - PUBLIC_URL (http://127.0.0.1:PORT): where Shopify can reach this service; `/webhooks/shopify`
 *   is subscribed to the order topics at start
 * - SHOPIFY_RECONCILE_INTERVAL_MS (60000; 0 turns order reconciliation off)
 * - SHOPIFY_STOCK_SYNC (on; `off` stops pushing canonical stock to the Shopify listings)
 * - SHOPIFY_LOCATION_ID (the shop's primary location): Shopify location GID the channel's quantity is set at
 * - PONTE_DATA_KEYS: keys that seal the personal data kept (docs/privacy.md); PONTE_INBOX_RETENTION_DAYS (7)
 * - PONTE_ALERT_* (alerts: README "Alerts"; PONTE_ALERTS=off turns them off)
 * In production mode (NODE_ENV=production) the secrets above must be set and not the sandbox's.
 * Against the sandbox, `/webhooks/shopify` is also given to it as the compliance webhooks' URL (a real
 * app declares it in shopify.app.toml: compliance_topics customers/data_request, customers/redact, shop/redact).
 */
import { createLogger } from '../../kit/logger.ts';
import { runService } from '../../kit/run-service.ts';
import { DEFAULT_API_VERSION } from './client.ts';
import { createShopifySubgraph, DEFAULT_SHOPIFY_CHANNEL, DEFAULT_SHOPIFY_PORT, type ShopifySubgraph } from './index.ts';
import { databaseFromEnv } from '../../kit/database.ts';
import { gatewaySecretFromEnv, requireSecret } from '../../kit/secrets.ts';
import { SANDBOX_DEFAULTS } from './sandbox-defaults.ts';
import { sealerFromEnv } from '../../kit/sealed.ts';
import { boundAddress } from '../../kit/graceful-close.ts';
import { alertOptionsFromEnv } from '../platform-common/alerts.ts';
import { apiKeyResolverFromEnv } from '../../kit/api-keys-from-env.ts';

const REGISTRATION_RETRY_MAX_MS = 60_000;

const log = createLogger('shopify');
await runService(log, async () => {
  const env = process.env;
  const port = Number(env.PORT ?? DEFAULT_SHOPIFY_PORT);
  const apiUrl = env.SHOPIFY_API_URL ?? 'http://127.0.0.1:4101';
  const subgraph = await createShopifySubgraph({
    database: databaseFromEnv('shopify'),
    log,
    gatewaySecret: gatewaySecretFromEnv(env),
    // Checks the keys of /metrics scrapers (ACCESS_URL, as the inventory checks service keys).
    apiKeys: apiKeyResolverFromEnv(log),
    serviceKey: env.PONTE_SERVICE_KEY || undefined,
    inventoryUrl: env.INVENTORY_URL || 'http://127.0.0.1:4001/graphql',
    ordersUrl: env.ORDERS_URL || undefined,
    channel: env.SHOPIFY_CHANNEL || DEFAULT_SHOPIFY_CHANNEL,
    shopify: {
      baseUrl: apiUrl || undefined,
      shopDomain: env.SHOPIFY_SHOP_DOMAIN || 'ponte-demo.myshopify.com',
      accessToken: requireSecret(env, 'SHOPIFY_ACCESS_TOKEN', { publicDefaults: [SANDBOX_DEFAULTS.SHOPIFY_ACCESS_TOKEN], development: SANDBOX_DEFAULTS.SHOPIFY_ACCESS_TOKEN }),
      apiSecretKey: requireSecret(env, 'SHOPIFY_API_SECRET', { publicDefaults: [SANDBOX_DEFAULTS.SHOPIFY_API_SECRET], development: SANDBOX_DEFAULTS.SHOPIFY_API_SECRET }),
      apiVersion: env.SHOPIFY_API_VERSION || DEFAULT_API_VERSION,
    },
    sealer: sealerFromEnv(env),
    reconciliation: { intervalMs: Number(env.SHOPIFY_RECONCILE_INTERVAL_MS ?? 60_000) },
    stockSync: env.SHOPIFY_STOCK_SYNC === 'off' ? false : { locationId: env.SHOPIFY_LOCATION_ID || undefined },
    alerts: alertOptionsFromEnv(process.env),
  });
  const url = await subgraph.server.listen(port);
  log.info({ url, boundTo: boundAddress(subgraph.server.httpServer), driver: subgraph.db.driver, shopifyApi: apiUrl || 'https://' + (env.SHOPIFY_SHOP_DOMAIN || 'ponte-demo.myshopify.com') }, 'shopify subgraph listening');
  const publicUrl = env.PUBLIC_URL || `http://127.0.0.1:${port}`;
  const registration = registerUntilDone(subgraph, publicUrl);
  if (apiUrl) void registerComplianceWithSandbox(apiUrl, `${publicUrl.replace(/\/+$/, '')}/webhooks/shopify`);
  return async () => {
    registration.stop();
    await subgraph.close();
  };
});

/** Shopify (or the sandbox) may come up after us: keep trying, without holding up the service. */
function registerUntilDone(subgraph: ShopifySubgraph, publicUrl: string): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = async (failures: number): Promise<void> => {
    try {
      const created = await subgraph.registerWebhooks(publicUrl);
      log.info({ publicUrl, created }, 'Shopify order webhooks registered');
    } catch (error) {
      if (stopped) return;
      const delay = Math.min(REGISTRATION_RETRY_MAX_MS, 1000 * 2 ** failures);
      log.warn({ err: error, retryInMs: delay }, 'could not register Shopify webhooks; will retry');
      timer = setTimeout(() => void attempt(failures + 1), delay);
      timer.unref();
    }
  };
  void attempt(0);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * The sandbox stands for the app's configuration too: tell it where compliance webhooks go. A real
 * shop answers 404 on this path and the app's shopify.app.toml says it instead.
 */
async function registerComplianceWithSandbox(apiUrl: string, uri: string): Promise<void> {
  try {
    const response = await fetch(`${apiUrl.replace(/\/+$/, '')}/_sandbox/compliance-webhooks`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: uri }) });
    if (response.ok) log.info({ uri }, 'compliance webhooks pointed at this service (sandbox)');
  } catch (error) {
    log.debug({ err: error }, 'no sandbox to point compliance webhooks at');
  }
}
