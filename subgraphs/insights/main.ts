import { apiKeyResolverFromEnv } from '../../kit/api-keys-from-env.ts';
import { databaseFromEnv } from '../../kit/database.ts';
import { boundAddress } from '../../kit/graceful-close.ts';
import { createLogger } from '../../kit/logger.ts';
import { runService } from '../../kit/run-service.ts';
import { gatewaySecretFromEnv } from '../../kit/secrets.ts';
import { catalogCostSource } from './costs.ts';
import { DEFAULT_LEAD_TIME_DAYS } from './demand.ts';
import { createInsightsSubgraph } from './index.ts';
import { inventoryStockSource } from './stock.ts';

/**
 * Listens for the insights subgraph. `PORT` (default 4005); `INVENTORY_URL` and `CATALOG_URL`, read
 * with `PONTE_SERVICE_KEY`, for stock on hand and cost prices; `INSIGHTS_TIME_ZONE` (default
 * America/Sao_Paulo); `INSIGHTS_LEAD_TIME_DAYS` (default 14) and `INSIGHTS_LEAD_TIMES` (JSON
 * `{ "<sku>": days }`) for restock suggestions; `ORDERS_URL`, read with `PONTE_SERVICE_KEY`
 * (orders:read), the orders subgraph whose orders it follows (its demo history included).
 */
const log = createLogger('insights');
await runService(log, async () => {
  const secret = gatewaySecretFromEnv();
  const serviceKey = process.env.PONTE_SERVICE_KEY || undefined;
  const defaultLeadTimeDays = Number(process.env.INSIGHTS_LEAD_TIME_DAYS ?? DEFAULT_LEAD_TIME_DAYS);
  if (!Number.isInteger(defaultLeadTimeDays) || defaultLeadTimeDays < 1) throw new Error(`INSIGHTS_LEAD_TIME_DAYS must be a whole number of days, got "${process.env.INSIGHTS_LEAD_TIME_DAYS}"`);
  const leadTimes = JSON.parse(process.env.INSIGHTS_LEAD_TIMES || '{}') as Record<string, number>;
  const subgraph = await createInsightsSubgraph({
    database: databaseFromEnv('insights'),
    log,
    gatewaySecret: secret,
    apiKeys: apiKeyResolverFromEnv(log),
    ...(process.env.INVENTORY_URL ? { stock: inventoryStockSource({ url: process.env.INVENTORY_URL, serviceKey, secret }) } : {}),
    ...(process.env.CATALOG_URL ? { costs: catalogCostSource({ url: process.env.CATALOG_URL, serviceKey, secret }) } : {}),
    ...(process.env.INSIGHTS_TIME_ZONE ? { timeZone: process.env.INSIGHTS_TIME_ZONE } : {}),
    demand: { defaultLeadTimeDays, leadTimes },
    ...(process.env.ORDERS_URL ? { orders: { url: process.env.ORDERS_URL, serviceKey, secret } } : {}),
  });
  if (!process.env.ORDERS_URL) log.warn('ORDERS_URL is not set: no orders are followed, the figures stay empty');
  // On a first start the whole order history comes in here; cost prices follow for the SKUs sold.
  await subgraph.ordersCaughtUp;
  await subgraph.refreshCosts().catch((error: unknown) => log.warn({ err: error }, 'could not copy cost prices from the catalog yet'));
  const url = await subgraph.server.listen(Number(process.env.PORT ?? 4005));
  log.info({ url, boundTo: boundAddress(subgraph.server.httpServer), driver: subgraph.db.driver }, 'insights subgraph listening');
  return subgraph.close;
});
