import { apiKeyResolverFromEnv } from '../../kit/api-keys-from-env.ts';
import { databaseFromEnv } from '../../kit/database.ts';
import { boundAddress } from '../../kit/graceful-close.ts';
import { createLogger } from '../../kit/logger.ts';
import { runService } from '../../kit/run-service.ts';
import { sealerFromEnv } from '../../kit/sealed.ts';
import { gatewaySecretFromEnv } from '../../kit/secrets.ts';
import { blindIndexFromEnv } from './blind-index.ts';
import { createCustomersSubgraph } from './index.ts';
import { seedDemoCustomers } from './seed.ts';
import { demoCustomers } from '../../demo/customers.ts';

/**
 * Listens for the customers subgraph; `PORT` default 4004. Besides the variables every subgraph
 * reads: PONTE_DATA_KEYS (sealing) and PONTE_BLIND_INDEX_KEY (matching), both refused in
 * production mode when missing or published; PONTE_SEED_DEMO=true loads the demo shoppers.
 */
const log = createLogger('customers');
await runService(log, async () => {
  const subgraph = await createCustomersSubgraph({
    database: databaseFromEnv('customers'),
    log,
    sealer: sealerFromEnv(),
    blindIndex: blindIndexFromEnv(),
    gatewaySecret: gatewaySecretFromEnv(),
    apiKeys: apiKeyResolverFromEnv(log),
  });
  // Before listening (a few seconds on a first start, nothing after): once the service is ready the
  // demo profiles exist under their demo ids, so a demo order identified then matches them.
  if (process.env.PONTE_SEED_DEMO === 'true') {
    await seedDemoCustomers(subgraph.profiles);
    log.info({ customers: demoCustomers.length }, 'demo customers seeded');
  }
  const url = await subgraph.server.listen(Number(process.env.PORT ?? 4004));
  log.info({ url, boundTo: boundAddress(subgraph.server.httpServer), driver: subgraph.db.driver }, 'customers subgraph listening');
  return subgraph.close;
});
