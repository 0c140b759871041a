import { createCatalogSubgraph, seedDemoCatalog, type CatalogSubgraph } from '../../subgraphs/catalog/index.ts';
import { createInventorySubgraph, type InventorySubgraph } from '../../subgraphs/inventory/index.ts';
import { seedDemoInventory } from '../../subgraphs/inventory/seed.ts';
import { createLogger } from '../../subgraphs/shared/logger.ts';
import { createPonteGateway, type PonteGateway, type PonteGatewayOptions } from '../../gateway/index.ts';
import { composeSupergraph, ponteSubgraphs } from '../../gateway/compose.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const TEST_GATEWAY_SECRET = 'test-gateway-secret';

export interface RunningPonte {
  inventory: InventorySubgraph;
  catalog: CatalogSubgraph;
  gateway: PonteGateway;
  inventoryUrl: string;
  catalogUrl: string;
  gatewayUrl: string;
  supergraphSdl: string;
  close(): Promise<void>;
}

/** The whole system in this process, every server on a free port, seeded with the demo merchant. */
export async function startPonte(options: Partial<Pick<PonteGatewayOptions, 'planner' | 'responseCache'>> & { seed?: boolean } = {}): Promise<RunningPonte> {
  const log = createLogger('test');
  const databases: TestDatabase[] = [await createTestDatabase('inventory'), await createTestDatabase('catalog')];
  const inventory = await createInventorySubgraph({ database: databases[0]!.db, log, gatewaySecret: TEST_GATEWAY_SECRET, relay: { pollIntervalMs: 200 } });
  const catalog = await createCatalogSubgraph({ database: databases[1]!.db, log, gatewaySecret: TEST_GATEWAY_SECRET });
  if (options.seed !== false) {
    await seedDemoInventory(inventory.db, inventory.service);
    await seedDemoCatalog(catalog.db);
  }
  const inventoryUrl = await inventory.server.listen(0, '127.0.0.1');
  const catalogUrl = await catalog.server.listen(0, '127.0.0.1');
  const supergraphSdl = composeSupergraph(ponteSubgraphs({ INVENTORY_URL: inventoryUrl, CATALOG_URL: catalogUrl }));
  const gateway = createPonteGateway({ supergraphSdl, log, subgraphSecret: TEST_GATEWAY_SECRET, ...options });
  const gatewayUrl = await gateway.listen(0, '127.0.0.1');
  await gateway.responseCache?.ready;
  return {
    inventory,
    catalog,
    gateway,
    inventoryUrl,
    catalogUrl,
    gatewayUrl,
    supergraphSdl,
    async close() {
      await gateway.close();
      await inventory.close();
      await catalog.close();
      await Promise.all(databases.map((database) => database.drop()));
    },
  };
}

export async function graphql<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ data?: Data; errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; status: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await response.json()) as object), status: response.status };
}
