/**
 * Listens for the Amazon subgraph. Environment (defaults match the local sandbox's):
 * - PORT (4014); DATABASE_URL, else embedded PGlite under PONTE_DATA_DIR/amazon (PONTE_DATA_DIR: data)
 * - PONTE_GATEWAY_SECRET: required on requests from the gateway, and sent to the inventory
 * - INVENTORY_URL (http://127.0.0.1:4001/graphql)
 * - AMAZON_CHANNEL (amazon-br): the canonical channel Amazon orders reserve through
 * - AMAZON_SP_API_URL (http://127.0.0.1:4104, the sandbox; e.g. https://sellingpartnerapi-na.amazon.com)
 * - AMAZON_LWA_TOKEN_URL (AMAZON_SP_API_URL + /auth/o2/token; Amazon's is https://api.amazon.com/auth/o2/token)
 * - LWA_CLIENT_ID, LWA_CLIENT_SECRET, LWA_REFRESH_TOKEN (the sandbox's credentials)
 * - AMAZON_SELLER_ID (A1PONTESANDBOX), AMAZON_MARKETPLACE_ID (A2Q3Y263D00KWC, Brazil)
 * - AMAZON_POLL_INTERVAL_MS (derived, 198500 with Amazon's default plan): searchOrders (Orders API
 *   v2026-01-01) restores 0.0056 requests a second, so polls are spaced by its restore interval;
 *   set it only when Amazon granted the seller a higher rate
 * - AMAZON_POLL_LEASE_MS (120000): with replicas, only the holder of a lease in the database polls
 *   (the quota is the seller's); a holder that dies without releasing it is replaced after this long
 * - AMAZON_STOCK_SYNC (on): `off` stops pushing the channel's canonical availability to the listings
 *
 * No webhook target is registered at start-up: Amazon delivers order notifications only to SQS or
 * EventBridge destinations, never to an HTTP endpoint, so this subgraph polls (PUBLIC_URL unused).
 */
import { createLogger } from '../../kit/logger.ts';
import { runService } from '../../kit/run-service.ts';
import { createAmazonSubgraph, DEFAULT_AMAZON_CHANNEL } from './index.ts';
import { databaseFromEnv } from '../../kit/database.ts';
import { gatewaySecretFromEnv, requireSecret } from '../../kit/secrets.ts';
import { SANDBOX_DEFAULTS } from './sandbox-defaults.ts';
import { boundAddress } from '../../kit/graceful-close.ts';
import { alertOptionsFromEnv } from '../platform-common/alerts.ts';
import { apiKeyResolverFromEnv } from '../../kit/api-keys-from-env.ts';

const env = process.env;
const log = createLogger('amazon');
const spApiUrl = env['AMAZON_SP_API_URL'] || 'http://127.0.0.1:4104';

await runService(log, async () => {
  const pollInterval = env['AMAZON_POLL_INTERVAL_MS'] ? Number(env['AMAZON_POLL_INTERVAL_MS']) : undefined;
  if (pollInterval !== undefined && (!Number.isFinite(pollInterval) || pollInterval < 1000)) throw new Error(`AMAZON_POLL_INTERVAL_MS must be at least 1000, got ${env['AMAZON_POLL_INTERVAL_MS']}`);
  const leaseMs = env['AMAZON_POLL_LEASE_MS'] ? Number(env['AMAZON_POLL_LEASE_MS']) : undefined;
  if (leaseMs !== undefined && (!Number.isFinite(leaseMs) || leaseMs < 1000)) throw new Error(`AMAZON_POLL_LEASE_MS must be at least 1000, got ${env['AMAZON_POLL_LEASE_MS']}`);
  const subgraph = await createAmazonSubgraph({
    database: databaseFromEnv('amazon'),
    log,
    gatewaySecret: gatewaySecretFromEnv(env),
    // Checks the keys of /metrics scrapers (ACCESS_URL, as the inventory checks service keys).
    apiKeys: apiKeyResolverFromEnv(log),
    serviceKey: env['PONTE_SERVICE_KEY'] || undefined,
    inventoryUrl: env['INVENTORY_URL'] || 'http://127.0.0.1:4001/graphql',
    ordersUrl: env['ORDERS_URL'] || undefined,
    channel: env['AMAZON_CHANNEL'] || DEFAULT_AMAZON_CHANNEL,
    amazon: {
      baseUrl: spApiUrl,
      lwa: {
        tokenUrl: env['AMAZON_LWA_TOKEN_URL'] || `${spApiUrl.replace(/\/+$/, '')}/auth/o2/token`,
        clientId: requireSecret(env, 'LWA_CLIENT_ID', { publicDefaults: [SANDBOX_DEFAULTS.LWA_CLIENT_ID], development: SANDBOX_DEFAULTS.LWA_CLIENT_ID }),
        clientSecret: requireSecret(env, 'LWA_CLIENT_SECRET', { publicDefaults: [SANDBOX_DEFAULTS.LWA_CLIENT_SECRET], development: SANDBOX_DEFAULTS.LWA_CLIENT_SECRET }),
        refreshToken: requireSecret(env, 'LWA_REFRESH_TOKEN', { publicDefaults: [SANDBOX_DEFAULTS.LWA_REFRESH_TOKEN], development: SANDBOX_DEFAULTS.LWA_REFRESH_TOKEN }),
      },
      sellerId: env['AMAZON_SELLER_ID'] || 'A1PONTESANDBOX',
      marketplaceId: env['AMAZON_MARKETPLACE_ID'] || 'A2Q3Y263D00KWC',
    },
    polling: { ...(pollInterval === undefined ? {} : { intervalMs: pollInterval }), ...(leaseMs === undefined ? {} : { leaseMs }) },
    ...(env['AMAZON_STOCK_SYNC'] === 'off' ? { stockSync: false as const } : {}),
    alerts: alertOptionsFromEnv(process.env),
  });
  const url = await subgraph.server.listen(Number(env['PORT'] ?? 4014));
  log.info({ url, boundTo: boundAddress(subgraph.server.httpServer), driver: subgraph.db.driver, spApiUrl }, 'amazon subgraph listening');
  return subgraph.close;
});
