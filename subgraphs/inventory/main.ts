import { createLogger } from '../../kit/logger.ts';
import { runService } from '../../kit/run-service.ts';
import { createInventorySubgraph } from './index.ts';
import { seedDemoInventory } from './seed.ts';
import { databaseFromEnv } from '../../kit/database.ts';
import { gatewaySecretFromEnv } from '../../kit/secrets.ts';
import { apiKeyResolverFromEnv } from '../../kit/api-keys-from-env.ts';
import { boundAddress } from '../../kit/graceful-close.ts';

/**
 * Listens for the inventory subgraph. Configuration (all optional):
 * - `PORT` (default 4001)
 * - `DATABASE_URL`: PostgreSQL server; without it, PGlite in `PONTE_DATA_DIR/inventory`
 * - `PONTE_DATA_DIR` (default `./data`)
 * - `PONTE_GATEWAY_SECRET`: shared secret the gateway sends
 * - `PONTE_SEED_DEMO=true`: load the demo merchant on first start
 * - service keys the platform subgraphs call with (`PONTE_SERVICE_KEY` on their side):
 *   `ACCESS_URL` (the access subgraph's key store — TODO(access): wired in
 *   `kit/api-keys-from-env.ts` once `kit/api-key-resolver.ts` lands), or `PONTE_DEV_API_KEYS`
 */
const log = createLogger('inventory');
await runService(log, async () => {
  const subgraph = await createInventorySubgraph({
    database: databaseFromEnv('inventory'),
    log,
    gatewaySecret: gatewaySecretFromEnv(),
    apiKeys: apiKeyResolverFromEnv(log),
  });
  if (process.env.PONTE_SEED_DEMO === 'true') {
    const { seeded } = await seedDemoInventory(subgraph.db, subgraph.service);
    log.info({ seeded }, 'demo inventory ready');
  }
  const url = await subgraph.server.listen(Number(process.env.PORT ?? 4001));
  log.info({ url, boundTo: boundAddress(subgraph.server.httpServer), driver: subgraph.db.driver }, 'inventory subgraph listening');
  return subgraph.close;
});
