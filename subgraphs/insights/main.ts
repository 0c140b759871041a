import { apiKeyResolverFromEnv } from '../../kit/api-keys-from-env.ts';
import { databaseFromEnv } from '../../kit/database.ts';
import { boundAddress } from '../../kit/graceful-close.ts';
import { createLogger } from '../../kit/logger.ts';
import { runService } from '../../kit/run-service.ts';
import { gatewaySecretFromEnv } from '../../kit/secrets.ts';
import { catalogCostSource } from './costs.ts';
import { DEFAULT_LEAD_TIME_DAYS } from './demand.ts';
import { createInsightsSubgraph } from './index.ts';
import { seedDemoInsights } from './seed.ts';
import { inventoryStockSource } from './stock.ts';

/**
 * Listens for the insights subgraph. `PORT` (default 4005); `INVENTORY_URL` and `CATALOG_URL`, read
 * with `PONTE_SERVICE_KEY`, for stock on hand and cost prices; `INSIGHTS_TIME_ZONE` (default
 * America/Sao_Paulo); `INSIGHTS_LEAD_TIME_DAYS` (default 14) and `INSIGHTS_LEAD_TIMES` (JSON
 * `{ "<sku>": days }`) for restock suggestions; `PONTE_SEED_DEMO=true` loads months of demo orders.
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
  });
  if (process.env.PONTE_SEED_DEMO === 'true') await seedDemoInsights(subgraph);
  const url = await subgraph.server.listen(Number(process.env.PORT ?? 4005));
  log.info({ url, boundTo: boundAddress(subgraph.server.httpServer), driver: subgraph.db.driver }, 'insights subgraph listening');
  return subgraph.close;
});
