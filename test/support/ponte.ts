import { createCatalogSubgraph, type CatalogSubgraph } from '../../subgraphs/catalog/index.ts';
import { seedDemoCatalog } from '../../subgraphs/catalog/seed.ts';
import { createInventorySubgraph, type InventorySubgraph } from '../../subgraphs/inventory/index.ts';
import { seedDemoInventory } from '../../subgraphs/inventory/seed.ts';
import { createLogger } from '../../kit/logger.ts';
import { createPonteGateway, type PonteGateway, type PonteGatewayOptions } from '../../gateway/index.ts';
import { composeSupergraph, ponteSubgraphs } from '../../gateway/compose.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const TEST_GATEWAY_SECRET = 'test-gateway-secret';

/**
 * A platform subgraph to start beside the core ones and compose into the gateway. `start` gets
 * what a platform subgraph needs from the rest of the system and listens on a free port.
 */
export interface ExtraSubgraph {
  name: string;
  sdl: string;
  start(context: { inventoryUrl: string; gatewaySecret: string }): Promise<{ url: string; close(): Promise<void> }>;
}

/** The core subgraphs' databases; passing them to `startPonte` again is a restart that keeps the data. */
export interface PonteDatabases {
  inventory: TestDatabase;
  catalog: TestDatabase;
}

export interface RunningPonte {
  inventory: InventorySubgraph;
  catalog: CatalogSubgraph;
  gateway: PonteGateway;
  inventoryUrl: string;
  catalogUrl: string;
  gatewayUrl: string;
  supergraphSdl: string;
  /** URL of each extra subgraph, by name. */
  extraUrls: Record<string, string>;
  databases: PonteDatabases;
  /** Stops every server; drops the databases unless they were passed in (their owner drops them). */
  close(): Promise<void>;
}

/** The whole system in this process, every server on a free port, seeded with the demo merchant. */
export async function startPonte(
  options: Partial<Pick<PonteGatewayOptions, 'planner' | 'responseCache'>> & { seed?: boolean; extraSubgraphs?: ExtraSubgraph[]; databases?: PonteDatabases } = {},
): Promise<RunningPonte> {
  const log = createLogger('test');
  const { databases: given, seed, extraSubgraphs, ...gatewayOptions } = options;
  const databases: PonteDatabases = given ?? { inventory: await createTestDatabase('inventory'), catalog: await createTestDatabase('catalog') };
  const inventory = await createInventorySubgraph({ database: databases.inventory.db, log, gatewaySecret: TEST_GATEWAY_SECRET, relay: { pollIntervalMs: 200 } });
  const catalog = await createCatalogSubgraph({ database: databases.catalog.db, log, gatewaySecret: TEST_GATEWAY_SECRET });
  if (seed !== false) {
    await seedDemoInventory(inventory.db, inventory.service);
    await seedDemoCatalog(catalog.db);
  }
  const inventoryUrl = await inventory.server.listen(0, '127.0.0.1');
  const catalogUrl = await catalog.server.listen(0, '127.0.0.1');
  const extras: Array<{ name: string; sdl: string; url: string; close(): Promise<void> }> = [];
  for (const extra of extraSubgraphs ?? []) {
    const started = await extra.start({ inventoryUrl, gatewaySecret: TEST_GATEWAY_SECRET });
    extras.push({ name: extra.name, sdl: extra.sdl, ...started });
  }
  const supergraphSdl = composeSupergraph([
    ...ponteSubgraphs({ INVENTORY_URL: inventoryUrl, CATALOG_URL: catalogUrl }).filter((subgraph) => subgraph.name === 'inventory' || subgraph.name === 'catalog'),
    ...extras.map(({ name, sdl, url }) => ({ name, sdl, url })),
  ]);
  const gateway = createPonteGateway({ supergraphSdl, log, subgraphSecret: TEST_GATEWAY_SECRET, ...gatewayOptions });
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
    extraUrls: Object.fromEntries(extras.map((extra) => [extra.name, extra.url])),
    databases,
    async close() {
      await gateway.close();
      for (const extra of extras) await extra.close();
      await inventory.close();
      await catalog.close();
      if (!given) await Promise.all([databases.inventory.drop(), databases.catalog.drop()]);
    },
  };
}

/**
 * A plain HTTP request to the gateway (a browser's page load, an asset): every test that calls the
 * gateway outside `graphql()` goes through here, so credentials are added in one place.
 */
export function gatewayFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  return fetch(url, init);
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
