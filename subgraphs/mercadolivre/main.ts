/**
 * Listens for the Mercado Livre subgraph. Environment (defaults match the Mercado Livre sandbox's):
 * - PORT (4013); PUBLIC_URL (http://127.0.0.1:<PORT>): how Mercado Livre reaches this service
 * - DATABASE_URL, else embedded PGlite under PONTE_DATA_DIR/mercadolivre (PONTE_DATA_DIR: data)
 * - PONTE_GATEWAY_SECRET; INVENTORY_URL (http://127.0.0.1:4001/graphql)
 * - MERCADOLIVRE_API_URL (http://127.0.0.1:4103, the sandbox; https://api.mercadolibre.com in production)
 * - MERCADOLIVRE_USER_ID (1234567890), MERCADOLIVRE_APP_ID (5512345678901234),
 *   MERCADOLIVRE_CLIENT_SECRET (ml-sandbox-client-secret)
 * - MERCADOLIVRE_ACCESS_TOKEN / MERCADOLIVRE_REFRESH_TOKEN: the pair from the seller's
 *   authorization (the sandbox's pre-issued pair); once refreshed, the stored pair is used
 * - MERCADOLIVRE_REQUESTS_PER_HOUR (18000); MERCADOLIVRE_CHANNEL (mercado-livre)
 * - MERCADOLIVRE_STOCK_SYNC (on): `off` stops pushing the channel's canonical availability to
 *   the listings (another system owns Mercado Livre's quantities)
 */
import { createLogger } from '../../kit/logger.ts';
import { runService } from '../../kit/run-service.ts';
import { createMercadoLivreSubgraph, registerNotificationCallback } from './index.ts';
import { databaseFromEnv } from '../../kit/database.ts';
import { gatewaySecretFromEnv, requireSecret } from '../../kit/secrets.ts';
import { SANDBOX_DEFAULTS } from './sandbox-defaults.ts';
import { boundAddress } from '../../kit/graceful-close.ts';
import { alertOptionsFromEnv } from '../platform-common/alerts.ts';
import { apiKeyResolverFromEnv } from '../../kit/api-keys-from-env.ts';

const env = process.env;
const log = createLogger('mercadolivre');
await runService(log, async () => {
  const port = Number(env.PORT ?? 4013);
  const userId = env.MERCADOLIVRE_USER_ID || SANDBOX_DEFAULTS.MERCADOLIVRE_USER_ID;
  const applicationId = env.MERCADOLIVRE_APP_ID || SANDBOX_DEFAULTS.MERCADOLIVRE_APP_ID;
  const perHour = Number(env.MERCADOLIVRE_REQUESTS_PER_HOUR || 18_000);
  if (!Number.isFinite(perHour) || perHour <= 0) throw new Error(`MERCADOLIVRE_REQUESTS_PER_HOUR=${env.MERCADOLIVRE_REQUESTS_PER_HOUR} is not a positive number`);
  const platformUrl = env.MERCADOLIVRE_API_URL || 'http://127.0.0.1:4103';
  const stockSyncSetting = (env.MERCADOLIVRE_STOCK_SYNC || 'on').toLowerCase();
  if (!['on', 'off'].includes(stockSyncSetting)) throw new Error(`MERCADOLIVRE_STOCK_SYNC=${env.MERCADOLIVRE_STOCK_SYNC} must be on or off`);
  const stockSyncOff = stockSyncSetting === 'off';
  const subgraph = await createMercadoLivreSubgraph({
    database: databaseFromEnv('mercadolivre'),
    log,
    gatewaySecret: gatewaySecretFromEnv(env),
    // Checks the keys of /metrics scrapers (ACCESS_URL, as the inventory checks service keys).
    apiKeys: apiKeyResolverFromEnv(log),
    serviceKey: env.PONTE_SERVICE_KEY || undefined,
    inventoryUrl: env.INVENTORY_URL || 'http://127.0.0.1:4001/graphql',
    ordersUrl: env.ORDERS_URL || undefined,
    channel: env.MERCADOLIVRE_CHANNEL || 'mercado-livre',
    platform: {
      baseUrl: platformUrl,
      userId,
      applicationId,
      clientSecret: requireSecret(env, 'MERCADOLIVRE_CLIENT_SECRET', { publicDefaults: [SANDBOX_DEFAULTS.MERCADOLIVRE_CLIENT_SECRET], development: SANDBOX_DEFAULTS.MERCADOLIVRE_CLIENT_SECRET }),
      accessToken: requireSecret(env, 'MERCADOLIVRE_ACCESS_TOKEN', { publicDefaults: [SANDBOX_DEFAULTS.MERCADOLIVRE_ACCESS_TOKEN], development: `APP_USR-${applicationId}-sandbox-${userId}` }),
      refreshToken: requireSecret(env, 'MERCADOLIVRE_REFRESH_TOKEN', { publicDefaults: [SANDBOX_DEFAULTS.MERCADOLIVRE_REFRESH_TOKEN], development: `TG-sandbox-refresh-${userId}` }),
      rateLimit: { perHour, burst: Math.max(1, Math.floor(perHour / 60)) },
    },
    ...(stockSyncOff ? { stockSync: false as const } : {}),
    alerts: alertOptionsFromEnv(process.env),
  });
  const url = await subgraph.server.listen(port);
  const callbackUrl = `${(env.PUBLIC_URL || `http://127.0.0.1:${port}`).replace(/\/+$/, '')}${subgraph.notificationsPath}`;
  try {
    if (await registerNotificationCallback(platformUrl, callbackUrl)) log.info({ callbackUrl }, 'notification callback registered with the Mercado Livre sandbox');
    else log.info({ callbackUrl }, 'set this notification callback URL (topics orders_v2, items) in the Mercado Livre application manager');
  } catch (error) {
    // The sandbox may start later; notifications missed meanwhile are listed by /missed_feeds.
    log.warn({ err: error, callbackUrl }, 'could not register the notification callback');
  }
  log.info({ url, boundTo: boundAddress(subgraph.server.httpServer), driver: subgraph.db.driver }, 'mercadolivre subgraph listening');
  return subgraph.close;
});
