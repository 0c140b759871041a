import { createLogger } from '../../kit/logger.ts';
import { runService } from '../../kit/run-service.ts';
import { createCatalogSubgraph } from './index.ts';
import { seedDemoCatalog } from './seed.ts';
import { databaseFromEnv } from '../../kit/database.ts';
import { gatewaySecretFromEnv } from '../../kit/secrets.ts';
import { boundAddress } from '../../kit/graceful-close.ts';
import { apiKeyResolverFromEnv } from '../../kit/api-keys-from-env.ts';

/** Listens for the catalog subgraph; same variables as the inventory's, `PORT` default 4002. */
const log = createLogger('catalog');
await runService(log, async () => {
  const subgraph = await createCatalogSubgraph({
    database: databaseFromEnv('catalog'),
    log,
    gatewaySecret: gatewaySecretFromEnv(),
    apiKeys: apiKeyResolverFromEnv(log),
  });
  if (process.env.PONTE_SEED_DEMO === 'true') await seedDemoCatalog(subgraph.db);
  const url = await subgraph.server.listen(Number(process.env.PORT ?? 4002));
  log.info({ url, boundTo: boundAddress(subgraph.server.httpServer), driver: subgraph.db.driver }, 'catalog subgraph listening');
  return subgraph.close;
});
