import { createCatalogSubgraph } from '../../subgraphs/catalog/index.ts';
import { seedDemoCatalog } from '../../subgraphs/catalog/seed.ts';
import { createInventorySubgraph } from '../../subgraphs/inventory/index.ts';
import { seedDemoInventory } from '../../subgraphs/inventory/seed.ts';
import { createLogger } from '../../kit/logger.ts';
import { createTestDatabase } from '../support/database.ts';
import { ensurePgliteTemplate } from '../support/pglite-template.ts';
import { serveChild, type SubgraphsStart } from './ipc.ts';

/**
 * Both subgraphs, seeded with the demo merchant, in one process of their own: in-memory PGlite
 * by default, a throwaway schema on the server when DATABASE_URL is set (dropped on stop).
 * Each subgraph's HTTP requests are counted, so the bench can show how many subgraph calls one
 * client request cost behind each gateway (cache hits, deduplicated fetches).
 */
serveChild<SubgraphsStart>(async ({ gatewaySecret }) => {
  const log = createLogger('bench-subgraphs');
  if (!process.env.DATABASE_URL) await ensurePgliteTemplate();
  // SQL statements are counted too: per client request, they show where a slow read spends its time.
  const sqlStatements = { inventory: 0, catalog: 0 };
  const inventoryDb = await createTestDatabase('inventory', { onQuery: () => sqlStatements.inventory++ });
  const catalogDb = await createTestDatabase('catalog', { onQuery: () => sqlStatements.catalog++ });
  const inventory = await createInventorySubgraph({ database: inventoryDb.db, log, gatewaySecret });
  const catalog = await createCatalogSubgraph({ database: catalogDb.db, log, gatewaySecret });
  await seedDemoInventory(inventory.db, inventory.service);
  await seedDemoCatalog(catalog.db);

  const subgraphRequests = { inventory: 0, catalog: 0 };
  inventory.server.httpServer.on('request', () => subgraphRequests.inventory++);
  catalog.server.httpServer.on('request', () => subgraphRequests.catalog++);

  const urls = {
    inventory: await inventory.server.listen(0, '127.0.0.1'),
    catalog: await catalog.server.listen(0, '127.0.0.1'),
  };
  return {
    urls,
    description: `inventory + catalog subgraphs (Apollo Server), ${inventory.db.driver === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'PGlite in memory'}, demo data`,
    stats: () => ({ subgraphRequests: { ...subgraphRequests }, sqlStatements: { ...sqlStatements }, stockSubscribers: inventory.stockEvents.subscriberCount }),
    async close() {
      await inventory.close();
      await catalog.close();
      await inventoryDb.drop();
      await catalogDb.drop();
    },
  };
});
